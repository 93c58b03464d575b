package io.seaport.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seaport.Seaport;
import io.seaport.SeaportException;
import io.seaport.testkit.LocalCluster;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Options, misuse and start-up failures: clear exceptions, and nothing left open. */
final class SeaportProxyBuilderTest {
    private static LocalCluster cluster;
    private static Seaport member;

    @BeforeAll
    static void join() {
        cluster = LocalCluster.start("SeaportProxyBuilderTest", 1);
        member = cluster.member(0);
    }

    @AfterAll
    static void leave() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @AfterEach
    void nothingLeftRunning() {
        assertThat(ProxyThreads.alive()).as("proxy threads").isEmpty();
    }

    @Test
    void forward_invalidRange_throwsIllegalArgumentQuotingIt() {
        assertThatThrownBy(() -> SeaportProxy.forward(member, "http@not a range", 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("http@not a range");
        assertThatThrownBy(() -> SeaportProxy.forward(member, "http@", 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'http@'");
        assertThatThrownBy(() -> SeaportProxy.forward(member, " ", 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void builder_outOfRangeValues_throwIllegalArgumentQuotingThem() {
        SeaportProxy.Builder builder = SeaportProxy.builder(member);

        assertThatThrownBy(() -> builder.port(65536)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("65536");
        assertThatThrownBy(() -> builder.port(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
        assertThatThrownBy(() -> builder.connectTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("connect timeout").hasMessageContaining("PT0S");
        assertThatThrownBy(() -> builder.waitTimeout(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT-1S");
        assertThatThrownBy(() -> builder.ejection(Duration.ofDays(2))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PT48H");
        assertThatThrownBy(() -> builder.maxConnections(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("was 0");
        assertThatThrownBy(() -> builder.ioThreads(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("was 0");
        assertThatThrownBy(() -> builder.bindAddress(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("' '");
        assertThatThrownBy(() -> builder.bindAddress("no-such-host.invalid"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'no-such-host.invalid'");
        assertThatThrownBy(() -> builder.balancing(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> SeaportProxy.builder(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void build_withoutRange_throwsIllegalState() {
        assertThatThrownBy(() -> SeaportProxy.builder(member).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("range");
    }

    @Test
    void forward_portInUse_throwsSeaportExceptionWithCauseAndLeavesNothingOpen() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));

            assertThatThrownBy(() -> SeaportProxy.forward(member, "http@1.x", taken.getLocalPort()))
                    .isInstanceOf(SeaportException.class)
                    .hasMessageContaining(String.valueOf(taken.getLocalPort()))
                    .hasCauseInstanceOf(BindException.class);
        }
        assertThat(ProxyThreads.alive()).isEmpty();
    }

    @Test
    void forward_closedSeaport_throwsIllegalState() {
        Seaport closed = cluster.add();
        closed.close();

        assertThatThrownBy(() -> SeaportProxy.forward(closed, "http", 0))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void builder_allOptions_buildsAStartedProxyOnTheGivenAddress() throws Exception {
        try (SeaportProxy proxy = SeaportProxy.builder(member).range("http@^1.2").bindAddress("[127.0.0.1]")
                .balancing(Balancing.RANDOM).connectTimeout(Duration.ofMillis(500)).waitTimeout(Duration.ZERO)
                .ejection(Duration.ZERO).maxConnections(10).ioThreads(3).build()) {

            assertThat(proxy.port()).isPositive();
            assertThat(proxy.bindAddress().getHostAddress()).isEqualTo("127.0.0.1");
            assertThat(ProxyThreads.alive()).hasSize(3).allMatch(name -> name.startsWith("seaport-proxy-"
                    + proxy.port() + "-io-"));
            assertThat(proxy.stats()).isEqualTo(new ProxyStats(0, 0, 0, 0, 0, 0));
        }
    }

    @Test
    void module_exportsExactlyTheApiPackage() {
        ModuleDescriptor descriptor = ModuleFinder.of(Path.of("target", "classes")).findAll().iterator().next()
                .descriptor();

        assertThat(descriptor.name()).isEqualTo("io.seaport.proxy");
        assertThat(descriptor.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()))
                .containsExactly("io.seaport.proxy");
        assertThat(descriptor.packages()).contains("io.seaport.proxy.internal");
    }
}
