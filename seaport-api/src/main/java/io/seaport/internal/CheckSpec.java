package io.seaport.internal;

import io.seaport.HealthCheck;
import java.time.Duration;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * The one implementation of {@link HealthCheck}: what to probe, how often, and the thresholds.
 * The provider reads it to run the check. Immutable and thread-safe.
 */
public final class CheckSpec implements HealthCheck {
    /** The shortest interval (or ttl) accepted. */
    public static final Duration MIN_INTERVAL = Duration.ofMillis(10);
    private static final int MAX_THRESHOLD = 100;

    /** What a check probes. */
    public enum Kind {
        /** Connects to host:port. */
        TCP,
        /** GETs http://host:port/path and expects 2xx. */
        HTTP,
        /** Calls the application's probe. */
        PROBE,
        /** Expects {@code Registration.pass()} within the interval. */
        TTL
    }

    private final Kind kind;
    private final String path;
    private final BooleanSupplier probe;
    private final Duration interval;
    private final int failures;
    private final int passes;

    private CheckSpec(Kind kind, String path, BooleanSupplier probe, Duration interval, int failures, int passes) {
        this.kind = kind;
        this.path = path;
        this.probe = probe;
        this.interval = interval;
        this.failures = failures;
        this.passes = passes;
    }

    /** See {@link HealthCheck#tcp}. */
    public static CheckSpec tcp(Duration interval) {
        return new CheckSpec(Kind.TCP, null, null, checkInterval(interval, "interval"),
                DEFAULT_FAILURES, DEFAULT_PASSES);
    }

    /** See {@link HealthCheck#http}. */
    public static CheckSpec http(String path, Duration interval) {
        Objects.requireNonNull(path, "path");
        if (!path.startsWith("/") || path.length() > 2048
                || path.chars().anyMatch(c -> c <= ' ' || Character.isISOControl(c))) {
            throw new IllegalArgumentException("invalid health check path '" + path
                    + "': expected a path starting with '/' without blanks or control characters, such as /health");
        }
        return new CheckSpec(Kind.HTTP, path, null, checkInterval(interval, "interval"),
                DEFAULT_FAILURES, DEFAULT_PASSES);
    }

    /** See {@link HealthCheck#of}. */
    public static CheckSpec of(BooleanSupplier probe, Duration interval) {
        Objects.requireNonNull(probe, "probe");
        return new CheckSpec(Kind.PROBE, null, probe, checkInterval(interval, "interval"),
                DEFAULT_FAILURES, DEFAULT_PASSES);
    }

    /** See {@link HealthCheck#ttl}; a ttl check fails at the first missed deadline and passes at the first pass. */
    public static CheckSpec ttl(Duration ttl) {
        return new CheckSpec(Kind.TTL, null, null, checkInterval(ttl, "ttl"), 1, 1);
    }

    @Override
    public CheckSpec thresholds(int failures, int passes) {
        checkThreshold(failures, "failures");
        checkThreshold(passes, "passes");
        return new CheckSpec(kind, path, probe, interval, failures, passes);
    }

    @Override
    public Duration interval() {
        return interval;
    }

    /** Returns what this check probes. */
    public Kind kind() {
        return kind;
    }

    /** Returns the HTTP path, or null if this is not an HTTP check. */
    public String path() {
        return path;
    }

    /** Returns the application's probe, or null if this is not a {@link Kind#PROBE} check. */
    public BooleanSupplier probe() {
        return probe;
    }

    /** Returns how many failed probes in a row make a passing service failing. */
    public int failures() {
        return failures;
    }

    /** Returns how many passing probes in a row make a failing service passing. */
    public int passes() {
        return passes;
    }

    /** Returns how long one probe may take before it counts as failed: the interval, at most 5 seconds. */
    public Duration timeout() {
        Duration cap = Duration.ofSeconds(5);
        return interval.compareTo(cap) < 0 ? interval : cap;
    }

    @Override
    public String toString() {
        String what = switch (kind) {
            case TCP -> "tcp";
            case HTTP -> "http:" + path;
            case PROBE -> "probe";
            case TTL -> "ttl";
        };
        return what + " every " + interval.toMillis() + " ms (failing after " + failures
                + (failures == 1 ? " failure" : " failures") + ", passing after " + passes
                + (passes == 1 ? " pass" : " passes") + ")";
    }

    private static Duration checkInterval(Duration interval, String what) {
        Objects.requireNonNull(interval, what);
        if (interval.compareTo(MIN_INTERVAL) < 0) {
            throw new IllegalArgumentException("health check " + what + " must be at least " + MIN_INTERVAL.toMillis()
                    + " ms, was " + interval);
        }
        return interval;
    }

    private static void checkThreshold(int value, String what) {
        if (value < 1 || value > MAX_THRESHOLD) {
            throw new IllegalArgumentException("health check " + what + " threshold must be in 1.." + MAX_THRESHOLD
                    + ", was " + value);
        }
    }
}
