package io.seaport.benchmarks;

import io.seaport.Registration;
import io.seaport.Seaport;
import io.seaport.Service;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Measures how soon a pending {@code get} completes when a matching service appears, in one JVM:
 * {@code getThenRegister} issues {@code get("probe")}, registers {@code probe@1.0.0}, waits for
 * the future and frees the registration; {@code registerOnly} does the same without the
 * {@code get}. Their difference is the cost of completing the future (hand-off to the listener
 * thread included). The member is alone in a cluster of its own on 127.0.0.1.
 *
 * <p>Run alone with {@code benchmarks/run --only GetCompletionBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Djava.net.preferIPv4Stack=true", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
public class GetCompletionBenchmark {
    private Seaport seaport;

    /** Joins the single-member cluster. */
    @Setup(Level.Trial)
    public void setUp() {
        seaport = BenchClusters.single("GetCompletionBenchmark");
    }

    /** Closes the member. */
    @TearDown(Level.Trial)
    public void tearDown() {
        seaport.close();
    }

    /**
     * Returns the services a pending get completed with, after registering the first match.
     *
     * @throws Exception if the get does not complete within 10 s
     */
    @Benchmark
    public List<Service> getThenRegister() throws InterruptedException, ExecutionException, TimeoutException {
        var future = seaport.get("probe");
        Registration registration = seaport.register("probe@1.0.0", 40_000);
        try {
            return future.get(10, TimeUnit.SECONDS);
        } finally {
            registration.close();
        }
    }

    /** Returns the registered service, registered and freed without any get (the baseline). */
    @Benchmark
    public Service registerOnly() {
        try (Registration registration = seaport.register("probe@1.0.0", 40_000)) {
            return registration.service();
        }
    }
}
