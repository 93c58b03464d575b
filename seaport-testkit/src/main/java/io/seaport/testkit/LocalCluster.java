package io.seaport.testkit;

import io.seaport.Seaport;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;

/**
 * N real Seaport members in this JVM, each built with the public builder, sharing a cluster name
 * and a transport port block of their own (from {@link TestPorts}) so that parallel tests never
 * meet. {@link #describe()} prints every member for failure messages; {@link #close()} closes all.
 *
 * <pre>{@code
 * try (LocalCluster cluster = LocalCluster.start("MyTest-method", 2)) {
 *     cluster.member(0).register("http@1.0.0", 8080);
 *     Await.until("seen by member 1", () -> !cluster.member(1).query("http").isEmpty(), cluster::describe);
 * }
 * }</pre>
 *
 * <p>{@link #checkInvariants()} checks the registry's {@link Invariants} on the live members (those
 * neither closed nor {@link #crashed crashed}); {@link LocalClusters} runs it after every test,
 * unless the test {@link #skipInvariants skips it} with a reason.
 */
public final class LocalCluster implements AutoCloseable {
    private final String cluster;
    private final int basePort;
    private final UnaryOperator<Seaport.Builder> defaults;
    private final List<Seaport> members = new ArrayList<>();
    private final Set<Seaport> crashed = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Invariants invariants = new Invariants();
    private volatile String skipReason;

    private LocalCluster(String cluster, int basePort, UnaryOperator<Seaport.Builder> defaults) {
        this.cluster = cluster;
        this.basePort = basePort;
        this.defaults = defaults;
    }

    /**
     * Starts {@code size} members, one after the other (each {@code join} returns with a complete replica).
     *
     * @param name a name for the cluster, such as the test class and method; a random suffix is added
     * @param size how many members, 0 or more
     * @return the running cluster
     */
    public static LocalCluster start(String name, int size) {
        return start(name, size, UnaryOperator.identity());
    }

    /**
     * Starts {@code size} members whose builders {@code customize} adjusts (environment, port range...).
     *
     * @param name a name for the cluster; a random suffix is added
     * @param size how many members
     * @param customize applied to every member's builder after the cluster settings
     * @return the running cluster
     */
    public static LocalCluster start(String name, int size, UnaryOperator<Seaport.Builder> customize) {
        String cluster = name + "-" + Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36);
        LocalCluster local = new LocalCluster(cluster, TestPorts.clusterBasePort(), customize);
        try {
            for (int i = 0; i < size; i++) {
                local.add();
            }
        } catch (RuntimeException | Error e) {
            local.close();
            throw e;
        }
        return local;
    }

    /**
     * Returns a builder set up to join this cluster on loopback: cluster name, bind port and peers.
     *
     * @return a new builder; the caller may change it further
     */
    public Seaport.Builder builder() {
        return Seaport.builder()
                .cluster(cluster)
                .bindAddress("127.0.0.1")
                .bindPort(basePort)
                .peers("127.0.0.1:" + basePort);
    }

    /**
     * Joins one more member with the cluster's defaults; it is closed with the cluster.
     *
     * @return the new member
     */
    public Seaport add() {
        return add(UnaryOperator.identity());
    }

    /**
     * Joins one more member, with {@code customize} applied after the cluster's defaults.
     *
     * @param customize adjusts the member's builder
     * @return the new member
     */
    public Seaport add(UnaryOperator<Seaport.Builder> customize) {
        Seaport member = customize.apply(defaults.apply(builder())).join();
        synchronized (members) {
            members.add(member);
        }
        return member;
    }

    /**
     * Returns member {@code index}, in the order they joined.
     *
     * @param index 0-based
     * @return the member
     */
    public Seaport member(int index) {
        synchronized (members) {
            return members.get(index);
        }
    }

    /**
     * Returns every member, in the order they joined (closed ones included).
     *
     * @return a copy of the list
     */
    public List<Seaport> members() {
        synchronized (members) {
            return List.copyOf(members);
        }
    }

    /**
     * Returns the cluster's name.
     *
     * @return the name with its random suffix
     */
    public String cluster() {
        return cluster;
    }

    /**
     * Returns the transport port every member binds first.
     *
     * @return the base port of the cluster's block
     */
    public int basePort() {
        return basePort;
    }

    /**
     * Returns every member's view and published services, for failure messages.
     *
     * @return one block per member
     */
    public String describe() {
        StringBuilder out = new StringBuilder("cluster ").append(cluster).append(" (base port ").append(basePort)
                .append("):");
        for (Seaport member : members()) {
            out.append("\n  ").append(member);
        }
        return out.toString();
    }

    /**
     * Tells the invariant check that the test cut {@code member} off without closing it (a
     * simulated crash, such as its channel closed): it is no longer live, and its entries are
     * expected nowhere. It is still closed with the cluster.
     *
     * @param member a member of this cluster
     * @return the member
     */
    public Seaport crashed(Seaport member) {
        synchronized (members) {
            if (!members.contains(member)) {
                throw new IllegalArgumentException("not a member of cluster " + cluster + ": " + member);
            }
            crashed.add(member);
        }
        return member;
    }

    /**
     * Returns the invariant check's settings for this cluster, to adjust them (e.g.
     * {@link Invariants#allowSharedPorts(String)}).
     *
     * @return the settings {@link #checkInvariants()} uses
     */
    public Invariants invariants() {
        return invariants;
    }

    /**
     * Skips the invariant check that {@link LocalClusters} runs after the test, for a test that
     * legitimately ends with replicas that disagree (a partition left open, a hostile member's lies).
     *
     * @param reason why, quoted in the log
     */
    public void skipInvariants(String reason) {
        this.skipReason = Invariants.requireReason(reason);
    }

    /**
     * Returns why the invariant check is skipped for this cluster, or null if it is not.
     *
     * @return the reason given to {@link #skipInvariants(String)}
     */
    public String invariantsSkipped() {
        return skipReason;
    }

    /**
     * Waits until the live members satisfy the {@link Invariants} (the cluster is quiet), or fails.
     *
     * @throws AssertionError at the deadline, with every live member's replica, what it lacks or
     *     has too much, and {@link #describe()}
     */
    public void checkInvariants() {
        invariants.awaitHold(this::replicas, this::describe);
    }

    /**
     * Returns the replicas of the live members (neither closed nor crashed), read now.
     *
     * @return one per live member, in joining order
     */
    public List<Invariants.Replica> replicas() {
        List<Seaport> gone;
        synchronized (members) {
            gone = List.copyOf(crashed);
        }
        return invariants.read(members(), gone);
    }

    /** Closes every member, last joined first. */
    @Override
    public void close() {
        List<Seaport> all = members();
        for (int i = all.size() - 1; i >= 0; i--) {
            all.get(i).close();
        }
    }
}
