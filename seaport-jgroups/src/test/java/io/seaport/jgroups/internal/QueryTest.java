package io.seaport.jgroups.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.seaport.Registration;
import io.seaport.Seaport;
import io.seaport.Service;
import io.seaport.testkit.Await;
import io.seaport.testkit.LocalCluster;
import io.seaport.testkit.LocalClusters;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

final class QueryTest {
    @RegisterExtension
    final LocalClusters clusters = new LocalClusters();

    @Test
    void query_manyVersions_highestFirstThenOldestFirst() {
        LocalCluster cluster = clusters.start("QueryTest-order", 2);
        Seaport a = cluster.member(0);
        Seaport b = cluster.member(1);
        Registration old1 = a.register("http@1.0.0", 1001);
        Registration v2 = b.register("http@2.0.0", 1002);
        Registration beta = a.register("http@2.1.0-beta.1", 1003);
        Registration new1 = b.register("http@1.0.0", 1004);
        Registration v110 = a.register("http@1.1", 1005);

        Await.until("both members see 5 http", () -> a.query("http").size() == 5 && b.query("http").size() == 5,
                cluster::describe);

        List<Service> all = b.query("http");
        assertThat(all).extracting(Service::port).containsExactly(1003, 1002, 1005, 1001, 1004);
        assertThat(a.query("http")).isEqualTo(all);
        assertThat(b.query("http@1.x")).extracting(Service::id).containsExactly(v110.service().id(),
                old1.service().id(), new1.service().id());
        assertThat(b.query("http@^2")).extracting(Service::id).containsExactly(v2.service().id());
        assertThat(b.query("http@2.1.0-beta.1")).extracting(Service::id).containsExactly(beta.service().id());
        assertThat(b.query("http@>=3")).isEmpty();
        assertThat(b.query("nothing")).isEmpty();
    }

    @Test
    void query_otherEnvironment_keepsMapsApart() {
        LocalCluster cluster = clusters.start("QueryTest-env", 1);
        Seaport prod = cluster.add(builder -> builder.environment("prod"));
        Seaport test = cluster.add(builder -> builder.environment("test"));
        prod.register("db@1", 5432);

        Await.until("the default and the test member see prod's db in prod",
                () -> cluster.member(0).query("prod", "db").size() == 1 && test.query("prod", "db").size() == 1,
                cluster::describe);

        assertThat(prod.environment()).isEqualTo("prod");
        assertThat(prod.query("db")).hasSize(1);
        assertThat(test.query("db")).isEmpty();
        assertThat(test.query("prod", "db")).hasSize(1);
        assertThat(cluster.member(0).query("db")).isEmpty();
        assertThat(cluster.member(0).query("prod", "db").get(0).environment()).isEqualTo("prod");
    }

    @Test
    void query_twoThousandServicesInTwoHundredRoles_returnsExactlyEachRolesMatches() {
        LocalCluster cluster = clusters.start("QueryTest-many", 1);
        Seaport a = cluster.member(0);
        for (int i = 0; i < 2_000; i++) {
            a.register("role" + (i % 200) + "@1." + (i % 7) + ".0", 1 + i);
        }

        for (int role = 0; role < 200; role++) {
            List<Service> found = a.query("role" + role + "@^1.2");

            List<Integer> expected = new ArrayList<>();
            for (int i = role; i < 2_000; i += 200) {
                if (i % 7 >= 2) {
                    expected.add(1 + i);
                }
            }
            assertThat(found).extracting(Service::port).containsExactlyInAnyOrderElementsOf(expected);
        }
        // Speed is measured by the benchmarks (QueryBenchmark), never asserted here.
    }
}
