package io.seaport.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.seaport.Seaport;
import io.seaport.Service;
import io.seaport.testkit.Await;
import io.seaport.testkit.JavaProcess;
import io.seaport.testkit.JavaProcesses;
import io.seaport.testkit.LocalCluster;
import io.seaport.testkit.MemberProcess;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The proxy in this JVM, its echo services in three member JVMs of their own; one of those is
 * killed with SIGKILL while connections are open through the proxy.
 */
final class SeaportProxyKillIT {
    @RegisterExtension
    final JavaProcesses processes = new JavaProcesses();

    private LocalCluster cluster;
    private final List<MemberProcess> backends = new ArrayList<>();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void startCluster() {
        cluster = LocalCluster.start("SeaportProxyKillIT", 1); // first, so the JVMs join rather than wait
        List<JavaProcess> launched = new ArrayList<>();
        List<MemberProcess.Launcher> launchers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            MemberProcess.Launcher launcher = MemberProcess.launcher(cluster.cluster(), cluster.basePort()).label("b" + i);
            launchers.add(launcher);
            launched.add(launcher.launch(processes)); // boot in parallel
        }
        for (int i = 0; i < 3; i++) {
            backends.add(launchers.get(i).await(launched.get(i)));
        }
        for (MemberProcess backend : backends) {
            backend.serviceEcho("echo@1.0.0");
        }
        Await.until("3 echo services on the proxy's member", () -> member().query("echo").size() == 3, this::seen);
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
        return cluster.describe() + "\nmember JVMs:\n" + processes.tails(20);
    }

    @Test
    void kill_oneServiceJvm_newConnectionsGoToSurvivorsWithoutFailures() throws Exception {
        SeaportProxy proxy = SeaportProxy.forward(member(), "echo@1.x", 0);
        toClose.add(proxy);
        List<Socket> open = new ArrayList<>();
        for (int i = 0; i < 3; i++) { // round robin over three: one open connection to each service
            Socket socket = Clients.connect(proxy.port());
            toClose.add(socket);
            socket.getOutputStream().write('a' + i);
            assertThat(socket.getInputStream().read()).isEqualTo('a' + i);
            open.add(socket);
        }
        Service victim = backends.get(1).query("echo").stream()
                .filter(service -> service.member().equals(backends.get(1).member())).findFirst().orElseThrow();

        backends.get(1).kill();
        List<String> afterKill = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            afterKill.add(roundTrip(proxy, "before the view change " + i));
        }
        Await.until("the killed member's service gone from the replica",
                () -> member().query("echo").stream().noneMatch(s -> s.id().equals(victim.id())), this::seen);
        for (int i = 0; i < 10; i++) {
            afterKill.add(roundTrip(proxy, "after the view change " + i));
        }
        List<String> openOutcomes = new ArrayList<>();
        for (Socket socket : open) {
            openOutcomes.add(roundTrip(socket, "still open"));
        }

        assertThat(afterKill).hasSize(40).allMatch(outcome -> outcome.equals("ok"));
        assertThat(openOutcomes).as("connections open before the kill: only the one to the killed JVM breaks")
                .filteredOn(outcome -> outcome.equals("ok")).hasSize(2);
        assertThat(proxy.stats().unserved()).isZero();
    }

    private static String roundTrip(SeaportProxy proxy, String message) {
        try (Socket socket = Clients.connect(proxy.port())) {
            return roundTrip(socket, message);
        } catch (IOException e) {
            return "failed to connect: " + e;
        }
    }

    /** Returns "ok" when {@code message} comes back exactly followed by end of stream, else what happened. */
    private static String roundTrip(Socket socket, String message) {
        try {
            byte[] back = Clients.echoWithHalfClose(socket, message.getBytes(StandardCharsets.US_ASCII));
            String text = new String(back, StandardCharsets.US_ASCII);
            return text.equals(message) ? "ok" : "echoed '" + text + "' for '" + message + "'";
        } catch (IOException e) {
            return "failed: " + e;
        }
    }
}
