package io.seaport.jgroups.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.seaport.testkit.Await;
import io.seaport.testkit.TestPorts;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.jgroups.JChannel;
import org.jgroups.Version;
import org.jgroups.protocols.FD_SOCK2;
import org.jgroups.protocols.TCP;
import org.jgroups.protocols.TCPPING;
import org.jgroups.protocols.UNICAST3;
import org.jgroups.protocols.pbcast.GMS;
import org.jgroups.protocols.pbcast.NAKACK2;
import org.jgroups.protocols.pbcast.STABLE;
import org.junit.jupiter.api.Test;

/**
 * FD_SOCK2's side socket against a stranger announcing a 48 MiB message after the 15-byte
 * connection header (19 bytes sent in all). Confirms the reading of JGroups 5.5.7 that stock
 * FD_SOCK2 allocates a direct buffer of whatever length it is told (seen as this JVM's resident
 * memory growing by that much: direct buffers are zeroed when allocated), and checks that
 * Seaport's {@link BoundedFdSock} closes the connection instead.
 */
final class SideSocketLimitTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int ANNOUNCED = 48 << 20;

    @Test
    void stockFdSock2_oversizeLength_allocatesThatMuch() throws Exception {
        try (JChannel channel = channel(new FD_SOCK2())) {
            long before = residentBytes();

            try (Socket stranger = oversize(channel)) {

                Await.until("the announced length is allocated", WAIT, () -> residentBytes() - before >= ANNOUNCED,
                        () -> "resident memory grew by " + (residentBytes() - before) + " bytes");
                assertThat(stranger.isClosed()).isFalse();
            }
        }
    }

    @Test
    void boundedFdSock_oversizeLength_closesTheConnection() throws Exception {
        try (JChannel channel = channel(new BoundedFdSock()); Socket stranger = oversize(channel)) {

            stranger.setSoTimeout((int) WAIT.toMillis());
            InputStream in = stranger.getInputStream();
            try {
                while (in.read() >= 0) {
                    // whatever the server wrote before closing
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the connection was still open after " + WAIT, e);
            } catch (IOException e) {
                // reset: closed too
            }
        }
    }

    private static JChannel channel(FD_SOCK2 fdSock) throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        int base = TestPorts.clusterBasePort();
        TCP tcp = new TCP();
        tcp.setBindAddress(loopback);
        tcp.setBindPort(base);
        TCPPING ping = new TCPPING();
        ping.setValue("initial_hosts_str", "127.0.0.1[" + base + "]");
        GMS gms = new GMS().setJoinTimeout(100);
        gms.printLocalAddress(false);
        JChannel channel = new JChannel(tcp, ping, fdSock.setBindAddress(loopback), new NAKACK2(), new UNICAST3(),
                new STABLE(), gms);
        channel.connect("SideSocketLimitTest-" + fdSock.getClass().getSimpleName());
        return channel;
    }

    /** Connects to the channel's FD_SOCK2 port and sends a valid connection header and a 48 MiB length. */
    private static Socket oversize(JChannel channel) throws IOException {
        FD_SOCK2 fdSock = channel.getProtocolStack().findProtocol(FD_SOCK2.class);
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), fdSock.getActualBindPort()), 10_000);
        socket.getOutputStream().write(ByteBuffer.allocate(19).put(new byte[] {'b', 'e', 'l', 'a'})
                .putShort(Version.version).putShort((short) 7).put((byte) 4)
                .put(InetAddress.getLoopbackAddress().getAddress()).putShort((short) 7800).putInt(ANNOUNCED).array());
        socket.getOutputStream().flush();
        return socket;
    }

    /** Returns this process's resident memory (VmRSS), in bytes. */
    private static long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
