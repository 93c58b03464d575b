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

    /**
     * Attaches {@code check} to this registration, replacing its previous check; the owning member
     * runs it (see {@link HealthCheck} for thresholds and the initial state).
     *
     * @param check the check
     * @return this registration
     * @throws IllegalStateException if the registration or its Seaport is closed
     */
    Registration check(HealthCheck check);

    /**
     * Sets this service's health, replicated to every member if it changed. A check, if any,
     * keeps probing from this state, except that it never leaves {@link Health#DRAINING}.
     *
     * @param health the new health; {@code DRAINING} before shutting the service down
     * @throws IllegalStateException if the registration or its Seaport is closed
     */
    void health(Health health);

    /**
     * Returns this service's health as this member last set or checked it.
     *
     * @return the current health
     */
    Health health();

    /**
     * Records a heartbeat for a {@link HealthCheck#ttl} check: the service passes for another ttl
     * (a failing one passes again at once). Does nothing without a ttl check.
     *
     * @throws IllegalStateException if the registration or its Seaport is closed
     */
    void pass();

    /**
     * Drains and frees this registration: sets {@link Health#DRAINING} (every member stops sending
     * it new clients), waits {@code period} so clients it has may finish, then {@link #close()}s
     * it. Blocks the calling thread for {@code period}.
     *
     * @param period how long to wait between draining and freeing; zero frees at once
     * @throws IllegalArgumentException if the period is negative
     * @throws IllegalStateException if the registration or its Seaport is closed
     */
    void drain(java.time.Duration period);

    /** Unpublishes the service and releases its port; idempotent. */
    @Override
    void close();
}
