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
    void choose_somethingListensInThePeersSpan_waitsTheLongTimeoutWithoutConnecting() throws Exception {
        int base = TestPorts.clusterBasePort();
        try (ServerSocket member = new ServerSocket()) {
            member.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), base + 3));
            member.setSoTimeout(1);

            long timeout = JoinTimeout.choose(Seaport.builder().cluster("JoinTimeoutTest-peer").bindPort(base)
                    .peers("127.0.0.1:" + base).toConfig());

            assertThat(timeout).isEqualTo(JoinTimeout.PEERS_MILLIS);
            assertThat(acceptsNothing(member)).as("the listener was not connected to").isTrue();
        }
    }

    @Test
    void anyoneMayAnswer_peerOnAnotherHost_isAssumedToBeThere() {
        // 192.0.2.0/24 is TEST-NET-1: never an address of this machine. Nothing is sent to it.
        boolean found = JoinTimeout.anyoneMayAnswer(List.of(new InetSocketAddress("192.0.2.10", 7800)));

        assertThat(found).isTrue();
    }

    @Test
    void anyoneMayAnswer_unresolvableOrFreeLocalPorts_isFalse() {
        int base = TestPorts.clusterBasePort();

        boolean found = JoinTimeout.anyoneMayAnswer(List.of(InetSocketAddress.createUnresolved("no-such.invalid", 1),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), base)));

        assertThat(found).isFalse();
    }

    private static boolean acceptsNothing(ServerSocket socket) throws Exception {
        try {
            socket.accept().close();
            return false;
        } catch (java.net.SocketTimeoutException e) {
            return true;
        }
    }
}
