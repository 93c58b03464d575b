package io.seaport.jgroups.faults;

import io.seaport.Service;
import io.seaport.spi.SeaportConfig;
import io.seaport.testkit.Await;
import io.seaport.testkit.JavaProcess;
import io.seaport.testkit.JavaProcesses;
import io.seaport.testkit.MemberProcess;
import io.seaport.testkit.net.TcpProbe;
import io.seaport.testkit.net.TestHost;
import io.seaport.testkit.net.TestNetwork;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Seaport cluster whose members run on separate simulated hosts: one {@link TestNetwork}
 * host per member, each member a JVM started inside its host's namespace and configured as a
 * production member on a real network would be, with {@code seaport.bind} = its host's address
 * and peers = every host's address at the default transport port. Everything else is the
 * provider's defaults.
 *
 * <p>Register it as a JUnit extension on an instance field; teardown (pass or fail) kills every
 * member JVM and removes the network, and on failure logs every member's state and output.
 *
 * <p>Not thread-safe: one test thread drives it.
 */
final class HostCluster implements AfterEachCallback {
    /** Every host has a port space of its own, so each member uses the production default. */
    static final int BIND_PORT = SeaportConfig.DEFAULT_BIND_PORT;
    /** How long the registry may take to converge after a fault: failure detection plus a merge, on a loaded machine. */
    static final Duration CONVERGENCE_TIMEOUT = Duration.ofSeconds(90);

    /** Set to a level such as {@code debug} to see JGroups' own logs of the members (on failure). */
    static final String JGROUPS_LOG_PROPERTY = "seaport.faults.jgroups.log";

    private static final Logger LOG = LoggerFactory.getLogger(HostCluster.class);
    private static final long POLL_INTERVAL_NANOS = Duration.ofMillis(100).toNanos();

    private final JavaProcesses processes = new JavaProcesses();
    private final List<Node> nodes = new ArrayList<>();
    private TestNetwork network;
    private String cluster;

    /**
     * Returns the nodes of a new cluster of {@code hostCount} hosts, one running member each,
     * after every member registered one service and every member sees all of them (so the
     * members form one cluster). Skips the test where namespaces cannot be made.
     */
    List<Node> start(String name, int hostCount) {
        TestNetwork.assumeSupported();
        cluster = "faults-" + name + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt());
        network = TestNetwork.create(hostCount);
        network.hosts().forEach(h -> nodes.add(new Node(h)));
        processes.onFailure(this::describe);
        long begin = System.nanoTime();
        List<Launch> launches = nodes.stream().map(this::launch).toList();
        launches.forEach(Launch::await);
        nodes.forEach(Node::register);
        long converged = awaitConverged("one cluster of " + hostCount + " hosts", nodes, nodes);
        LOG.info("cluster {} on {} hosts formed in {} ms", cluster, hostCount, millis(converged - begin));
        return List.copyOf(nodes);
    }

    /** Starts a new member on a node whose member is dead: the same host, address and ports. */
    void restart(Node node) {
        if (node.state() != Node.State.DEAD) {
            throw new IllegalStateException("restart needs a dead member, was " + node);
        }
        launch(node).await();
    }

    /**
     * Returns the {@link System#nanoTime()} at which every observer's replica held exactly the
     * live registrations of {@code owners} (and no duplicates), polling every 100 ms.
     *
     * @throws AssertionError after {@link #CONVERGENCE_TIMEOUT}, with every member's replica
     */
    long awaitConverged(String what, Collection<Node> observers, Collection<Node> owners) {
        Set<String> expected = expected(owners);
        long[] at = {0};
        long[] lastPoll = {0};
        Await.until(what, CONVERGENCE_TIMEOUT, () -> {
            // Throttled: asking every member for its replica each 10 ms would load the 2 cores.
            if (System.nanoTime() - lastPoll[0] < POLL_INTERVAL_NANOS) {
                return false;
            }
            lastPoll[0] = System.nanoTime();
            for (Node observer : observers) {
                List<String> seen = replica(observer);
                if (seen.size() != expected.size() || !new TreeSet<>(seen).equals(expected)) {
                    return false;
                }
            }
            at[0] = System.nanoTime();
            return true;
        }, () -> "expected on " + observers.stream().map(Node::label).toList() + ":\n  " + String.join("\n  ", expected)
                + "\n" + describe());
        return at[0];
    }

    /**
     * Returns, after watching for {@code period}, the first deviation seen from "every observer's
     * replica holds exactly the registrations of {@code owners}", or an empty string if none.
     */
    String checkStaysConverged(Collection<Node> observers, Collection<Node> owners, Duration period) {
        Set<String> expected = expected(owners);
        long end = System.nanoTime() + period.toNanos();
        while (System.nanoTime() < end) {
            for (Node observer : observers) {
                List<String> seen = replica(observer);
                if (seen.size() != expected.size() || !new TreeSet<>(seen).equals(expected)) {
                    return observer.label() + " held " + seen + " instead of " + expected;
                }
            }
            pause(Duration.ofMillis(250));
        }
        return "";
    }

    /** Returns the services of the registrations of {@code owners}, as {@link #brief} strings, sorted. */
    static Set<String> expected(Collection<Node> owners) {
        Map<String, Service> all = new TreeMap<>();
        owners.forEach(n -> all.putAll(n.registered()));
        return all.values().stream().map(HostCluster::brief).collect(Collectors.toCollection(TreeSet::new));
    }

    /** Returns what {@code node}'s member lists for {@link Node#RANGE}, as {@link #brief} strings. */
    static List<String> replica(Node node) {
        return node.member().query(Node.RANGE).stream().map(HostCluster::brief).sorted().toList();
    }

    static String brief(Service service) {
        return service.id() + " " + service.address() + " " + service.member();
    }

    /**
     * Returns a started {@link TcpProbe} server on {@code node}'s host, bound to the host's
     * address and {@code port}, answering {@code hello from ADDRESS}.
     */
    JavaProcess startProbeServer(Node node, int port) {
        JavaProcess server = processes.start(JavaProcess.builder(TcpProbe.class).name("probe-" + node.host().name())
                .args("serve", node.host().address(), Integer.toString(port))
                .commandPrefix(node.host().commandPrefix()));
        server.awaitLine("^serving$", MemberProcess.START_TIMEOUT);
        return server;
    }

    /** Returns what a {@link TcpProbe} client on {@code from}'s host got from {@code address}. */
    String probe(TestHost from, String host, int port) {
        JavaProcess client = processes.start(JavaProcess.builder(TcpProbe.class).name("probe-client-" + from.name())
                .args("connect", host, Integer.toString(port), "5000")
                .commandPrefix(from.commandPrefix()));
        String line = client.awaitLine("^(received|unreachable) ", MemberProcess.START_TIMEOUT);
        client.awaitExit(Duration.ofSeconds(30));
        return line;
    }

    /** Returns every host's link state and every member's state and replica, for failure messages. */
    String describe() {
        return "cluster " + cluster + " on " + network.tag() + "\n" + describe(nodes);
    }

    /** Returns each node's state, registrations and member's replica, for failure messages. */
    static String describe(List<Node> nodes) {
        StringBuilder text = new StringBuilder();
        for (Node node : nodes) {
            text.append("  ").append(node).append('\n');
            if (node.isRunning()) {
                text.append("    registered: ").append(node.registered().values().stream().map(HostCluster::brief)
                        .toList()).append('\n');
                text.append("    ").append(node.member().describe(Node.RANGE).replace("\n", "\n    ")).append('\n');
            }
        }
        return text.toString();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        try {
            if (context.getExecutionException().isPresent() && cluster != null) {
                saveLogs();
            }
            processes.afterEach(context);
        } finally {
            if (network != null) {
                network.close();
            }
        }
    }

    /** Writes every process's whole output to target/faults-logs/CLUSTER/, for the diagnosis of a failure. */
    private void saveLogs() {
        Path directory = Path.of("target", "faults-logs", cluster);
        try {
            Files.createDirectories(directory);
            for (JavaProcess process : processes.processes()) {
                String name = process.name().replace('#', '-') + "-" + process.pid();
                Files.write(directory.resolve(name + ".out"), process.stdout());
                Files.write(directory.resolve(name + ".err"), process.stderr());
            }
            LOG.error("the whole output of every process of {} is in {}", cluster, directory.toAbsolutePath());
        } catch (IOException e) {
            LOG.error("cannot save the output of the processes of {} to {}", cluster, directory, e);
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis()); // the poll interval of an observation window
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while watching the replicas", e);
        }
    }

    static long millis(long nanos) {
        return Duration.ofNanos(nanos).toMillis();
    }

    private Launch launch(Node node) {
        node.nextIncarnation();
        List<String> peers = network.hosts().stream().map(h -> h.address() + ":" + BIND_PORT).toList();
        MemberProcess.Launcher launcher = MemberProcess.launcher(cluster, BIND_PORT)
                .label(node.label())
                .peers(peers.toArray(String[]::new))
                .systemProperty("seaport.bind", node.host().address());
        String jgroupsLog = System.getProperty(JGROUPS_LOG_PROPERTY);
        if (jgroupsLog != null) {
            launcher.systemProperty("org.slf4j.simpleLogger.log.org.jgroups", jgroupsLog);
        }
        JavaProcess process = processes.start(launcher.processBuilder().commandPrefix(node.host().commandPrefix()));
        return new Launch(node, launcher, process);
    }

    /** A member JVM started on a node, not yet joined. */
    private record Launch(Node node, MemberProcess.Launcher launcher, JavaProcess process) {
        void await() {
            node.started(launcher.await(process));
            LOG.info("{} joined as {} on {}", node.label(), node.member().member(), node.host().address());
        }
    }
}
