package io.seaport.jgroups.security;

import io.seaport.testkit.TestKeys;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seaport.Seaport;
import io.seaport.testkit.TestKeys;
import io.seaport.testkit.TestPorts;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A member's own TLS settings that cannot work fail its join at once, naming the file and the problem. */
final class TlsConfigErrorsTest {
    @TempDir
    static Path dir;
    private static TestKeys keys;
    private static Path shared;

    @BeforeAll
    static void makeKeys() {
        keys = new TestKeys(dir);
        shared = keys.selfSigned("errors-shared");
    }

    @Test
    void join_wrongPassword_failsNamingTheFile() {
        int base = TestPorts.clusterBasePort();
        Seaport.Builder builder = builder(base).tls(shared, "not-the-password".toCharArray());

        assertThatThrownBy(builder::join)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(shared.toString())
                .hasMessageContaining("password is wrong");
        assertThat(bindable(base)).as("transport port %d left free", base).isTrue();
    }

    @Test
    void tls_missingKeystore_failsNamingTheFile() {
        Path missing = dir.resolve("no-such-keystore.p12");

        assertThatThrownBy(() -> Seaport.builder().tls(missing, TestKeys.PASSWORD.toCharArray()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("does not exist");
    }

    @Test
    void join_keystoreDeletedAfterConfiguring_failsNamingTheFile() throws IOException {
        int base = TestPorts.clusterBasePort();
        Path copy = Files.copy(shared, dir.resolve("deleted-" + UUID.randomUUID() + ".p12"));
        Seaport.Builder builder = builder(base).tls(copy, TestKeys.PASSWORD.toCharArray());
        Files.delete(copy);

        assertThatThrownBy(builder::join)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(copy.toString())
                .hasMessageContaining("does not exist");
    }

    @Test
    void join_fileIsNotAKeystore_failsNamingTheFile() throws IOException {
        int base = TestPorts.clusterBasePort();
        Path text = Files.writeString(dir.resolve("not-a-keystore.p12"), "hello\n", StandardCharsets.UTF_8);

        assertThatThrownBy(() -> builder(base).tls(text, TestKeys.PASSWORD.toCharArray()).join())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(text.toString())
                .hasMessageContaining("PKCS12");
    }

    @Test
    void join_expiredCertificate_failsNamingTheFileAndDate() {
        int base = TestPorts.clusterBasePort();
        Path expired = keys.selfSigned("errors-expired", Instant.now().minus(Duration.ofDays(3)),
                Instant.now().minus(Duration.ofDays(1)));

        assertThatThrownBy(() -> builder(base).tls(expired, TestKeys.PASSWORD.toCharArray()).join())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(expired.toString())
                .hasMessageContaining("expired on");
        assertThat(bindable(base)).as("transport port %d left free", base).isTrue();
    }

    @Test
    void join_truststoreWithWrongPassword_failsNamingTheTruststore() {
        int base = TestPorts.clusterBasePort();
        Path other = keys.selfSigned("errors-truststore");

        assertThatThrownBy(() -> builder(base)
                        .tls(shared, TestKeys.PASSWORD.toCharArray(), other, "wrong".toCharArray()).join())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("truststore '" + other + "'")
                .hasMessageContaining("password is wrong");
    }

    private static Seaport.Builder builder(int base) {
        return Seaport.builder().cluster("TlsConfigErrorsTest-" + UUID.randomUUID())
                .bindPort(base).peers("127.0.0.1:" + base);
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
