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
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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

    @Test
    void join_afterThousandsOfRegistrations_holdsEveryOneWhenJoinReturns() throws Exception {
        LocalCluster cluster = clusters.start("JoinRegisterQueryTest-many", 1);
        List<CompletableFuture<Registration>> registered = new ArrayList<>();
        for (int i = 0; i < 2 * SnapshotSender.PART_ENTRIES + 500; i++) { // a snapshot of three parts
            registered.add(cluster.member(0).registerAsync("bulk-" + i % 10 + "@1.0.0", 10_000 + i));
        }
        CompletableFuture.allOf(registered.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

        Seaport joiner = cluster.add();

        int held = 0;
        for (int role = 0; role < 10; role++) {
            held += joiner.query("bulk-" + role).size();
        }
        assertThat(held).as(cluster.describe()).isEqualTo(registered.size());
    }

    @Test
    void join_whileTheHolderOfThousandsChangesThem_convergesToTheHoldersEntries() throws Exception {
        LocalCluster cluster = clusters.start("JoinRegisterQueryTest-changing", 1);
        Seaport holder = cluster.member(0);
        List<CompletableFuture<Registration>> registered = new ArrayList<>();
        for (int i = 0; i < 2 * SnapshotSender.PART_ENTRIES + 500; i++) {
            registered.add(holder.registerAsync("bulk@1.0.0", 10_000 + i));
        }
        CompletableFuture.allOf(registered.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try {
            Future<?> changes = writer.submit(() -> {
                for (int i = 0; i < 300; i++) { // changes that race the joiner's snapshot parts
                    registered.get(i).join().close();
                    holder.register("late@1.0.0", 20_000 + i);
                }
            });

            Seaport joiner = cluster.add();
            changes.get(60, TimeUnit.SECONDS);

            Await.until("the joiner holds the holder's entries as they are now", () ->
                    joiner.query("bulk").size() == registered.size() - 300 && joiner.query("late").size() == 300,
                    cluster::describe);
        } finally {
            writer.shutdownNow();
        }
    }
}
