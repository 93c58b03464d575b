package io.seaport.jgroups.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.seaport.Registration;
import io.seaport.Seaport;
import io.seaport.Service;
import io.seaport.testkit.Await;
import io.seaport.testkit.LocalCluster;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

final class QueryTest {
    private LocalCluster cluster;

    @AfterEach
    void closeCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void query_manyVersions_highestFirstThenOldestFirst() {
        cluster = LocalCluster.start("QueryTest-order", 2);
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
        cluster = LocalCluster.start("QueryTest-env", 1);
        Seaport prod = cluster.add(builder -> builder.environment("prod"));
        Seaport test = cluster.add(builder -> builder.environment("test"));
        prod.register("db@1", 5432);

        Await.until("the default member sees prod's db in prod",
                () -> cluster.member(0).query("prod", "db").size() == 1, cluster::describe);

        assertThat(prod.environment()).isEqualTo("prod");
        assertThat(prod.query("db")).hasSize(1);
        assertThat(test.query("db")).isEmpty();
        assertThat(test.query("prod", "db")).hasSize(1);
        assertThat(cluster.member(0).query("db")).isEmpty();
        assertThat(cluster.member(0).query("prod", "db").get(0).environment()).isEqualTo("prod");
    }

    @Test
    void query_twoThousandServices_isIndexedNotScanned() {
        cluster = LocalCluster.start("QueryTest-many", 1);
        Seaport a = cluster.member(0);
        for (int i = 0; i < 2_000; i++) {
            a.register("role" + (i % 200) + "@1." + (i % 7) + ".0", 1 + i);
        }

        long start = System.nanoTime();
        int found = 0;
        for (int i = 0; i < 10_000; i++) {
            found += a.query("role" + (i % 200) + "@^1.2").size();
        }
        long micros = (System.nanoTime() - start) / 10_000 / 1_000;

        assertThat(found).isPositive();
        // Not a timing assertion, only a guard against an accidental linear scan of everything.
        assertThat(micros).as("mean query time in µs").isLessThan(5_000);
    }
}
