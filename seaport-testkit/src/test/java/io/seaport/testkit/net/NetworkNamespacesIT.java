package io.seaport.testkit.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.seaport.testkit.Await;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

final class NetworkNamespacesIT {
    private static final int PORT = 9000;

    private final List<Process> servers = new ArrayList<>();
    private TestNetwork network;

    @BeforeEach
    void probe() {
        TestNetwork.assumeSupported();
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        for (Process server : servers) {
            server.destroyForcibly();
            server.waitFor(30, TimeUnit.SECONDS);
        }
        if (network != null) {
            network.close();
        }
    }

    @Test
    void create_threeHosts_hostsReachEachOtherAndRootNamespaceGainsNothing() throws IOException {
        Set<String> rootBefore = TestNetwork.rootLinks();

        network = TestNetwork.create(3);
        serve(network.host(1));

        assertThat(TestNetwork.rootLinks()).as("links of the root namespace").isEqualTo(rootBefore);
        assertThat(TestNetwork.namespaces()).containsAll(network.namespacesCreated()).hasSizeGreaterThanOrEqualTo(4);
        assertThat(network.host(1).address()).matches("10\\.213\\.\\d+\\.1");
        assertThat(connect(network.host(2), network.host(1)))
                .isEqualTo("received hello from " + network.host(1).address());
        assertThat(connect(network.host(3), network.host(1)))
                .isEqualTo("received hello from " + network.host(1).address());
    }

    @Test
    void cut_host_isUnreachableUntilRestored() throws IOException {
        network = TestNetwork.create(2);
        serve(network.host(1));

        network.host(1).cut();
        String whileCut = connect(network.host(2), network.host(1));
        String fromCutHost = connect(network.host(1), network.host(2));
        network.host(1).restore();

        assertThat(whileCut).startsWith("unreachable");
        assertThat(fromCutHost).startsWith("unreachable");
        // Neighbour (ARP) entries that failed during the cut take a moment to be resolved again.
        String expected = "received hello from " + network.host(1).address();
        String[] last = {""};
        Await.until("h2 reaching h1 after the link is restored",
                () -> (last[0] = connect(network.host(2), network.host(1))).equals(expected), () -> last[0]);
    }

    @Test
    void close_network_removesEveryNamespace() {
        network = TestNetwork.create(2);
        List<String> created = network.namespacesCreated();

        network.close();

        assertThat(created).hasSize(3);
        assertThat(TestNetwork.namespaces()).doesNotContainAnyElementsOf(created);
        assertThat(network.namespacesCreated()).isEmpty();
    }

    @Test
    void sweepLeftovers_namespaceOfDeadRun_isDeleted() throws IOException, InterruptedException {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor(30, TimeUnit.SECONDS);
        String leftover = "sp-" + gone.pid() + "-beef-h1";
        String ours = "sp-" + ProcessHandle.current().pid() + "-beef-h1";
        IpCommand.run("ip", "netns", "add", leftover);
        IpCommand.run("ip", "netns", "add", ours);

        try {
            TestNetwork.sweepLeftovers();

            assertThat(TestNetwork.namespaces()).doesNotContain(leftover).contains(ours);
        } finally {
            IpCommand.attempt("ip", "netns", "delete", leftover);
            IpCommand.run("ip", "netns", "delete", ours);
        }
    }

    private void serve(TestHost host) throws IOException {
        Process server = new ProcessBuilder(java(host, "serve", host.address(), Integer.toString(PORT)))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        servers.add(server);
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).as("first line of the probe server on " + host).isEqualTo("serving");
    }

    private static String connect(TestHost from, TestHost to) {
        List<String> command = java(from, "connect", to.address(), Integer.toString(PORT), "2000");
        return IpCommand.run(command.toArray(String[]::new)).strip();
    }

    private static List<String> java(TestHost host, String... args) {
        List<String> command = new ArrayList<>(host.commandPrefix());
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of("-Xmx32m", "-XX:TieredStopAtLevel=1", "-Djava.net.preferIPv4Stack=true",
                "-cp", System.getProperty("java.class.path"), TcpProbe.class.getName()));
        command.addAll(List.of(args));
        return command;
    }
}
