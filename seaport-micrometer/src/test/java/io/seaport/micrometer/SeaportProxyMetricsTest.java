package io.seaport.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.seaport.Seaport;
import io.seaport.proxy.SeaportProxy;
import io.seaport.testkit.Await;
import io.seaport.testkit.LocalCluster;
import io.seaport.testkit.LocalClusters;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

final class SeaportProxyMetricsTest {
    @RegisterExtension
    final LocalClusters clusters = new LocalClusters();

    @Test
    void bindTo_proxyThatForwardedOneExchange_countsConnectionAndBytesEachWay() throws IOException {
        LocalCluster cluster = clusters.start("SeaportProxyMetricsTest", 1);
        Seaport member = cluster.member(0);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (ServerSocket echo = echoServer();
             SeaportProxy proxy = SeaportProxy.forward(member, "echo", 0)) {
            member.register("echo@1.0.0", echo.getLocalPort());
            new SeaportProxyMetrics(proxy).bindTo(registry);

            String answer = exchange(proxy.port(), "hello");
            Await.until("the connection closed and counted", () ->
                    registry.get("seaport.proxy.connections.active").gauge().value() == 0
                            && bytes(registry, "to_clients") == 5, registry::getMetersAsString);

            assertThat(answer).isEqualTo("hello");
            assertThat(registry.get("seaport.proxy.connections").functionCounter().count()).isEqualTo(1);
            assertThat(bytes(registry, "to_services")).isEqualTo(5);
            assertThat(registry.get("seaport.proxy.unserved").functionCounter().count()).isZero();
            assertThat(registry.get("seaport.proxy.connects.failed").functionCounter().count()).isZero();
            assertThat(registry.get("seaport.proxy.connections").functionCounter().getId().getTag("port"))
                    .isEqualTo(Integer.toString(proxy.port()));
        }
    }

    private static double bytes(SimpleMeterRegistry registry, String direction) {
        return registry.get("seaport.proxy.bytes").tag("direction", direction).functionCounter().count();
    }

    /** A loopback server that echoes one connection at a time until the client half-closes. */
    private static ServerSocket echoServer() throws IOException {
        ServerSocket server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread thread = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket socket = server.accept()) {
                    socket.getInputStream().transferTo(socket.getOutputStream());
                } catch (IOException closed) {
                    return;
                }
            }
        }, "echo-" + server.getLocalPort());
        thread.setDaemon(true);
        thread.start();
        return server;
    }

    private static String exchange(int port, String text) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(text.getBytes(StandardCharsets.UTF_8));
            socket.shutdownOutput();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
