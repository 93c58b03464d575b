package io.seaport.jgroups.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.seaport.Seaport;
import io.seaport.testkit.LocalCluster;
import io.seaport.testkit.TestKeys;
import io.seaport.testkit.TestPorts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.jgroups.JChannel;
import org.jgroups.protocols.FD_SOCK2;
import org.jgroups.protocols.TCP;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which crash detection a member's stack has: with TLS, no FD_SOCK2 (its side socket would be
 * plaintext) and the transport suspects closed connections, also in a user's XML stack; without
 * TLS, FD_SOCK2 with bounded messages. The transport's message limit is set in both.
 */
final class TlsStackTest {
    @TempDir
    Path dir;

    @Test
    void builtStack_withTls_hasNoSideSocketAndSuspectsClosedConnections() {
        Path key = new TestKeys(dir).selfSigned("stack");

        try (LocalCluster cluster = LocalCluster.start("TlsStackTest-tls", 1,
                b -> b.tls(key, TestKeys.PASSWORD.toCharArray()))) {
            JChannel channel = ((JGroupsSeaport) cluster.member(0)).channel();

            assertThat((Object) channel.getProtocolStack().findProtocol(FD_SOCK2.class)).isNull();
            TCP tcp = channel.getProtocolStack().findProtocol(TCP.class);
            assertThat(tcp.enableSuspectEvents()).isTrue();
            assertThat(tcp.getMaxLength()).isEqualTo(TlsTransport.MAX_MESSAGE_BYTES);
        }
    }

    @Test
    void builtStack_withoutTls_hasBoundedSideSocket() {
        try (LocalCluster cluster = LocalCluster.start("TlsStackTest-plain", 1)) {
            JChannel channel = ((JGroupsSeaport) cluster.member(0)).channel();

            assertThat((Object) channel.getProtocolStack().findProtocol(FD_SOCK2.class)).isInstanceOf(BoundedFdSock.class);
            TCP tcp = channel.getProtocolStack().findProtocol(TCP.class);
            assertThat(tcp.getMaxLength()).isEqualTo(TlsTransport.MAX_MESSAGE_BYTES);
        }
    }

    @Test
    void xmlStackWithFdSock2_withTls_losesItsSideSocket() throws Exception {
        int base = TestPorts.clusterBasePort();
        Path stack = Files.writeString(dir.resolve("stack.xml"), """
                <config xmlns="urn:org:jgroups">
                  <TCP bind_addr="127.0.0.1" bind_port="%d" port_range="10" diag.enabled="false"
                       use_virtual_threads="false"/>
                  <TCPPING initial_hosts="127.0.0.1[%d]" port_range="10"/>
                  <FD_SOCK2 bind_addr="127.0.0.1"/>
                  <pbcast.NAKACK2/>
                  <UNICAST3/>
                  <pbcast.GMS join_timeout="500" print_local_addr="false"/>
                </config>
                """.formatted(base, base), StandardCharsets.UTF_8);
        Path key = new TestKeys(dir).selfSigned("xml");

        try (Seaport member = Seaport.builder().cluster("TlsStackTest-xml-" + UUID.randomUUID())
                .config(stack.toString()).tls(key, TestKeys.PASSWORD.toCharArray()).join()) {
            JChannel channel = ((JGroupsSeaport) member).channel();

            assertThat((Object) channel.getProtocolStack().findProtocol(FD_SOCK2.class)).isNull();
            assertThat(((TCP) channel.getProtocolStack().findProtocol(TCP.class)).enableSuspectEvents()).isTrue();
        }
    }
}
