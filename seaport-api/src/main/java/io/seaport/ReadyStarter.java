package io.seaport;

/**
 * Starts a server on the port that Seaport allocated and says when it is ready; the service is
 * published when {@code ready.run()} is called, which may happen after {@link #start} returns
 * and from any thread.
 *
 * <p>Typical use: {@code seaport.service("http@1.0", (port, ready) -> server.start(port, ready))}.
 */
@FunctionalInterface
public interface ReadyStarter {

    /**
     * Starts the service on {@code port} and calls {@code ready.run()} once it accepts connections.
     *
     * @param port the allocated port, free and bindable when it was handed out
     * @param ready publishes the service; idempotent, callable from any thread
     * @throws Exception any failure; Seaport releases the port, publishes nothing and rethrows it
     *     wrapped in {@link SeaportException}
     */
    void start(int port, Runnable ready) throws Exception;
}
