package io.seaport.benchmarks;

import io.seaport.Registration;
import io.seaport.Seaport;
import io.seaport.Service;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Measures {@code query} on a member whose replica holds {@code size} services all under one role
 * ({@code bench}, versions 1.0.0 to 1.9.0), so the answer is every service; asked by bare name and by
 * a semver range matching all. A bare-name answer is a view of the role's published tree (no copy),
 * so its cost should not depend on {@code size}; a range answer is built by a scan.
 *
 * <p>The services are registered through a real single-member cluster on 127.0.0.1, so the index
 * is the one {@code register} builds. Run alone with:
 * <pre>
 * benchmarks/run --only QueryOneRoleBenchmark
 * </pre>
 * or, after {@code benchmarks/run --build-only}:
 * {@code java -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" org.openjdk.jmh.Main QueryOneRoleBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Djava.net.preferIPv4Stack=true", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
public class QueryOneRoleBenchmark {
    /** How many services the replica holds. */
    @Param({"1", "1000", "10000", "100000"})
    public int size;

    private Seaport seaport;
    private final List<Registration> registrations = new ArrayList<>();
    private String byName;
    private String byRange;

    /** Registers the services. */
    @Setup(Level.Trial)
    public void setUp() {
        seaport = BenchClusters.single("QueryOneRoleBenchmark");
        for (int i = 0; i < size; i++) {
            String role = "bench@1." + (i % 10) + ".0";
            registrations.add(seaport.register(role, 10_000 + i % 50_000));
        }
        String asked = "bench";
        byName = asked;
        byRange = asked + "@^1.0.0";
        if (seaport.query(byName).isEmpty()) {
            throw new IllegalStateException("setup failed: no service for " + byName);
        }
    }

    /** Closes the member. */
    @TearDown(Level.Trial)
    public void tearDown() {
        seaport.close();
    }

    /** Returns every version of the asked role. */
    @Benchmark
    public List<Service> queryName() {
        return seaport.query(byName);
    }

    /** Returns the services of the asked role whose version is in {@code ^1.0.0} (all of them). */
    @Benchmark
    public List<Service> queryRange() {
        return seaport.query(byRange);
    }
}
