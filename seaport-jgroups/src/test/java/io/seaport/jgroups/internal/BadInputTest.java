package io.seaport.jgroups.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seaport.Seaport;
import io.seaport.testkit.LocalCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class BadInputTest {
    private static LocalCluster cluster;
    private static JGroupsSeaport seaport;

    @BeforeAll
    static void startCluster() {
        cluster = LocalCluster.start("BadInputTest", 1);
        seaport = (JGroupsSeaport) cluster.member(0);
    }

    @AfterAll
    static void closeCluster() {
        cluster.close();
    }

    @Test
    void registerAndService_badRoleOrPort_refusedAndNothingRegistered() {
        Map<String, String> tooMany = new HashMap<>();
        for (int i = 0; i < 65; i++) {
            tooMany.put("k" + i, "v");
        }
        Map<String, String> nullValue = new HashMap<>();
        nullValue.put("k", null);
        List<ThrowingCallable> calls = List.of(
                () -> seaport.register("", 80),
                () -> seaport.register("http@", 80),
                () -> seaport.register("http@not-a-version", 80),
                () -> seaport.register("a\u0001b@1", 80),
                () -> seaport.register("http@1", 0),
                () -> seaport.register("http@1", 65536),
                () -> seaport.register("http@1", 80, tooMany),
                () -> seaport.register("http@1", 80, Map.of("k", "v".repeat(4097))),
                () -> seaport.register("http@1", 80, Map.of("", "v")),
                () -> seaport.register("http@1", 80, nullValue),
                () -> seaport.service("@1", port -> { }),
                () -> seaport.service("http@x", (port, ready) -> ready.run()),
                () -> seaport.allocate("http@1.2.3.4.5"),
                () -> seaport.register("web@1.0.0-" + "a".repeat(300), 80),
                () -> seaport.register("web\uD800@1", 80),
                () -> seaport.register("http@1", 80, Map.of("k\uDC00", "v")),
                () -> seaport.register("http@1", 80, Map.of("k", "v\uD800")));

        for (ThrowingCallable call : calls) {
            assertThatThrownBy(call).isInstanceOf(IllegalArgumentException.class).message().isNotBlank();
        }

        assertThat(seaport.published()).isEmpty();
        assertThat(seaport.ports().isUsed("127.0.0.1", 80)).isFalse();
    }

    @Test
    void register_badRole_messageQuotesTheInput() {
        assertThatThrownBy(() -> seaport.register("http@not-a-version", 80))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("http@not-a-version");
        assertThatThrownBy(() -> seaport.register("http@1", 70000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("70000");
    }

    @Test
    void register_loneSurrogateInMetadata_refusedQuotingItEscaped() {
        assertThatThrownBy(() -> seaport.register("http@1", 80, Map.of("zone", "eu\uD800")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'zone'")
                .hasMessageContaining("'eu\\ud800'")
                .hasMessageContaining("lone UTF-16 surrogate");
    }

    @Test
    void queryGetWatch_badRangeOrEnvironment_refused() {
        List<ThrowingCallable> calls = List.of(
                () -> seaport.query("http@>>1"),
                () -> seaport.query("", "http"),
                () -> seaport.query(" \t", "http"),
                () -> seaport.query("prod\uD800", "http"),
                () -> seaport.get("@1"),
                () -> seaport.watch("http@", event -> { }));

        for (ThrowingCallable call : calls) {
            assertThatThrownBy(call).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(seaport.pendingGets()).isZero();
    }

    @Test
    void join_withTlsKeystoreThatIsNotPkcs12_refusedNamingTheFile(@TempDir Path dir) throws Exception {
        Path keystore = Files.write(dir.resolve("member.p12"), new byte[] {1});

        assertThatThrownBy(() -> cluster.builder().tls(keystore, "secret".toCharArray()).join())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(keystore.toString())
                .hasMessageContaining("PKCS12");
    }

    @Test
    void join_withXmlStackAndPeers_refusedNamingTheIgnoredOptions() {
        Seaport.Builder builder = cluster.builder().config("some-stack.xml");

        assertThatThrownBy(builder::join)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("peers")
                .hasMessageContaining("bind port")
                .hasMessageContaining("some-stack.xml");
    }

    @Test
    void join_withMissingXmlStack_refused() {
        Seaport.Builder builder = Seaport.builder().cluster(cluster.cluster()).config("no/such/stack.xml");

        assertThatThrownBy(builder::join)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no/such/stack.xml");
    }
}
