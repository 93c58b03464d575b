package io.seaport.jgroups.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.seaport.Seaport;
import io.seaport.testkit.TestPorts;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;

final class JoinTimeoutTest {

    @Test
    void choose_nothingListensAtThePeers_waitsTheShortTimeout() {
        int base = TestPorts.clusterBasePort();

        long timeout = JoinTimeout.choose(Seaport.builder().cluster("JoinTimeoutTest-alone").bindPort(base)
                .peers("127.0.0.1:" + base).toConfig());

        assertThat(timeout).isEqualTo(JoinTimeout.ALONE_MILLIS);
    }

    @Test
    void choose_somethingListensInThePeersSpan_waitsTheLongTimeout() throws Exception {
        int base = TestPorts.clusterBasePort();
        try (ServerSocket member = new ServerSocket()) {
            member.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), base + 3));

            long timeout = JoinTimeout.choose(Seaport.builder().cluster("JoinTimeoutTest-peer").bindPort(base)
                    .peers("127.0.0.1:" + base).toConfig());

            assertThat(timeout).isEqualTo(JoinTimeout.PEERS_MILLIS);
        }
    }

    @Test
    void anyListening_unresolvableOrClosedTargets_isFalse() {
        int base = TestPorts.clusterBasePort();

        boolean found = JoinTimeout.anyListening(List.of(InetSocketAddress.createUnresolved("no-such-host.invalid", 1),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), base)), 500);

        assertThat(found).isFalse();
    }
}
