package io.seaport.jgroups.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.seaport.Seaport;
import io.seaport.Service;
import io.seaport.testkit.Await;
import io.seaport.testkit.LocalCluster;
import io.seaport.testkit.LocalClusters;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

final class JoinRegisterQueryTest {
    @RegisterExtension
    final LocalClusters clusters = new LocalClusters();

    @Test
    void register_onOneMember_isSeenByTheOther() {
        LocalCluster cluster = clusters.start("JoinRegisterQueryTest-register", 2);
        Seaport a = cluster.member(0);
        Seaport b = cluster.member(1);

        a.register("http@1.2.3", 8080, Map.of("zone", "eu"));

        Await.until("member 1 sees http", () -> !b.query("http").isEmpty(), cluster::describe);
        Service seen = b.query("http@^1").get(0);
        assertThat(seen.address()).isEqualTo("127.0.0.1:8080");
        assertThat(seen.version()).isEqualTo("1.2.3");
        assertThat(seen.metadata()).containsEntry("zone", "eu");
        assertThat(seen.member()).isEqualTo(a.member());
        assertThat(a.query("http")).containsExactly(seen);
    }

    @Test
    void join_afterRegistrations_seesThemImmediately() {
        LocalCluster cluster = clusters.start("JoinRegisterQueryTest-join", 2);
        cluster.member(0).register("db@2.0.0", 5984);
        cluster.member(1).register("cache@1.0.0", 6379);

        Seaport joiner = cluster.add();

        List<Service> db = joiner.query("db");
        List<Service> cache = joiner.query("cache");
        assertThat(db).as(cluster.describe()).hasSize(1);
        assertThat(cache).as(cluster.describe()).hasSize(1);
    }
}
