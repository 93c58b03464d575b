package io.seaport.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cluster of {@link MemberProcess} JVMs for one test: its own cluster name (the given prefix
 * plus a random suffix) and its own transport port block ({@link TestPorts#clusterBasePort()}).
 * Its members are owned by a {@link JavaProcesses} registry, which kills them in teardown and, if
 * the test failed, logs {@link #describe()} (every member's state and query results).
 *
 * <pre>{@code
 * @RegisterExtension final JavaProcesses processes = new JavaProcesses();
 *
 * ProcessCluster cluster = new ProcessCluster(processes, "KillIT", "victim", "survivor");
 * List<MemberProcess> members = cluster.start("a", "b", "c");   // a joins first, b and c in parallel
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class ProcessCluster {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessCluster.class);
    private static final String NO_PORT = "No available port to bind";

    private final JavaProcesses processes;
    private final String name;
    private volatile int basePort;
    private final List<String> ranges;
    private final List<MemberProcess> members = new ArrayList<>();
    private volatile UnaryOperator<MemberProcess.Launcher> settings = UnaryOperator.identity();

    /**
     * Creates an empty cluster whose members will be started in {@code processes}.
     *
     * @param processes the registry owning the member JVMs
     * @param prefix the start of the cluster's name, e.g. the test's name
     * @param ranges the ranges {@link #describe()} queries on every member
     */
    public ProcessCluster(JavaProcesses processes, String prefix, String... ranges) {
        this.processes = Objects.requireNonNull(processes, "processes");
        this.name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        this.basePort = TestPorts.clusterBasePort();
        this.ranges = List.of(ranges);
        processes.onFailure(this::describe);
    }

    /**
     * Returns the cluster's name.
     *
     * @return the unique name
     */
    public String name() {
        return name;
    }

    /**
     * Returns the transport base port every member binds from.
     *
     * @return the base port
     */
    public int basePort() {
        return basePort;
    }

    /**
     * Sets extra launch settings applied to every member started afterwards (port range,
     * environment, JVM options...).
     *
     * @param adjust changes a launcher and returns it
     * @return this cluster
     */
    public ProcessCluster configure(UnaryOperator<MemberProcess.Launcher> adjust) {
        this.settings = Objects.requireNonNull(adjust, "adjust");
        return this;
    }

    /**
     * Returns a launcher with this cluster's name, port block and settings.
     *
     * @param label the member's label
     * @return the launcher
     */
    public MemberProcess.Launcher launcher(String label) {
        return settings.apply(MemberProcess.launcher(name, basePort).label(label));
    }

    /**
     * Returns joined members, one per label. If the cluster is empty, the first label's member is
     * started and joined alone, so that it is the oldest member (JGroups coordinator, and the
     * host's port allocator); the others' JVMs are started in parallel. If this cluster has no member yet and its transport ports turn out
     * to be taken by another test JVM, it starts them again on a fresh port block (twice at most).
     *
     * @param labels the members' labels
     * @return the members, in the order of the labels
     */
    public List<MemberProcess> start(String... labels) {
        for (int attempt = 1; ; attempt++) {
            List<MemberProcess.Launcher> launchers = new ArrayList<>();
            List<JavaProcess> launched = new ArrayList<>();
            List<MemberProcess> started = new ArrayList<>();
            try {
                for (int i = 0; i < labels.length; i++) {
                    MemberProcess.Launcher launcher = launcher(labels[i]);
                    launchers.add(launcher);
                    launched.add(launcher.launch(processes));
                    if (i == 0 && members().isEmpty()) {
                        // The first member alone, so that it is the coordinator (and port allocator).
                        started.add(launcher.await(launched.get(0)));
                    }
                }
                for (int i = started.size(); i < labels.length; i++) {
                    started.add(launchers.get(i).await(launched.get(i)));
                }
                started.forEach(this::add);
                return started;
            } catch (AssertionError e) {
                // Test JVMs of other modules draw port blocks from the same range: between the
                // check and the bind, another one may take ours. A fresh cluster moves on.
                if (attempt == 3 || !members().isEmpty() || !String.valueOf(e.getMessage()).contains(NO_PORT)) {
                    throw e;
                }
                launched.forEach(JavaProcess::close);
                int taken = basePort;
                basePort = TestPorts.clusterBasePort();
                LOG.warn("cluster {}: transport ports {}..{} were taken by someone else; starting again from {}",
                        name, taken, taken + 10, basePort);
            }
        }
    }

    /**
     * Returns a joined member.
     *
     * @param label the member's label
     * @return the member
     */
    public MemberProcess start(String label) {
        return add(launcher(label).start(processes));
    }

    /**
     * Returns the members started so far, oldest first.
     *
     * @return a snapshot
     */
    public synchronized List<MemberProcess> members() {
        return List.copyOf(members);
    }

    /**
     * Returns every member's state and query results for the cluster's ranges (frozen or dead
     * members are only named), for failure messages.
     *
     * @return a multi-line text
     */
    public String describe() {
        StringBuilder text = new StringBuilder("cluster ").append(name).append(" (base port ").append(basePort)
                .append(")\n");
        for (MemberProcess member : members()) {
            text.append(member.describe(ranges.toArray(String[]::new)));
        }
        return text.toString();
    }

    private synchronized MemberProcess add(MemberProcess member) {
        members.add(member);
        return member;
    }
}
