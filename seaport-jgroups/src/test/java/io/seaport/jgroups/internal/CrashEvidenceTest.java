package io.seaport.jgroups.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.jgroups.stack.IpAddress;
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
}
