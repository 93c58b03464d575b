package io.seaport.benchmarks;

import java.time.Instant;

/**
 * Returns wall-clock timestamps in microseconds since the epoch (CLOCK_REALTIME; {@link Instant#now()}
 * has microsecond resolution on Linux). Unlike {@code nanoTime}, these are comparable between JVMs
 * on the same machine, which is what cross-process latencies need.
 */
final class Micros {
    private Micros() {
    }

    /** Returns the current wall-clock time in microseconds since the epoch. */
    static long now() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }
}
