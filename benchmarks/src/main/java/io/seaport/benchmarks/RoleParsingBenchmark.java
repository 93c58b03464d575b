package io.seaport.benchmarks;

import io.seaport.Role;
import io.seaport.RoleRange;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Measures parsing a role ({@code http@1.2.3}), a loose role ({@code web@2}), a bare-name range,
 * an npm range ({@code http@>=1.0.0 <2.0.0}), and matching a version against a range; uncached
 * (the provider caches parsed texts, so a query repeats none of this).
 *
 * <p>Run alone with {@code benchmarks/run --only RoleParsingBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RoleParsingBenchmark {
    // Fields, not constants, so that the JIT cannot fold the parse away.
    private String role = "http@1.2.3";
    private String looseRole = "web@2";
    private String bareRange = "http";
    private String npmRange = "http@>=1.0.0 <2.0.0";
    private final RoleRange caret = RoleRange.parse("http@^1.2");
    private final Role candidate = Role.parse("http@1.4.0");

    /** Returns {@code http@1.2.3} parsed. */
    @Benchmark
    public Role parseRole() {
        return Role.parse(role);
    }

    /** Returns {@code web@2} parsed (coerced to 2.0.0). */
    @Benchmark
    public Role parseLooseRole() {
        return Role.parse(looseRole);
    }

    /** Returns the bare-name range {@code http} parsed. */
    @Benchmark
    public RoleRange parseBareRange() {
        return RoleRange.parse(bareRange);
    }

    /** Returns {@code http@>=1.0.0 <2.0.0} parsed. */
    @Benchmark
    public RoleRange parseNpmRange() {
        return RoleRange.parse(npmRange);
    }

    /** Returns whether 1.4.0 is in {@code ^1.2}. */
    @Benchmark
    public boolean matchCaret() {
        return caret.matchesVersion(candidate);
    }
}
