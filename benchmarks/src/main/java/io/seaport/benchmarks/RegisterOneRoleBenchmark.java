package io.seaport.benchmarks;

import io.seaport.Registration;
import io.seaport.Seaport;
import io.seaport.Service;
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
 * Measures one {@code register} and its free on a member whose role {@code bench} already holds
 * {@code size} services: the question is whether a change costs more as its role grows (it did
 * while each change copied the role's sorted array; a role's services are a persistent tree now).
 * The member is alone in a cluster of its own on 127.0.0.1, so each call is the whole local path:
 * the multicast to itself, the event thread applying it, the index publishing it.
 *
 * <p>Run alone with {@code benchmarks/run --only RegisterOneRoleBenchmark}, or after
 * {@code benchmarks/run --build-only}:
 * {@code java -cp "$(benchmarks/run --build-only)" org.openjdk.jmh.Main RegisterOneRoleBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Djava.net.preferIPv4Stack=true", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
public class RegisterOneRoleBenchmark {
    /** How many services the role holds before the measured calls. */
    @Param({"1", "10000", "100000"})
    public int size;

    private Seaport seaport;

    /** Registers the role's services. */
    @Setup(Level.Trial)
    public void setUp() {
        seaport = BenchClusters.single("RegisterOneRoleBenchmark");
        for (int i = 0; i < size; i++) {
            seaport.register("bench@1." + (i % 10) + ".0", 10_000 + i % 50_000);
        }
        if (seaport.query("bench").size() != size) {
            throw new IllegalStateException("setup failed: " + seaport.query("bench").size() + " of " + size);
        }
    }

    /** Closes the member. */
    @TearDown(Level.Trial)
    public void tearDown() {
        seaport.close();
    }

    /** Returns the service registered (and freed) in a role of {@code size} others. */
    @Benchmark
    public Service registerAndFree() {
        try (Registration registration = seaport.register("bench@1.5.0", 60_000)) {
            return registration.service();
        }
    }
}
