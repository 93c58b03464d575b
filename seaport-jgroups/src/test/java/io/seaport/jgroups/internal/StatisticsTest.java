package io.seaport.jgroups.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seaport.Registration;
import io.seaport.Seaport;
import io.seaport.SeaportStatistics;
import io.seaport.ServiceEvent.Reason;
import io.seaport.testkit.Await;
import io.seaport.testkit.LocalCluster;
import io.seaport.testkit.LocalClusters;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

final class StatisticsTest {
    @RegisterExtension
    final LocalClusters clusters = new LocalClusters();

    @Test
    void statistics_ofTwoMembers_countMembersServicesPerRoleAndEnvironmentAndEvents() {
        LocalCluster cluster = clusters.start("StatisticsTest-counts", 2);
        Seaport observer = cluster.member(0);
        Seaport owner = cluster.member(1);
        Seaport staging = cluster.add(b -> b.environment("staging"));
        owner.register("web@1.0.0", 8081);
        owner.register("web@2.0.0", 8082);
        Registration db = owner.register("db@3", 5432);
        staging.register("web@1.0.0", 9081);
        Await.until("four services seen", () -> observer.statistics().services().stream()
                .mapToInt(SeaportStatistics.ServiceCount::count).sum() == 4, cluster::describe);

        db.close();
        Await.until("db freed", () -> observer.statistics().freed().get(Reason.FREED) == 1, cluster::describe);
        SeaportStatistics statistics = observer.statistics();

        assertThat(statistics.members()).isEqualTo(3);
        assertThat(statistics.services()).containsExactly(
                new SeaportStatistics.ServiceCount("default", "web", 2),
                new SeaportStatistics.ServiceCount("staging", "web", 1));
        assertThat(statistics.services("default", "web")).isEqualTo(2);
        assertThat(statistics.services("default", "db")).isZero();
        assertThat(statistics.registered()).isEqualTo(4);
        assertThat(statistics.freed()).isEqualTo(Map.of(Reason.FREED, 1L, Reason.MEMBER_LEFT, 0L));
        // At least its first view (alone) and the one with staging; joins may share a view.
        assertThat(statistics.views()).isGreaterThanOrEqualTo(2);
        // Snapshots go by unicast to whoever asks: the last joiner applied one from each member.
        assertThat(staging.statistics().snapshotsApplied()).isGreaterThanOrEqualTo(2);
        assertThat(statistics.merges()).isZero();
    }

    @Test
    void statistics_getWaitingThenSatisfied_countsItPendingOnlyWhileItWaits() {
        LocalCluster cluster = clusters.start("StatisticsTest-gets", 2);
        Seaport client = cluster.member(0);
        CompletableFuture<?> waiting = client.get("late@1");
        int pendingBefore = client.statistics().pendingGets();

        cluster.member(1).register("late@1.0.0", 7000);
        waiting.join();

        assertThat(pendingBefore).isEqualTo(1);
        Await.until("no get pending", () -> client.statistics().pendingGets() == 0, cluster::describe);
    }

    @Test
    void statistics_ofClosedMember_failsNamingIt() {
        LocalCluster cluster = clusters.start("StatisticsTest-closed", 1);
        Seaport member = cluster.member(0);
        member.close();

        assertThatThrownBy(member::statistics).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is closed");
    }

    @Test
    void constructor_negativeCount_failsNamingIt() {
        assertThatThrownBy(() -> new SeaportStatistics(-1, List.of(), 0, Map.of(), 0, 0, 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("members must not be negative, was -1");
    }
}
