package io.seaport;

/**
 * Starts a server on the port that Seaport allocated; the service is published when
 * {@link #start(int)} returns normally.
 *
 * <p>Typical use: {@code seaport.service("http@1.0", port -> server.bind(new InetSocketAddress(port), 0))}.
 */
@FunctionalInterface
public interface PortStarter {

    /**
     * Starts the service on {@code port}; when it returns, the service must accept connections.
     *
     * @param port the allocated port, free and bindable when it was handed out
     * @throws Exception any failure; Seaport releases the port, publishes nothing and rethrows it
     *     wrapped in {@link SeaportException}
     */
    void start(int port) throws Exception;
}
