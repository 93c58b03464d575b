package io.seaport;

import io.seaport.internal.CheckSpec;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * How the owning member checks one of its registrations ({@link Registration#check}). Checks run
 * on the owner only, on a Seaport-owned scheduler (never on the event thread or a transport
 * thread); only a change of {@link Health} is sent to the other members, so a check that keeps
 * passing costs no network traffic. Immutable and thread-safe.
 *
 * <p>Thresholds: by default {@value #DEFAULT_FAILURES} failed probes in a row make a passing
 * service {@link Health#FAILING} and {@value #DEFAULT_PASSES} passing probe makes a failing one
 * {@link Health#PASSING} again; {@link #thresholds} changes both. A probe that throws or takes
 * longer than its timeout (the interval, at most 5 seconds) fails.
 *
 * <p>Initial state: attaching a check keeps the registration's current health (a fresh
 * registration is {@code PASSING}) and runs the first probe at once. To publish a service only
 * once its first probe passes, call {@code health(Health.FAILING)} before {@code check(...)}.
 * A {@link Health#DRAINING} registration stays draining whatever its probes say.
 */
public sealed interface HealthCheck permits CheckSpec {

    /** Failed probes in a row that make a passing service failing, unless {@link #thresholds} says otherwise. */
    int DEFAULT_FAILURES = 2;

    /** Passing probes in a row that make a failing service passing, unless {@link #thresholds} says otherwise. */
    int DEFAULT_PASSES = 1;

    /**
     * Returns a check that connects to the service's {@code host:port} every {@code interval};
     * it passes if the connection is accepted.
     *
     * @param interval time between probes, at least 10 ms
     * @return the check
     * @throws IllegalArgumentException if the interval is shorter than 10 ms
     */
    static HealthCheck tcp(Duration interval) {
        return CheckSpec.tcp(interval);
    }

    /**
     * Returns a check that sends {@code GET http://host:port/path} to the service every
     * {@code interval}; it passes on a 2xx status.
     *
     * @param path the path, starting with {@code /} ({@code /health})
     * @param interval time between probes, at least 10 ms
     * @return the check
     * @throws IllegalArgumentException if the path does not start with {@code /}, has blanks or
     *     control characters, or the interval is shorter than 10 ms
     */
    static HealthCheck http(String path, Duration interval) {
        return CheckSpec.http(path, interval);
    }

    /**
     * Returns a check that calls {@code probe} every {@code interval}; it passes if the probe
     * returns true. The probe runs on a Seaport-owned thread and should be quick.
     *
     * @param probe the application's own test
     * @param interval time between probes, at least 10 ms
     * @return the check
     * @throws IllegalArgumentException if the interval is shorter than 10 ms
     */
    static HealthCheck of(BooleanSupplier probe, Duration interval) {
        return CheckSpec.of(probe, interval);
    }

    /**
     * Returns a heartbeat check: the service is {@link Health#FAILING} unless
     * {@link Registration#pass()} was called within the last {@code ttl}; a call to {@code pass()}
     * makes a failing service passing at once. The first {@code ttl} counts from attaching.
     *
     * @param ttl how long one {@code pass()} keeps the service passing, at least 10 ms
     * @return the check
     * @throws IllegalArgumentException if the ttl is shorter than 10 ms
     */
    static HealthCheck ttl(Duration ttl) {
        return CheckSpec.ttl(ttl);
    }

    /**
     * Returns this check with other thresholds.
     *
     * @param failures failed probes in a row that make a passing service failing, 1..100
     * @param passes passing probes in a row that make a failing service passing, 1..100
     * @return a new check, otherwise like this one
     * @throws IllegalArgumentException if a threshold is outside 1..100
     */
    HealthCheck thresholds(int failures, int passes);

    /**
     * Returns the time between two probes (for a {@link #ttl} check, the ttl).
     *
     * @return the interval
     */
    Duration interval();
}
