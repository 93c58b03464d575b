package io.seaport.examples.cli;

import java.time.Duration;

/**
 * The delay before restarting a command that exited: 1 s after the first quick exit, doubling up
 * to a ceiling, and back to 1 s once the command has run long enough to count as healthy.
 */
final class Backoff {
    static final Duration FIRST = Duration.ofSeconds(1);
    static final Duration CEILING = Duration.ofSeconds(30);
    static final Duration HEALTHY_RUN = Duration.ofSeconds(30);

    private int quickExits;

    /**
     * Returns how long to wait before the next start, given how long the last run lasted.
     *
     * @param ran how long the command ran before it exited
     * @return the delay, between {@link #FIRST} and {@link #CEILING}
     */
    Duration next(Duration ran) {
        if (ran.compareTo(HEALTHY_RUN) >= 0) {
            quickExits = 0;
        }
        quickExits++;
        int doublings = Math.min(quickExits - 1, 16); // 2^16 s is far past the ceiling: no overflow
        Duration delay = FIRST.multipliedBy(1L << doublings);
        return delay.compareTo(CEILING) > 0 ? CEILING : delay;
    }
}
