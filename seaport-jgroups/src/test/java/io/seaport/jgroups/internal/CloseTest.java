package io.seaport.jgroups.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seaport.Registration;
import io.seaport.Seaport;
import io.seaport.ServiceEvent;
import io.seaport.testkit.Await;
import io.seaport.testkit.LocalCluster;
import io.seaport.testkit.LocalClusters;
import io.seaport.testkit.TestPorts;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

final class CloseTest {
    @RegisterExtension
    final LocalClusters clusters = new LocalClusters();

    @Test
    void close_withRegistrations_peersSeeFreedFreedQuickly() {
        LocalCluster cluster = clusters.start("CloseTest-freed", 2);
        Seaport leaving = cluster.member(0);
        Registration registration = leaving.register("http@1", 1001);
        List<ServiceEvent> events = new CopyOnWriteArrayList<>();
        cluster.member(1).watch("http", events::add);
        Await.until("registered seen", () -> events.size() == 1, cluster::describe);

        long start = System.nanoTime();
        leaving.close();

        // Failure detection would take seconds and say MEMBER_LEFT; a clean close says FREED at once.
        Await.until("Freed(FREED) seen", Duration.ofSeconds(5), () -> events.size() == 2,
                () -> events + "\n" + cluster.describe());
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(events.get(1)).isEqualTo(new ServiceEvent.Freed(registration.service(), ServiceEvent.Reason.FREED));
        assertThat(millis).isLessThan(5_000);
    }

    @Test
    void registrationClose_peersSeeFreedAndPortIsReusable() {
        int only = TestPorts.freeBlock(1);
        LocalCluster cluster = clusters.start("CloseTest-registration", 2, b -> b.portRange(only, only));
        Registration registration = cluster.member(0).service("http@1", port -> { });
        Await.until("seen", () -> cluster.member(1).query("http").size() == 1, cluster::describe);

        registration.close();
        registration.close();

        Await.until("gone", () -> cluster.member(1).query("http").isEmpty(), cluster::describe);
        assertThat(cluster.member(1).service("http@2", port -> { }).port()).isEqualTo(only);
    }

    @Test
    void close_ownWatcherSeesOwnServicesFreed() {
        LocalCluster cluster = clusters.start("CloseTest-own", 1);
        Seaport seaport = cluster.member(0);
        Registration registration = seaport.register("http@1", 1001);
        List<ServiceEvent> events = new CopyOnWriteArrayList<>();
        seaport.watch("http", events::add);

        seaport.close();

        Await.until("own Freed(FREED)", () -> events.size() == 2, events::toString);
        assertThat(events.get(1)).isEqualTo(new ServiceEvent.Freed(registration.service(), ServiceEvent.Reason.FREED));
    }

    @Test
    void close_fromItsOwnListener_completesWithoutWaitingForItself() {
        LocalCluster cluster = clusters.start("CloseTest-fromListener", 1);
        Seaport seaport = cluster.member(0);
        List<String> closedBy = new CopyOnWriteArrayList<>();
        seaport.watch("stop", event -> {
            seaport.close();
            closedBy.add(Thread.currentThread().getName());
        });

        seaport.register("stop@1", 1001);

        Await.until("the listener closed its Seaport", () -> !closedBy.isEmpty(), closedBy::toString);
        assertThatThrownBy(() -> seaport.query("stop")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void everyMethod_afterClose_throwsIllegalState() {
        LocalCluster cluster = clusters.start("CloseTest-closed", 1);
        Seaport seaport = cluster.member(0);
        Registration registration = seaport.allocate("http@1");

        seaport.close();
        seaport.close();

        List<ThrowingCallable> calls = List.of(
                seaport::cluster,
                seaport::environment,
                seaport::member,
                () -> seaport.service("a@1", port -> { }),
                () -> seaport.service("a@1", (port, ready) -> ready.run()),
                () -> seaport.allocate("a@1"),
                () -> seaport.register("a@1", 80),
                () -> seaport.register("a@1", 80, Map.of()),
                () -> seaport.query("a"),
                () -> seaport.query("default", "a"),
                () -> seaport.get("a"),
                () -> seaport.watch("a", event -> { }),
                registration::ready);
        for (ThrowingCallable call : calls) {
            assertThatThrownBy(call).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        }
        registration.close(); // idempotent and quiet after the Seaport is closed
    }

    @Test
    void close_stopsEveryThreadItStarted() {
        LocalCluster cluster = clusters.start("CloseTest-threads", 2);
        String member = cluster.member(1).member();
        cluster.member(1).watch("http", event -> { });
        cluster.member(0).register("http@1", 1001);
        Await.until("a listener thread ran", () -> seaportThreads(member) >= 2, () -> threadNames(member));

        cluster.close();

        Await.until("no seaport thread of " + member + " left", () -> seaportThreads(member) == 0,
                () -> threadNames(member));
    }

    private static long seaportThreads(String member) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("seaport-") && t.getName().contains(member))
                .count();
    }

    private static String threadNames(String member) {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(n -> n.contains(member)).toList().toString();
    }
}
