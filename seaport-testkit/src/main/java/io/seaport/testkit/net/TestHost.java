package io.seaport.testkit.net;

import java.util.List;
import java.util.Objects;

/**
 * One simulated host of a {@link TestNetwork}, a network namespace
 * with {@code lo} and one interface {@code eth0} holding {@link #address()}, cabled to the
 * network's bridge.
 *
 * <p>Programs run on the host when their command starts with {@link #commandPrefix()}
 * ({@code ip netns exec NAMESPACE}); {@code ip netns exec} replaces itself with the program, so
 * the pid of the started process is the program's own and signals reach it directly.
 *
 * <p>Thread-safe.
 */
public final class TestHost {
    private final TestNetwork network;
    private final String name;
    private final String namespace;
    private final String address;

    TestHost(TestNetwork network, String name, String namespace, String address) {
        this.network = network;
        this.name = name;
        this.namespace = namespace;
        this.address = address;
    }

    /**
     * Returns the host's short name, such as {@code h1}.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Returns the network namespace's name, unique to this run.
     *
     * @return the namespace
     */
    public String namespace() {
        return namespace;
    }

    /**
     * Returns the host's IPv4 address in the network's private subnet.
     *
     * @return the address, such as {@code 10.213.17.1}
     */
    public String address() {
        return address;
    }

    /**
     * Returns the words that, put before a command, run it on this host.
     *
     * @return {@code ip netns exec NAMESPACE}
     */
    public List<String> commandPrefix() {
        return List.of("ip", "netns", "exec", namespace);
    }

    /**
     * Returns the output of {@code command} run on this host; it must exit with 0 within 30 s.
     *
     * @param command the program and its arguments
     * @return its stdout and stderr
     * @throws IllegalStateException if it fails, with its output
     */
    public String run(String... command) {
        Objects.requireNonNull(command, "command");
        String[] full = new String[command.length + 4];
        commandPrefix().toArray(full);
        System.arraycopy(command, 0, full, 4, command.length);
        return IpCommand.run(full);
    }

    /**
     * Cuts this host off the network: its {@code eth0} goes down, so it can reach nobody and
     * nobody can reach it, while its processes keep running and keep their sockets.
     */
    public void cut() {
        network.cut(this);
    }

    /** Cables this host back to the network. */
    public void restore() {
        network.restore(this);
    }

    /**
     * Returns whether the host is cabled (not {@link #cut()}).
     *
     * @return true unless cut
     */
    public boolean isLinkUp() {
        return network.isLinkUp(this);
    }

    @Override
    public String toString() {
        return name + "(" + address + (isLinkUp() ? "" : ", cut") + ")";
    }
}
