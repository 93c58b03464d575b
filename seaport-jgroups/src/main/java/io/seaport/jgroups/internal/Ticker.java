package io.seaport.jgroups.internal;

/**
 * A source of time for the registry's timing rules (snapshot re-asks, port-request timeouts,
 * pending port grants), so tests can move time by hand instead of sleeping. Like Caffeine's
 * {@code Ticker}: nanoseconds from an arbitrary origin, only differences are meaningful.
 * Implementations must be thread-safe.
 */
@FunctionalInterface
interface Ticker {

    /** Returns the current time in nanoseconds, from an arbitrary fixed origin. */
    long read();

    /** Returns the ticker of {@link System#nanoTime()}. */
    static Ticker system() {
        return System::nanoTime;
    }
}
