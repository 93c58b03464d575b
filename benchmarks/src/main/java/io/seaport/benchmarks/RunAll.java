package io.seaport.benchmarks;

import io.seaport.spi.SeaportConfig;
import io.seaport.testkit.net.TestNetwork;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.Statistics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every benchmark (JMH, then the multi-process harness, then the proxy) and writes
 * BENCHMARKS.md. Started by {@code benchmarks/run}, which builds first:
 * <pre>
 * benchmarks/run            # everything, about 10-15 minutes on 2 cores
 * benchmarks/run --quick    # shorter runs and fewer sizes, about 5 minutes
 * benchmarks/run --only QueryBenchmark|RoleParsingBenchmark|GetCompletionBenchmark|QueryOneRoleBenchmark|jmh|cluster|proxy|hostile
 * benchmarks/run --only RegisterOneRoleBenchmark
 * benchmarks/run --only visible|throughput|join|newcomer|kill|freeze|heap   (one cluster scenario)
 * benchmarks/run --only health     (health checks: failing, draining, cost of 1,000 checks)
 * benchmarks/run --only original   (the same scenarios against seaport 2.0.9, for the comparison column)
 * benchmarks/run --only scale   (2, 8, 32, 64 member JVMs with the default discovery; --quick: up to 32)
 * benchmarks/run --only sites   (a registration in one site seen in another, two sites bridged by RELAY3)
 * benchmarks/run --only hosts   (the scale figures across 8 and 16 network-namespace hosts, and 32 members on 16; needs root)
 * </pre>
 * Options: {@code --quick}, {@code --only <part>} (repeatable), {@code --out <file>} (default
 * BENCHMARKS.md in the working directory, which the script sets to the repository root),
 * {@code --hosts <layouts>} (the hosts part's layouts instead of 8,16,16x2: hosts, or hosts x
 * members per host, such as {@code 2,4x2} for a short try), {@code --sizes <n,...>} (the scale part's
 * member counts instead of 2,8,32,64).
 */
public final class RunAll {
    private static final Logger LOG = LoggerFactory.getLogger(RunAll.class);
    private static final List<String> JMH = List.of("QueryBenchmark", "QueryOneRoleBenchmark", "RoleParsingBenchmark",
            "GetCompletionBenchmark", "RegisterOneRoleBenchmark");

    private RunAll() {
    }

    /**
     * Runs the benchmarks selected by {@code args} and writes the report.
     *
     * @param args see the class comment
     * @throws Exception if JMH cannot run or the report cannot be written
     */
    public static void main(String[] args) throws Exception {
        boolean quick = false;
        List<String> only = new ArrayList<>();
        Path out = Path.of("BENCHMARKS.md");
        List<HostsScenarios.Layout> layouts = null;
        int[] sizes = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--only" -> only.add(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--hosts" -> layouts = HostsScenarios.Layout.parseAll(args[++i]);
                case "--sizes" -> sizes = ScaleScenarios.parseSizes(args[++i]);
                default -> throw new IllegalArgumentException("unknown option '" + args[i]
                        + "'; expected --quick, --only <part>, --out <file>, --hosts <layouts> or --sizes <n,...>");
            }
        }
        Report report = new Report();
        long start = System.nanoTime();
        for (String benchmark : JMH) {
            if (only.isEmpty() || only.contains(benchmark) || only.contains("jmh")) {
                LOG.info("JMH {} ...", benchmark);
                report.add(jmh(benchmark, quick));
            }
        }
        report.method("query", "JMH, average time per call, one fork; each `runs` sample is one measurement iteration. "
                + "The member is alone in a cluster of its own; services were registered through it.");
        Set<String> scenarios = Set.of("cluster", "visible", "throughput", "join", "newcomer", "kill", "freeze", "heap");
        if (only.isEmpty() || only.stream().anyMatch(scenarios::contains)) {
            report.add(new ClusterScenarios(quick, Set.copyOf(only)).run());
        }
        if (only.isEmpty() || only.contains("scale")) {
            report.add(new ScaleScenarios(quick).run(sizes != null ? sizes : quick ? ScaleScenarios.QUICK : ScaleScenarios.FULL));
            report.method(ScaleScenarios.SCALE, "N member JVMs of one cluster on 127.0.0.1 with the default settings "
                    + "(no bind port, no peers: discovery through the per-user directory), each with "
                    + String.join(" ", ScaleScenarios.JVM_OPTIONS) + ", each registering one service. Goals from "
                    + "issue 14 (64 members: join <= 1 s, register -> visible at the last member <= 5 ms, idle "
                    + "traffic <= 1 KiB/s per member). Separate JVMs on one 2-core machine: with 64 JVMs the "
                    + "members compete for 2 cores, so latencies include scheduling.");
        }
        if (only.isEmpty() || only.contains("hosts")) {
            hosts(report, quick, layouts != null ? layouts : quick ? HostsScenarios.QUICK : HostsScenarios.FULL);
        }
        if (only.isEmpty() || only.contains("sites")) {
            LOG.info("sites ...");
            try {
                report.add(new SitesScenarios(quick).run());
                report.method(SitesScenarios.SECTION, "Two sites in one JVM, each its own cluster of two members on "
                        + "127.0.0.1, bridged by RELAY3 over a loopback TCP bridge; a non-master member of one site "
                        + "registers, a non-master member of the other watches. Goal from issue 14: resolvable in "
                        + "another site <= 50 ms after registration on a healthy link. See SitesScenarios' javadoc.");
            } catch (Exception e) {
                LOG.error("sites benchmarks failed; their figures are missing", e);
                report.note("The sites benchmarks failed: " + e);
            }
        }
        if (only.isEmpty() || only.contains("proxy")) {
            ProxyScenarios proxy = new ProxyScenarios(quick);
            try {
                report.add(proxy.run());
            } catch (RuntimeException e) {
                LOG.error("proxy benchmarks failed; their figures are missing", e);
                report.note("The proxy benchmarks failed: " + e);
            }
            proxy.notes().forEach(report::note);
        }
        if (only.isEmpty() || only.contains("health")) {
            LOG.info("health ...");
            try {
                HealthScenarios.run(quick).forEach(line -> report.note("Health: " + line + "."));
            } catch (Exception e) {
                LOG.error("health benchmarks failed; their figures are missing", e);
                report.note("The health benchmarks failed: " + e);
            }
        }
        if (only.isEmpty() || only.contains("original")) {
            LOG.info("seaport 2.0.9 (node) ...");
            Original original = new Original(quick);
            report.original(original.run());
            original.notes().forEach(report::note);
        }
        if (only.isEmpty() || only.contains("hostile")) {
            try {
                report.add(new HostileScenarios(quick).run());
                report.method(HostileScenarios.SECTION, "One TLS member JVM (the victim); a HostileClient JVM keeps "
                        + "1,000 connections of one kind to its transport port; meanwhile key holders in fresh JVMs "
                        + "time their own join(), check their replica, register, and the harness waits for the "
                        + "victim to see it. See HostileScenarios' javadoc and docs/security.md.");
            } catch (RuntimeException e) {
                LOG.error("hostile-network benchmarks failed; their figures are missing", e);
                report.note("The hostile-network benchmarks failed: " + e);
            }
        }
        Notes.add(report);
        report.write(out, quick ? "quick" : "full");
        LOG.info("wrote {} after {} s", out.toAbsolutePath(), TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start));
    }

    /** Runs the hosts part, or notes why this machine cannot (no root, no ip). */
    private static void hosts(Report report, boolean quick, List<HostsScenarios.Layout> layouts) {
        Optional<String> unsupported = TestNetwork.unsupportedReason();
        if (unsupported.isPresent()) {
            LOG.warn("hosts part skipped: cannot build network namespaces: {}", unsupported.get());
            report.note("The hosts part (scale across network-namespace hosts) was skipped: cannot build network "
                    + "namespaces here: " + unsupported.get() + " (it needs root and iproute2's ip).");
            return;
        }
        LOG.info("hosts {} ...", layouts);
        report.add(new HostsScenarios(layouts).run(quick));
        report.method(HostsScenarios.SECTION, "H hosts, each a Linux network namespace on a private bridged subnet "
                + "(the test kit's TestNetwork), with one member JVM per host (M per host where the figure says so), "
                + "each bound to its host's address at port " + SeaportConfig.DEFAULT_BIND_PORT + " with every "
                + "host's address as explicit peers (TCPPING), each with " + String.join(" ", ScaleScenarios.JVM_OPTIONS)
                + " and registering one service; otherwise the method and figure texts of the scale section. The "
                + "hosts are simulated: every JVM still shares this machine's cores, and a packet crosses two veth "
                + "pairs and a bridge instead of loopback. Goals from issue 14 (64 members: join <= 1 s, register "
                + "-> visible at the last member <= 5 ms, idle traffic <= 1 KiB/s per member).");
    }

    private static List<Figure> jmh(String benchmark, boolean quick) throws RunnerException {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include("io\\.seaport\\.benchmarks\\." + benchmark + "\\.")
                .output(Path.of("benchmarks", "target", "bench-logs", benchmark + ".jmh.log").toString());
        if (quick) {
            options.warmupIterations(2).warmupTime(TimeValue.milliseconds(500))
                    .measurementIterations(3).measurementTime(TimeValue.milliseconds(500));
            if (benchmark.equals("QueryBenchmark")) {
                options.param("size", "1", "10000", "100000");
            } else if (benchmark.equals("QueryOneRoleBenchmark") || benchmark.equals("RegisterOneRoleBenchmark")) {
                options.param("size", "1", "10000");
            }
        }
        Collection<RunResult> results = new Runner(options.build()).run();
        List<Figure> figures = new ArrayList<>();
        for (RunResult result : results) {
            String method = result.getParams().getBenchmark();
            method = method.substring(method.lastIndexOf('.') + 1);
            StringBuilder name = new StringBuilder(method);
            for (String key : result.getParams().getParamsKeys()) {
                name.append(", ").append(key).append('=').append(result.getParams().getParam(key));
            }
            Statistics s = result.getPrimaryResult().getStatistics();
            Stats stats = new Stats((int) s.getN(), s.getPercentile(50), s.getPercentile(99), s.getMin(), s.getMax());
            String unit = result.getPrimaryResult().getScoreUnit();
            String section = benchmark.startsWith("Query") ? "query"
                    : benchmark.equals("RoleParsingBenchmark") ? "role and range parsing"
                    : benchmark.equals("RegisterOneRoleBenchmark") ? "change cost by role size" : "get completion";
            double target = Double.NaN;
            String note = "JMH avgt, " + result.getParams().getMeasurement().getCount() + " x "
                    + result.getParams().getMeasurement().getTime() + " measurement iterations after "
                    + result.getParams().getWarmup().getCount() + " warm-up";
            if (benchmark.startsWith("Query")) {
                name.insert(0, benchmark.equals("QueryBenchmark") ? "one service per role: "
                        : "every service under one role: ");
            }
            if (benchmark.startsWith("Query") && "10000".equals(result.getParams().getParam("size"))) {
                target = unit.startsWith("ns") ? 1_000 : 1;
                if (benchmark.equals("QueryOneRoleBenchmark")) {
                    note += method.equals("queryName")
                            ? "; the answer holds 10,000 services: an immutable view of the role's tree, not a copy"
                            : "; the answer holds 10,000 services, collected by one scan per published version "
                                    + "of the role and kept for the next caller (a repeated range is this cheap until "
                                    + "the role changes)";
                }
            }
            figures.add(new Figure(section, name.toString(), unit, stats, target, false, note));
        }
        return figures;
    }
}
