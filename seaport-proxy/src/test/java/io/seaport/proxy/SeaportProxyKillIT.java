package io.seaport.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.seaport.Seaport;
import io.seaport.testkit.Await;
import io.seaport.testkit.TestPorts;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The proxy in this JVM, its services in member JVMs of their own: one of them is killed. */
final class SeaportProxyKillIT {
    private static final String ROLE = "echo@1.0.0";

    private Seaport member;
    private final List<BackendProcess> backends = new ArrayList<>();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void startCluster() throws Exception {
        int base = TestPorts.clusterBasePort();
        String cluster = "SeaportProxyKillIT-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
        member = Seaport.builder().cluster(cluster).bindPort(base).peers("127.0.0.1:" + base).join();
        for (int i = 0; i < 3; i++) {
            backends.add(BackendProcess.launch(cluster, base, ROLE, "b" + i));
        }
        for (BackendProcess backend : backends) {
            backend.awaitReady();
        }
        Await.until("3 services on the proxy's member", () -> member.query("echo").size() == 3, this::seen);
    }

    @AfterEach
    void stopCluster() throws Exception {
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
        for (BackendProcess backend : backends) {
            backend.close();
        }
        if (member != null) {
            member.close();
        }
        assertThat(ProxyThreads.alive()).isEmpty();
    }

    private String seen() {
        return "member " + member.member() + " sees " + member.query("echo") + "\nbackends " + backends;
    }

    @Test
    void kill_oneServiceJvm_newConnectionsGoToSurvivorsWithoutFailures() throws Exception {
        SeaportProxy proxy = SeaportProxy.forward(member, "echo@1.x", 0);
        toClose.add(proxy);
        Map<String, Socket> open = new HashMap<>();
        for (int i = 0; i < 3; i++) {
            Socket socket = Clients.connect(proxy.port());
            toClose.add(socket);
            open.put(Clients.readLine(socket), socket);
        }
        assertThat(open).containsOnlyKeys("hello b0", "hello b1", "hello b2");

        backends.get(1).kill();
        List<String> afterKill = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            afterKill.add(roundTrip(proxy, i));
        }
        Await.until("the killed member gone from the replica", () -> member.query("echo").size() == 2, this::seen);
        for (int i = 30; i < 40; i++) {
            afterKill.add(roundTrip(proxy, i));
        }

        assertThat(afterKill).hasSize(40).allMatch(outcome -> outcome.equals("hello b0 ok")
                || outcome.equals("hello b2 ok"));
        assertThat(afterKill).contains("hello b0 ok", "hello b2 ok");
        for (String survivor : List.of("hello b0", "hello b2")) {
            Socket socket = open.get(survivor);
            socket.getOutputStream().write("still open".getBytes(StandardCharsets.US_ASCII));
            socket.shutdownOutput();
            assertThat(socket.getInputStream().readAllBytes()).asString(StandardCharsets.US_ASCII)
                    .isEqualTo("still open");
        }
        assertThat(proxy.stats().unserved()).isZero();
    }

    /** Returns "greeting ok" when a connection greets and echoes correctly, or what went wrong. */
    private static String roundTrip(SeaportProxy proxy, int i) {
        try (Socket socket = Clients.connect(proxy.port())) {
            String greeting = Clients.readLine(socket);
            byte[] data = ("message " + i).getBytes(StandardCharsets.US_ASCII);
            byte[] back = Clients.echoWithHalfClose(socket, data);
            return greeting + (new String(back, StandardCharsets.US_ASCII).equals("message " + i) ? " ok" : " bad echo");
        } catch (IOException e) {
            return "failed: " + e;
        }
    }
}
