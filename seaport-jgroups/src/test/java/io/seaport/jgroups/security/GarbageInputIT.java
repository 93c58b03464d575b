package io.seaport.jgroups.security;

import io.seaport.testkit.TestKeys;
import static org.assertj.core.api.Assertions.assertThat;

import io.seaport.Service;
import io.seaport.testkit.Await;
import io.seaport.testkit.JavaProcesses;
import io.seaport.testkit.MemberProcess;
import io.seaport.testkit.TestKeys;
import io.seaport.testkit.TestPorts;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.jgroups.Version;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Garbage, truncated handshakes and truncated JGroups connection headers sent straight to
 * members' transport ports and failure-detection ports (separate JVMs, 127.0.0.1) neither crash them nor change their
 * replicas, with TLS and without; the cluster keeps working and admits a new member afterwards.
 */
final class GarbageInputIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final byte[] JGROUPS_COOKIE = {'b', 'e', 'l', 'a'};

    @RegisterExtension
    final JavaProcesses processes = new JavaProcesses();

    @TempDir
    static Path dir;
    private static Path shared;

    @BeforeAll
    static void makeKeys() {
        shared = new TestKeys(dir).selfSigned("garbage-shared");
    }

    @Test
    void garbage_toTlsMembers_isRefusedAndChangesNothing() throws IOException {
        UnaryOperator<MemberProcess.Launcher> tls = l -> l.systemProperty("seaport.tls.keystore", shared.toString())
                .systemProperty("seaport.tls.password", TestKeys.PASSWORD);

        MemberProcess a = survivesGarbage("GarbageInputIT-tls-" + UUID.randomUUID(), tls);

        Await.until("a logged the refused plaintext connections", WAIT,
                () -> a.process().stderr().stream().anyMatch(l -> l.contains("refused a plaintext")),
                () -> a.process().tail(40));
    }

    @Test
    void garbage_toPlaintextMembers_changesNothing() throws IOException {
        survivesGarbage("GarbageInputIT-plain-" + UUID.randomUUID(), UnaryOperator.identity());
    }

    /** Returns member a after checking that garbage sent to a's and b's transport ports changed nothing. */
    private MemberProcess survivesGarbage(String cluster, UnaryOperator<MemberProcess.Launcher> settings)
            throws IOException {
        int base = TestPorts.clusterBasePort();
        MemberProcess a = settings.apply(MemberProcess.launcher(cluster, base).label("a")).start(processes);
        MemberProcess b = settings.apply(MemberProcess.launcher(cluster, base).label("b")).start(processes);
        Service kept = a.register("kept@1.0.0", 8080);
        Await.until("b sees a's service", WAIT, () -> b.query("kept").contains(kept), () -> b.describe("kept"));

        for (int port : List.of(base, base + 1, base + 100, base + 101, base + 102)) {
            sendGarbage(port); // the transport ports of a and b, and where failure detection listens (+100)
        }
        Service after = b.register("after@1.0.0", 8081);
        MemberProcess c = settings.apply(MemberProcess.launcher(cluster, base).label("c")).start(processes);

        Await.until("a and the new member c see b's later service", WAIT,
                () -> a.query("after").contains(after) && c.query("after").contains(after),
                () -> a.describe("kept", "after") + "\n" + c.describe("kept", "after"));
        for (MemberProcess member : List.of(a, b, c)) {
            assertThat(member.process().isAlive()).as(member.label() + " alive").isTrue();
            assertThat(member.query("kept")).as(member.label() + "'s kept").containsExactly(kept);
            assertThat(member.query("after")).as(member.label() + "'s after").containsExactly(after);
        }
        return a;
    }

    /** Sends, on separate connections, the kinds of junk a port scanner or a broken client sends. */
    private static void sendGarbage(int port) throws IOException {
        Random random = new Random(port);
        List<byte[]> payloads = new ArrayList<>();
        byte[] noise = new byte[64 * 1024];
        random.nextBytes(noise);
        payloads.add(noise);
        payloads.add(new byte[] {0});
        payloads.add(new byte[0]);
        payloads.add("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        payloads.add(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00}); // a TLS ClientHello cut short
        payloads.add(ByteBuffer.allocate(6).put(JGROUPS_COOKIE).putShort(Version.version).array()); // header cut short
        payloads.add(ByteBuffer.allocate(12).put(JGROUPS_COOKIE).putShort(Version.version).putShort((short) 30000)
                .putInt(7).array()); // an address length promising far more than follows
        for (byte[] payload : payloads) {
            try (Socket socket = new Socket()) {
                try {
                    socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
                } catch (ConnectException e) {
                    return; // nothing listens on this port (failure detection may have taken another one)
                }
                OutputStream out = socket.getOutputStream();
                out.write(payload);
                out.flush();
            } catch (IOException e) {
                // the member may reset the connection while we still write: that is a refusal, as intended
                if (!(e.getMessage() != null && (e.getMessage().contains("reset") || e.getMessage().contains("Broken pipe")))) {
                    throw e;
                }
            }
        }
    }
}
