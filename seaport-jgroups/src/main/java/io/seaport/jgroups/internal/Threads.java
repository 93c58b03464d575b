package io.seaport.jgroups.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The member's thread naming and the bounded wait for its executors at close. Stateless. */
final class Threads {
    private static final Logger LOG = LoggerFactory.getLogger(Threads.class);

    /** How long close waits for an executor's threads before interrupting them. */
    static final long CLOSE_WAIT_MILLIS = 5_000;

    private Threads() {
    }

    /** Returns a factory of daemon threads named {@code name} (one thread) or {@code name1, name2...}. */
    static ThreadFactory named(String name, boolean single) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, single ? name : name + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Waits for {@code executor}, already shut down, to finish; interrupts its threads if it takes too long. */
    static void awaitTermination(ExecutorService executor, String memberName) {
        try {
            if (!executor.awaitTermination(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                LOG.warn("{}: threads still busy {} ms after close (a blocked listener?); interrupting them",
                        memberName, CLOSE_WAIT_MILLIS);
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            executor.shutdownNow();
        }
    }
}
