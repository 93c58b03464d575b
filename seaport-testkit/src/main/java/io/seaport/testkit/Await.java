package io.seaport.testkit;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits for a condition by polling it until a deadline; on timeout, fails with a message that
 * shows what was seen (typically every member's view and replica).
 */
public final class Await {
    /** A deadline generous enough for a loaded 2-core machine. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private Await() {
    }

    /**
     * Polls {@code condition} every 10 ms until it is true, or fails after {@code timeout}.
     *
     * @param what what is awaited, for the failure message
     * @param timeout how long to wait
     * @param condition the condition
     * @param seen what was seen, evaluated only on failure
     */
    public static void until(String what, Duration timeout, BooleanSupplier condition, Supplier<String> seen) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what
                        + "\nseen:\n" + seen.get());
            }
            pause();
        }
    }

    /**
     * Polls {@code condition} for up to {@link #DEFAULT_TIMEOUT}.
     *
     * @param what what is awaited, for the failure message
     * @param condition the condition
     * @param seen what was seen, evaluated only on failure
     */
    public static void until(String what, BooleanSupplier condition, Supplier<String> seen) {
        until(what, DEFAULT_TIMEOUT, condition, seen);
    }

    private static void pause() {
        try {
            Thread.sleep(10); // the poll interval of a condition wait, not a wait for time to pass
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting", e);
        }
    }
}
