package io.seaport;

/**
 * A listener registered with {@link Seaport#watch}; closing it stops further events.
 * Thread-safe; {@link #close()} is idempotent.
 */
public interface Subscription extends AutoCloseable {

    /** Stops delivering events to the listener; an event already being delivered completes. */
    @Override
    void close();
}
