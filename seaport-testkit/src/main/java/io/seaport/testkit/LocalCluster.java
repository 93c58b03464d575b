package io.seaport.testkit;

import io.seaport.Seaport;
import java.util.ArrayList;
import java.util.List;
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
 */
public final class LocalCluster implements AutoCloseable {
    private final String cluster;
    private final int basePort;
    private final UnaryOperator<Seaport.Builder> defaults;
    private final List<Seaport> members = new ArrayList<>();

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

    /** Closes every member, last joined first. */
    @Override
    public void close() {
        List<Seaport> all = members();
        for (int i = all.size() - 1; i >= 0; i--) {
            all.get(i).close();
        }
    }
}
