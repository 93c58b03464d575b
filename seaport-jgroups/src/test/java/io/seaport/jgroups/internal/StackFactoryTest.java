package io.seaport.jgroups.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.seaport.Seaport;
import io.seaport.testkit.Await;
import io.seaport.testkit.LocalCluster;
import io.seaport.testkit.TestPorts;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jgroups.JChannel;
import org.jgroups.protocols.FD_SOCK2;
import org.jgroups.protocols.PerDestinationBundler;
import org.jgroups.protocols.TCP;
import org.jgroups.protocols.TCPPING;
import org.jgroups.protocols.pbcast.GMS;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class StackFactoryTest {

    @Test
    void builtStack_isLoopbackTunedAndQuiet() throws Exception {
        try (LocalCluster cluster = LocalCluster.start("StackFactoryTest-built", 1)) {
            JChannel channel = ((JGroupsSeaport) cluster.member(0)).channel();

            TCP tcp = channel.getProtocolStack().findProtocol(TCP.class);
            TCPPING ping = channel.getProtocolStack().findProtocol(TCPPING.class);
            FD_SOCK2 fdSock = channel.getProtocolStack().findProtocol(FD_SOCK2.class);

            assertThat(tcp.getBindAddress()).isEqualTo(InetAddress.getByName("127.0.0.1"));
            assertThat(tcp.getBindPort()).isEqualTo(cluster.basePort());
            assertThat(tcp.tcpNodelay()).isTrue();
            assertThat(tcp.getBundler()).isInstanceOf(ProbeSizedBundler.class);
            assertThat(((PerDestinationBundler) tcp.getBundler()).useSingleSenderThread()).isFalse();
            assertThat(tcp.getBundler().getCapacity()).isEqualTo(StackFactory.BUNDLER_CAPACITY);
            assertThat(tcp.getDiagnosticsHandler() == null || !tcp.getDiagnosticsHandler().isEnabled()).isTrue();
            assertThat(ping.getPortRange()).isEqualTo(10);
            assertThat(ping.getInitialHosts()).hasSize(11); // the peer's whole transport span is probed
            assertThat(fdSock.getBindAddress()).isEqualTo(InetAddress.getByName("127.0.0.1"));
        }
    }

    @Test
    void discoveryProbes_goThroughSmallBuffers_membersThroughFullOnes() {
        try (LocalCluster cluster = LocalCluster.start("StackFactoryTest-probes", 2)) {
            ProbeSizedBundler bundler = (ProbeSizedBundler) ((JGroupsSeaport) cluster.member(0)).channel()
                    .getProtocolStack().getTransport().getBundler();

            // TCPPING asks each of the 11 ports of the span; MERGE3's rounds ask again.
            Await.until("discovery probed the span's ports", () -> bundler.probeDestinations() >= 10,
                    () -> bundler.probeDestinations() + " probed addresses");
            assertThat(bundler.memberDestinations()).as("full-size buffers: the other member and multicast")
                    .isLessThanOrEqualTo(3);
        }
    }

    @Test
    void xmlStackFile_joinsAndReplicates_withoutDiagnosticsOrBanner(@TempDir Path dir) throws Exception {
        int base = TestPorts.clusterBasePort();
        // Diagnostics are enabled here over TCP on loopback only, so that even if Seaport failed to
        // turn them off, nothing would leave 127.0.0.1.
        String xml = """
                <config xmlns="urn:org:jgroups">
                    <TCP bind_addr="127.0.0.1" bind_port="%1$d" port_range="10" tcp_nodelay="true"
                         diag.enabled="true" diag.enable_udp="false" diag.enable_tcp="true"
                         diag.bind_addr="127.0.0.1" diag.port="%2$d"/>
                    <TCPPING initial_hosts="127.0.0.1[%1$d]" port_range="10"/>
                    <MERGE3 min_interval="1s" max_interval="3s"/>
                    <FD_SOCK2 bind_addr="127.0.0.1"/>
                    <FD_ALL3 timeout="3s" interval="1s"/>
                    <VERIFY_SUSPECT2 timeout="0.5s"/>
                    <pbcast.NAKACK2/>
                    <UNICAST3/>
                    <pbcast.STABLE/>
                    <pbcast.GMS join_timeout="1s" print_local_addr="true"/>
                    <UFC/>
                    <MFC/>
                    <FRAG4/>
                </config>
                """.formatted(base, TestPorts.freeBlock(1));
        Path stack = Files.writeString(dir.resolve("stack.xml"), xml);
        String cluster = "StackFactoryTest-xml-" + base;

        try (Seaport a = Seaport.builder().cluster(cluster).config(stack.toString()).join();
             Seaport b = Seaport.builder().cluster(cluster).config(stack.toString()).join()) {
            a.register("http@1", 1001);

            Await.until("b sees a's service", () -> b.query("http").size() == 1, () -> a + "\n" + b);
            JChannel channel = ((JGroupsSeaport) a).channel();
            assertThat(channel.getView().size()).isEqualTo(2);
            assertThat(channel.getProtocolStack().getTransport().getDiagnosticsHandler().isRunning()).isFalse();
            assertThat(channel.getProtocolStack().<GMS>findProtocol(GMS.class).printLocalAddress()).isFalse();
        }
    }
}
