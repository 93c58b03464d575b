package io.seaport;

/**
 * A port held by this member for a role, published or about to be. Thread-safe.
 *
 * <p>Closing a registration is seaport's {@code free()}: the service is unpublished on every
 * member and its port is released for reuse.
 */
public interface Registration extends AutoCloseable {

    /**
     * Returns the service as it is (or will be) published.
     *
     * @return the service, with its id, role, version, host and port
     */
    Service service();

    /**
     * Returns the port held by this registration.
     *
     * @return a port in 1..65535
     */
    int port();

    /**
     * Publishes the service to every member; idempotent.
     *
     * @throws IllegalStateException if the registration or its Seaport is closed
     */
    void ready();

    /** Unpublishes the service and releases its port; idempotent. */
    @Override
    void close();
}
