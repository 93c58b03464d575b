package io.seaport.jgroups.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seaport.Registration;
import io.seaport.Seaport;
import io.seaport.Service;
import io.seaport.ServiceEvent;
import io.seaport.Subscription;
import io.seaport.testkit.Await;
import io.seaport.testkit.LocalCluster;
import io.seaport.testkit.LocalClusters;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

final class GetWatchTest {
    @RegisterExtension
    final LocalClusters clusters = new LocalClusters();

    @Test
    void get_beforeRegistration_completesWhenServiceAppears() throws Exception {
        LocalCluster cluster = clusters.start("GetWatchTest-get", 2);
        CompletableFuture<List<Service>> future = cluster.member(1).get("db@^2");
        boolean doneBefore = future.isDone();

        cluster.member(0).register("db@1.0.0", 1001);
        cluster.member(0).register("db@2.3.0", 1002);

        List<Service> found = future.get(30, TimeUnit.SECONDS);
        assertThat(doneBefore).isFalse();
        assertThat(found).extracting(Service::port).containsExactly(1002);
        Await.until("no pending get", () -> ((JGroupsSeaport) cluster.member(1)).pendingGets() == 0, cluster::describe);
    }

    @Test
    void get_alreadyRegistered_completesAtOnce() throws Exception {
        LocalCluster cluster = clusters.start("GetWatchTest-present", 1);
        cluster.member(0).register("db@1.0.0", 1001);

        List<Service> found = cluster.member(0).get("db").get(30, TimeUnit.SECONDS);

        assertThat(found).hasSize(1);
    }

    @Test
    void get_cancelledOrTimedOut_leavesNothingPending() {
        LocalCluster cluster = clusters.start("GetWatchTest-leak", 1);
        JGroupsSeaport seaport = (JGroupsSeaport) cluster.member(0);

        CompletableFuture<List<Service>> cancelled = seaport.get("never");
        CompletableFuture<List<Service>> timedOut = seaport.get("never@1");
        int pendingBefore = seaport.pendingGets();

        cancelled.cancel(true);
        timedOut.orTimeout(50, TimeUnit.MILLISECONDS);

        assertThat(pendingBefore).isEqualTo(2);
        assertThatThrownBy(() -> timedOut.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(TimeoutException.class);
        assertThatThrownBy(cancelled::join).isInstanceOf(CancellationException.class);
        assertThat(seaport.pendingGets()).isZero();
    }

    @Test
    void get_pendingAtClose_failsWithIllegalState() {
        LocalCluster cluster = clusters.start("GetWatchTest-close", 1);
        CompletableFuture<List<Service>> pending = cluster.member(0).get("never");

        cluster.member(0).close();

        assertThatThrownBy(() -> pending.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalStateException.class);
    }

    @Test
    void watch_existingThenChanges_deliversInOrder() {
        LocalCluster cluster = clusters.start("GetWatchTest-watch", 2);
        Seaport a = cluster.member(0);
        Seaport b = cluster.member(1);
        Registration first = a.register("http@1.0.0", 1001);
        Await.until("b sees the first", () -> b.query("http").size() == 1, cluster::describe);
        List<ServiceEvent> events = new CopyOnWriteArrayList<>();

        Subscription subscription = b.watch("http@1.x", events::add);
        Registration second = a.register("http@1.5.0", 1002);
        a.register("http@2.0.0", 1003); // outside the range
        first.close();

        Await.until("3 events", () -> events.size() == 3, () -> events + "\n" + cluster.describe());
        assertThat(events).containsExactly(
                new ServiceEvent.Registered(first.service()),
                new ServiceEvent.Registered(second.service()),
                new ServiceEvent.Freed(first.service(), ServiceEvent.Reason.FREED));
        subscription.close();
        second.close();
        Await.until("b sees second freed", () -> b.query("http@1.x").isEmpty(), cluster::describe);
        assertThat(events).hasSize(3);
    }

    @Test
    void watch_blockedListener_doesNotDelayAnotherOne() throws Exception {
        LocalCluster cluster = clusters.start("GetWatchTest-blocked", 1);
        Seaport a = cluster.member(0);
        CountDownLatch release = new CountDownLatch(1);
        List<ServiceEvent> fast = new CopyOnWriteArrayList<>();
        a.watch("http", event -> {
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        a.watch("http", fast::add);

        a.register("http@1", 1001);
        a.register("http@2", 1002);

        try {
            Await.until("the fast listener gets both events while the other is blocked", () -> fast.size() == 2,
                    () -> fast.toString());
        } finally {
            release.countDown();
        }
    }

    @Test
    void watch_throwingListener_keepsReceiving() {
        LocalCluster cluster = clusters.start("GetWatchTest-throwing", 1);
        Seaport a = cluster.member(0);
        List<ServiceEvent> seen = new CopyOnWriteArrayList<>();
        a.watch("http", event -> {
            seen.add(event);
            throw new IllegalStateException("listener failure on purpose");
        });

        a.register("http@1", 1001);
        a.register("http@2", 1002);

        Await.until("both events delivered despite the exceptions", () -> seen.size() == 2, seen::toString);
    }

    @Test
    void watch_memberCrashes_deliversFreedMemberLeft() {
        LocalCluster cluster = clusters.start("GetWatchTest-crash", 2);
        JGroupsSeaport victim = (JGroupsSeaport) cluster.member(0);
        Registration registration = victim.register("http@1", 1001);
        List<ServiceEvent> events = new CopyOnWriteArrayList<>();
        Await.until("member 1 sees it", () -> cluster.member(1).query("http").size() == 1, cluster::describe);
        cluster.member(1).watch("http", events::add);

        victim.channel().close(); // leaves without freeing anything: what peers see of a crash

        Await.until("Freed(MEMBER_LEFT)", () -> events.size() == 2, () -> events + "\n" + cluster.describe());
        assertThat(events.get(1)).isEqualTo(new ServiceEvent.Freed(registration.service(),
                ServiceEvent.Reason.MEMBER_LEFT));
        assertThat(cluster.member(1).query("http")).isEmpty();
        victim.close(); // what is left of the crashed member in this JVM: not a member any more
    }
}
