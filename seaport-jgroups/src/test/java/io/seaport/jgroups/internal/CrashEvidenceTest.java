package io.seaport.jgroups.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import org.jgroups.Address;
import org.jgroups.View;
import org.jgroups.stack.IpAddress;
import org.jgroups.util.Util;
import org.junit.jupiter.api.Test;

/** What counts as evidence that a member's process is gone: a refused connection, nothing else. */
final class CrashEvidenceTest {

    @Test
    void refused_portWithNoListener_isEvidence() throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        int closedPort;
        try (ServerSocket server = new ServerSocket(0, 1, loopback)) {
            closedPort = server.getLocalPort();
        }

        assertThat(CrashEvidence.refused(new IpAddress(loopback, closedPort))).isTrue();
    }

    @Test
    void refused_listeningPortEvenIfNeverAccepted_isNoEvidence() throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        // A stopped (SIGSTOP) process never calls accept(); the kernel still completes the handshake.
        try (ServerSocket server = new ServerSocket(0, 1, loopback)) {
            assertThat(CrashEvidence.refused(new IpAddress(loopback, server.getLocalPort()))).isFalse();
        }
    }

    @Test
    void actsOn_onlyTheFirstMemberNotSuspected_probes() {
        Address a = Util.createRandomAddress("a");
        Address b = Util.createRandomAddress("b");
        Address c = Util.createRandomAddress("c");
        View view = View.create(a, 3, a, b, c);

        assertThat(CrashEvidence.actsOn(view, List.of(c), a)).as("the coordinator judges c").isTrue();
        assertThat(CrashEvidence.actsOn(view, List.of(c), b)).as("b leaves c to the coordinator").isFalse();
        assertThat(CrashEvidence.actsOn(view, List.of(a), b)).as("b is next in line when a is suspected").isTrue();
        assertThat(CrashEvidence.actsOn(view, List.of(a, b), c)).isTrue();
        assertThat(CrashEvidence.actsOn(null, List.of(c), a)).as("no view yet").isFalse();
    }
}
