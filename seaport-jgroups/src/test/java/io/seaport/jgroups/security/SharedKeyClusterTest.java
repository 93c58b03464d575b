package io.seaport.jgroups.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.seaport.Seaport;
import io.seaport.Service;
import io.seaport.testkit.Await;
import io.seaport.testkit.LocalCluster;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** In one JVM: members holding the same shared key form a TLS cluster and replicate as without TLS. */
final class SharedKeyClusterTest {
    @TempDir
    static Path dir;
    private static Path shared;
    private LocalCluster cluster;

    @BeforeAll
    static void makeKeys() {
        shared = new TestKeys(dir).selfSigned("shared-cluster");
    }

    @AfterEach
    void closeCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void register_withSharedKey_isSeenByTheOtherMember() {
        cluster = LocalCluster.start("SharedKeyClusterTest-register", 2,
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
}
