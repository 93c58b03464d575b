package io.seaport.testkit.net;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A private network of simulated hosts on this machine, made of Linux network namespaces, for
 * tests of behaviour across real hosts: several addresses, links that can be cut.
 *
 * <pre>
 *   namespace sp-PID-TAG-br:  br0 ── h1 ── h2 ── ... (veth ends, bridge ports)
 *                                    │     │
 *   namespace sp-PID-TAG-h1:  eth0 10.213.X.1/24, lo
 *   namespace sp-PID-TAG-h2:  eth0 10.213.X.2/24, lo
 * </pre>
 *
 * <p>The bridge lives in a namespace of its own and each veth pair is created directly between
 * the bridge's namespace and a host's, so nothing is added to, or routed through, the machine's
 * root namespace; the subnet exists only inside these namespaces. Namespace names carry the
 * creating JVM's pid and a random tag, so concurrent runs never collide, and {@link #create}
 * first deletes the namespaces of earlier runs whose JVM is gone (a killed test run cannot clean
 * up after itself).
 *
 * <p>Everything created is removed by {@link #close()}, when creation fails half-way, and by a
 * shutdown hook if the JVM exits without closing. Needs root and {@code ip} (iproute2): call
 * {@link #assumeSupported()} first, so that tests are skipped with a clear message where the
 * machine cannot do it.
 *
 * <p>Thread-safe.
 */
public final class TestNetwork implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TestNetwork.class);
    private static final String PREFIX = "sp-";
    private static final Pattern OUR_NAMESPACE = Pattern.compile("^sp-(\\d+)-[0-9a-f]{4}-(?:br|h\\d+|probe)$");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<TestNetwork> OPEN = ConcurrentHashMap.newKeySet();
    private static volatile Optional<String> unsupported;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> OPEN.forEach(TestNetwork::close), "test-network-reaper"));
    }

    private final String tag;
    private final String subnet;
    private final String bridgeNamespace;
    private final List<TestHost> hosts = new ArrayList<>();
    private final Set<String> created = new LinkedHashSet<>();
    private final Set<TestHost> cut = ConcurrentHashMap.newKeySet();
    private boolean closed;

    private TestNetwork() {
        this.tag = PREFIX + ProcessHandle.current().pid() + "-" + String.format("%04x", RANDOM.nextInt(0x10000));
        this.subnet = "10.213." + RANDOM.nextInt(256);
        this.bridgeNamespace = tag + "-br";
    }

    /**
     * Skips the calling test (a JUnit assumption) unless this machine can build test networks: {@code ip} is installed, we are root, and network namespaces, bridges and
     * veth pairs can be created. The probe runs once per JVM.
     */
    public static void assumeSupported() {
        Optional<String> reason = unsupportedReason();
        Assumptions.assumeTrue(reason.isEmpty(), () -> "skipped: cannot build a test network of namespaces: "
                + reason.orElse("") + " (needs root and iproute2's ip; install the iproute2 package)");
    }

    /**
     * Returns why test networks cannot be built here, or empty if they can.
     *
     * @return the reason, or empty
     */
    public static synchronized Optional<String> unsupportedReason() {
        if (unsupported == null) {
            unsupported = probe();
        }
        return unsupported;
    }

    /**
     * Returns a new network of {@code hostCount} cabled hosts {@code h1..hN} with addresses
     * {@code 10.213.X.1..N} in a random {@code /24}, after sweeping the leftovers of dead runs.
     *
     * @param hostCount how many hosts, 1..250
     * @return the network; close it to remove it
     * @throws IllegalArgumentException if {@code hostCount} is out of range
     * @throws IllegalStateException if a command fails; whatever was created is removed
     */
    public static TestNetwork create(int hostCount) {
        if (hostCount < 1 || hostCount > 250) {
            throw new IllegalArgumentException("host count must be in 1..250, was " + hostCount);
        }
        sweepLeftovers();
        TestNetwork network = new TestNetwork();
        OPEN.add(network);
        try {
            network.build(hostCount);
        } catch (RuntimeException e) {
            network.close();
            throw e;
        }
        LOG.info("test network {} up: {}", network.tag, network.hosts);
        return network;
    }

    /**
     * Deletes the namespaces of earlier runs whose JVM is no longer alive.
     *
     * @return how many were deleted
     */
    public static int sweepLeftovers() {
        int deleted = 0;
        for (String namespace : namespaces()) {
            Matcher matcher = OUR_NAMESPACE.matcher(namespace);
            if (matcher.matches() && !isAlive(Long.parseLong(matcher.group(1)))) {
                IpCommand.Result result = IpCommand.attempt("ip", "netns", "delete", namespace);
                if (result.ok()) {
                    deleted++;
                    LOG.info("deleted leftover namespace {} of a dead test run", namespace);
                } else {
                    LOG.warn("cannot delete leftover namespace {}: {}", namespace, result.output().strip());
                }
            }
        }
        return deleted;
    }

    /**
     * Returns the names of every network namespace on the machine ({@code ip netns list}).
     *
     * @return the names
     */
    public static List<String> namespaces() {
        List<String> names = new ArrayList<>();
        for (String line : IpCommand.run("ip", "netns", "list").split("\n")) {
            String name = line.strip().split("\\s+")[0];
            if (!name.isEmpty()) {
                names.add(name);
            }
        }
        return names;
    }

    /**
     * Returns the names of the links of the root namespace (the one this JVM runs in), to check
     * that a test network added none.
     *
     * @return the link names, such as {@code lo}, {@code eth0}
     */
    public static Set<String> rootLinks() {
        Set<String> links = new LinkedHashSet<>();
        for (String line : IpCommand.run("ip", "-o", "link", "show").split("\n")) {
            String[] fields = line.split(":\\s+", 3);
            if (fields.length >= 2) {
                links.add(fields[1].split("@")[0]);
            }
        }
        return links;
    }

    /**
     * Returns the hosts, {@code h1} first.
     *
     * @return the hosts
     */
    public List<TestHost> hosts() {
        return List.copyOf(hosts);
    }

    /**
     * Returns host {@code hN}.
     *
     * @param number 1..N
     * @return the host
     */
    public TestHost host(int number) {
        return hosts.get(number - 1);
    }

    /**
     * Returns the namespaces this network created and has not removed yet.
     *
     * @return namespace names
     */
    public synchronized List<String> namespacesCreated() {
        return List.copyOf(created);
    }

    /**
     * Returns the bridge's namespace.
     *
     * @return its name
     */
    public String bridgeNamespace() {
        return bridgeNamespace;
    }

    /**
     * Returns the unique prefix of every namespace of this network.
     *
     * @return such as {@code sp-4242-a0b1}
     */
    public String tag() {
        return tag;
    }

    /**
     * Removes every namespace of this network (and with them its veth pairs and bridge).
     * Processes still running in a host keep its namespace alive until they exit, unreachable
     * and unnamed; stop them first. Idempotent; failures are logged, not thrown, so teardown
     * removes as much as it can.
     */
    @Override
    public void close() {
        List<String> toDelete;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            toDelete = new ArrayList<>(created);
        }
        // Hosts first: deleting a host's namespace destroys its veth pair, then the bridge goes.
        Collections.reverse(toDelete);
        for (String namespace : toDelete) {
            IpCommand.Result result = IpCommand.attempt("ip", "netns", "delete", namespace);
            if (result.ok()) {
                synchronized (this) {
                    created.remove(namespace);
                }
            } else {
                LOG.error("cannot delete namespace {}: {}", namespace, result.output().strip());
            }
        }
        OPEN.remove(this);
        LOG.info("test network {} removed", tag);
    }

    void cut(TestHost host) {
        IpCommand.run("ip", "-n", host.namespace(), "link", "set", "eth0", "down");
        cut.add(host);
        LOG.info("cut {} off the network", host.name());
    }

    void restore(TestHost host) {
        IpCommand.run("ip", "-n", host.namespace(), "link", "set", "eth0", "up");
        cut.remove(host);
        LOG.info("cabled {} back to the network", host.name());
    }

    boolean isLinkUp(TestHost host) {
        return !cut.contains(host);
    }

    private void build(int hostCount) {
        addNamespace(bridgeNamespace);
        IpCommand.run("ip", "-n", bridgeNamespace, "link", "add", "br0", "type", "bridge");
        IpCommand.run("ip", "-n", bridgeNamespace, "link", "set", "br0", "up");
        for (int number = 1; number <= hostCount; number++) {
            String name = "h" + number;
            String namespace = tag + "-" + name;
            String address = subnet + "." + number;
            addNamespace(namespace);
            // Both ends are born in their target namespaces: nothing passes through the root one.
            IpCommand.run("ip", "-n", bridgeNamespace, "link", "add", name, "type", "veth",
                    "peer", "name", "eth0", "netns", namespace);
            IpCommand.run("ip", "-n", bridgeNamespace, "link", "set", name, "master", "br0");
            IpCommand.run("ip", "-n", bridgeNamespace, "link", "set", name, "up");
            IpCommand.run("ip", "-n", namespace, "link", "set", "lo", "up");
            IpCommand.run("ip", "-n", namespace, "addr", "add", address + "/24", "dev", "eth0");
            IpCommand.run("ip", "-n", namespace, "link", "set", "eth0", "up");
            hosts.add(new TestHost(this, name, namespace, address));
        }
    }

    private void addNamespace(String namespace) {
        IpCommand.run("ip", "netns", "add", namespace);
        synchronized (this) {
            created.add(namespace);
        }
    }

    private static boolean isAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static Optional<String> probe() {
        IpCommand.Result version;
        try {
            version = IpCommand.attempt("ip", "-V");
        } catch (RuntimeException e) {
            return Optional.of("the ip command cannot run (" + e.getMessage() + ")");
        }
        if (!version.ok()) {
            return Optional.of("'ip -V' failed: " + version.output().strip());
        }
        String namespace = PREFIX + ProcessHandle.current().pid() + "-"
                + String.format("%04x", RANDOM.nextInt(0x10000)) + "-probe";
        IpCommand.Result added = IpCommand.attempt("ip", "netns", "add", namespace);
        if (!added.ok()) {
            return Optional.of("'ip netns add' failed (not root?): " + added.output().strip());
        }
        try {
            for (String[] command : List.of(
                    new String[] {"ip", "-n", namespace, "link", "add", "b0", "type", "bridge"},
                    new String[] {"ip", "-n", namespace, "link", "add", "v0", "type", "veth", "peer", "name", "v1"},
                    new String[] {"ip", "-n", namespace, "link", "set", "v0", "master", "b0"})) {
                IpCommand.Result result = IpCommand.attempt(command);
                if (!result.ok()) {
                    return Optional.of("'" + String.join(" ", command) + "' failed: " + result.output().strip());
                }
            }
            return Optional.empty();
        } finally {
            IpCommand.Result deleted = IpCommand.attempt("ip", "netns", "delete", namespace);
            if (!deleted.ok()) {
                LOG.error("cannot delete probe namespace {}: {}", namespace, deleted.output().strip());
            }
        }
    }
}
