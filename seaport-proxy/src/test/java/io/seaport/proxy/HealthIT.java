package io.seaport.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.seaport.Health;
import io.seaport.Seaport;
import io.seaport.Service;
import io.seaport.testkit.Await;
import io.seaport.testkit.JavaProcess;
import io.seaport.testkit.JavaProcesses;
import io.seaport.testkit.LocalCluster;
import io.seaport.testkit.MemberProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Health across JVMs: the backends and their checks run in two member JVMs; the proxy and the
 * member that queries run in this JVM.
 */
final class HealthIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @RegisterExtension
    final JavaProcesses processes = new JavaProcesses();

    private LocalCluster cluster;
    private final List<MemberProcess> backends = new ArrayList<>();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void startCluster(org.junit.jupiter.api.TestInfo test) {
        cluster = LocalCluster.start("HealthIT-" + test.getTestMethod().orElseThrow().getName(), 1);
        List<JavaProcess> launched = new ArrayList<>();
        List<MemberProcess.Launcher> launchers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            MemberProcess.Launcher launcher = MemberProcess.launcher(cluster.cluster(), cluster.basePort()).label("b" + i);
            launchers.add(launcher);
            launched.add(launcher.launch(processes));
        }
        for (int i = 0; i < 2; i++) {
            backends.add(launchers.get(i).await(launched.get(i)));
        }
    }

    @AfterEach
    void stopCluster() throws Exception {
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
        cluster.close();
        assertThat(ProxyThreads.alive()).as("proxy threads").isEmpty();
    }

    private Seaport member() {
        return cluster.member(0);
    }

    private String seen() {
        return cluster.describe() + "\nservices: " + member().services() + "\nmember JVMs:\n" + processes.tails(20);
    }

    @Test
    void healthEndpointFails_serviceLeavesQueryGetAndProxyOnOtherMembers_andComesBack() throws Exception {
        Service checked = backends.get(0).serviceChecked("web@1.0.0", "b0", Duration.ofMillis(200));
        backends.get(1).serviceHttp("web@1.0.0", "b1");
        Await.until("both web services here", TIMEOUT, () -> member().query("web").size() == 2, this::seen);
        SeaportProxy proxy = SeaportProxy.forward(member(), "web@1.x", 0);
        toClose.add(proxy);

        backends.get(0).healthEndpoint(checked.id(), false);
        Await.until("the failing service gone from query here", TIMEOUT,
                () -> member().query("web").size() == 1, this::seen);
        Await.until("and on the other backend's JVM", TIMEOUT,
                () -> backends.get(1).query("web").size() == 1, this::seen);
        // The proxy learns it from its own watch, a moment after the replica: round robin over two
        // would reach b0 within two connections, so two in a row at b1 mean the proxy left it out.
        Await.until("the proxy to leave the failing service out", TIMEOUT,
                () -> httpGetQuietly(proxy.port()).equals("b1") && httpGetQuietly(proxy.port()).equals("b1"),
                this::seen);
        List<Service> got = member().get("web@1").get(30, TimeUnit.SECONDS);
        List<String> bodiesWhileFailing = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            bodiesWhileFailing.add(httpGet(proxy.port()));
        }
        Service listed = member().services().stream().filter(s -> s.id().equals(checked.id())).findFirst()
                .orElseThrow();
        backends.get(0).healthEndpoint(checked.id(), true);
        Await.until("the service back in query", TIMEOUT, () -> member().query("web").size() == 2, this::seen);
        Await.until("the proxy to pick it again", TIMEOUT, () -> httpGetQuietly(proxy.port()).equals("b0"),
                this::seen);
        Set<String> bodiesAfter = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            bodiesAfter.add(httpGet(proxy.port()));
        }

        assertThat(got).extracting(Service::id).doesNotContain(checked.id()).hasSize(1);
        assertThat(bodiesWhileFailing).containsOnly("b1");
        assertThat(listed.health()).isEqualTo(Health.FAILING);
        assertThat(bodiesAfter).containsExactlyInAnyOrder("b0", "b1");
        assertThat(proxy.stats().unserved()).isZero();
    }

    @Test
    void drain_drainedServiceGetsNoNewProxiedConnections_whileAnOpenOneCompletes() throws Exception {
        Service drained = backends.get(0).serviceTagged("echo@1.0.0", "b0");
        Await.until("b0's echo here", TIMEOUT, () -> member().query("echo").size() == 1, this::seen);
        SeaportProxy proxy = SeaportProxy.forward(member(), "echo", 0);
        toClose.add(proxy);
        Socket open = Clients.connect(proxy.port());
        toClose.add(open);
        String openTag = Clients.readLine(open);
        backends.get(1).serviceTagged("echo@1.0.0", "b1");
        Await.until("both echo services here", TIMEOUT, () -> member().query("echo").size() == 2, this::seen);

        backends.get(0).drain(drained.id(), Duration.ofMinutes(5));
        Await.until("the drained service gone from query here", TIMEOUT,
                () -> member().query("echo").size() == 1, this::seen);
        Await.until("the proxy to leave the drained service out (two new connections in a row at b1)", TIMEOUT,
                () -> tagQuietly(proxy.port()).equals("b1") && tagQuietly(proxy.port()).equals("b1"), this::seen);
        List<String> newTags = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            try (Socket socket = Clients.connect(proxy.port())) {
                newTags.add(Clients.readLine(socket));
            }
        }
        byte[] echoed = Clients.echoWithHalfClose(open, "still served".getBytes(StandardCharsets.US_ASCII));
        Service listed = member().services().stream().filter(s -> s.id().equals(drained.id())).findFirst()
                .orElseThrow();

        assertThat(openTag).isEqualTo("b0");
        assertThat(newTags).containsOnly("b1");
        assertThat(new String(echoed, StandardCharsets.US_ASCII)).isEqualTo("still served");
        assertThat(listed.health()).isEqualTo(Health.DRAINING);
    }

    private static String httpGetQuietly(int port) {
        try {
            return httpGet(port);
        } catch (IOException e) {
            return "failed: " + e;
        }
    }

    /** Returns the tag a new connection through the proxy reads first. */
    private static String tagQuietly(int port) {
        try (Socket socket = Clients.connect(port)) {
            return Clients.readLine(socket);
        } catch (IOException e) {
            return "failed: " + e;
        }
    }

    /** Returns the body of {@code GET /} through the proxy. */
    private static String httpGet(int port) throws IOException {
        try (Socket socket = Clients.connect(port)) {
            OutputStream out = socket.getOutputStream();
            out.write("GET / HTTP/1.1\r\nHost: proxy\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int body = response.indexOf("\r\n\r\n");
            return body < 0 ? "no body in '" + response + "'" : response.substring(body + 4);
        }
    }
}
