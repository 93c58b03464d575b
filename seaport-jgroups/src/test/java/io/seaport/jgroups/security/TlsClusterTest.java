package io.seaport.jgroups.security;

import io.seaport.testkit.TestKeys;
import static org.assertj.core.api.Assertions.assertThat;

import io.seaport.Seaport;
import io.seaport.Service;
import io.seaport.testkit.Await;
import io.seaport.testkit.LocalCluster;
import io.seaport.testkit.TestKeys;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** In one JVM: members with TLS, in either mode, form a cluster and replicate as without TLS. */
final class TlsClusterTest {
    @TempDir
    static Path dir;
    private static Path shared;
    private static TestKeys.Ca ca;
    private static Path first;
    private static Path second;
    private LocalCluster cluster;

    @BeforeAll
    static void makeKeys() {
        TestKeys keys = new TestKeys(dir);
        shared = keys.selfSigned("shared-cluster");
        ca = keys.ca("cluster-ca");
        first = keys.signedBy(ca, "first");
        second = keys.signedBy(ca, "second");
    }

    @AfterEach
    void closeCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void register_withSharedKey_isSeenByTheOtherMember() {
        cluster = LocalCluster.start("TlsClusterTest-register", 2,
                b -> b.tls(shared, TestKeys.PASSWORD.toCharArray()));
        Seaport a = cluster.member(0);
        Seaport b = cluster.member(1);

        a.register("secure@1.0.0", 8443, Map.of("tls", "yes"));
        b.register("other@2.0.0", 9443);

        Await.until("both members see both services",
                () -> b.query("secure").size() == 1 && a.query("other").size() == 1, cluster::describe);
        Service seen = b.query("secure").get(0);
        assertThat(seen.member()).isEqualTo(a.member());
        assertThat(seen.metadata()).containsEntry("tls", "yes");
    }

    @Test
    void register_withCaSignedKeys_isSeenByTheOtherMember() {
        char[] password = TestKeys.PASSWORD.toCharArray();
        cluster = LocalCluster.start("TlsClusterTest-ca", 0);
        Seaport a = cluster.add(builder -> builder.tls(first, password, ca.truststore(), password));
        Seaport b = cluster.add(builder -> builder.tls(second, password, ca.truststore(), password));

        a.register("secure@1.0.0", 8443);

        Await.until("the second member sees the first's service", () -> b.query("secure").size() == 1,
                cluster::describe);
        assertThat(b.query("secure").get(0).member()).isEqualTo(a.member());
    }
}
