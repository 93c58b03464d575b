package io.seaport.examples.cli;

import java.util.concurrent.CountDownLatch;

/**
 * Keeps a long-running command alive until the JVM is asked to stop (Ctrl-C, SIGTERM), then runs
 * its cleanup in a shutdown hook, so that registrations are freed and children stopped.
 */
final class UntilStopped {
    private UntilStopped() {
    }

    /**
     * Registers {@code cleanup} to run at shutdown and blocks the calling thread until then.
     *
     * @param cleanup what to close; it runs once, on the shutdown hook's thread
     */
    static void await(Runnable cleanup) {
        Runtime.getRuntime().addShutdownHook(new Thread(cleanup, "seaport-cli-shutdown"));
        try {
            new CountDownLatch(1).await(); // never counted down: the JVM's exit ends this thread
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
