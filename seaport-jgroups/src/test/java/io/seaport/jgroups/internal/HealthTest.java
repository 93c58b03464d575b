package io.seaport.jgroups.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seaport.Health;
import io.seaport.HealthCheck;
import io.seaport.Registration;
import io.seaport.Seaport;
import io.seaport.Service;
import io.seaport.ServiceEvent;
import io.seaport.testkit.Await;
import io.seaport.testkit.LocalCluster;
import io.seaport.testkit.LocalClusters;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

final class HealthTest {
    @RegisterExtension
    final LocalClusters clusters = new LocalClusters();

    @Test
    void check_probeStartsFailing_leavesQueryAndGetOnOtherMember_andComesBack() throws Exception {
        LocalCluster cluster = clusters.start("HealthTest-check", 2);
        Seaport owner = cluster.member(0);
        Seaport other = cluster.member(1);
        List<ServiceEvent> events = new CopyOnWriteArrayList<>();
        other.watch("db", events::add);
        AtomicBoolean up = new AtomicBoolean(true);
        Registration registration = owner.register("db@1.0.0", 5984).check(HealthCheck.of(up::get, Duration.ofMillis(20)));
        Await.until("db seen", () -> other.query("db").size() == 1, cluster::describe);

        up.set(false);
        Await.until("db gone from query", () -> other.query("db").isEmpty(), cluster::describe);
        CompletableFuture<List<Service>> get = other.get("db@1");
        List<Service> listed = other.services();
        boolean getDoneWhileFailing = get.isDone();
        up.set(true);
        List<Service> back = get.get(30, TimeUnit.SECONDS);

        assertThat(listed).extracting(Service::health).containsExactly(Health.FAILING);
        assertThat(getDoneWhileFailing).isFalse();
        assertThat(back).extracting(Service::id).containsExactly(registration.service().id());
        assertThat(back.get(0).health()).isEqualTo(Health.PASSING);
        assertThat(owner.query("db")).hasSize(1);
        Await.until("two health changes delivered", () -> events.size() >= 3, events::toString);
        assertThat(events).extracting(e -> e.getClass().getSimpleName() + " " + e.service().health())
                .containsExactly("Registered PASSING", "HealthChanged FAILING", "HealthChanged PASSING");
        assertThat(((ServiceEvent.HealthChanged) events.get(1)).previous()).isEqualTo(Health.PASSING);
    }

    @Test
    void tcpCheck_listenerCloses_failsOnOtherMember_andPassesOnceItListensAgain() throws Exception {
        LocalCluster cluster = clusters.start("HealthTest-tcp", 2);
        Seaport other = cluster.member(1);
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        int port = server.getLocalPort();
        try {
            cluster.member(0).register("cache@1.0.0", port).check(HealthCheck.tcp(Duration.ofMillis(20)));
            Await.until("cache seen passing", () -> other.query("cache").size() == 1, cluster::describe);

            server.close();
            Await.until("cache failing on the other member", () -> other.query("cache").isEmpty()
                    && other.services().stream().anyMatch(s -> s.health() == Health.FAILING), cluster::describe);

            server = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
            Await.until("cache passing again", () -> other.query("cache").size() == 1, cluster::describe);
        } finally {
            server.close();
        }
    }

    @Test
    void health_draining_leavesQueryEverywhereButStaysListed() {
        LocalCluster cluster = clusters.start("HealthTest-drain", 2);
        Registration registration = cluster.member(0).register("web@2.0.0", 8080);
        Await.until("web seen", () -> cluster.member(1).query("web").size() == 1, cluster::describe);

        registration.health(Health.DRAINING);

        assertThat(cluster.member(0).query("web")).isEmpty(); // the owner's replica has it when health() returns
        Await.until("web drained on the other member", () -> cluster.member(1).query("web").isEmpty(),
                cluster::describe);
        assertThat(cluster.member(1).services()).extracting(Service::health).containsExactly(Health.DRAINING);
        assertThat(registration.health()).isEqualTo(Health.DRAINING);
        assertThat(registration.service().health()).isEqualTo(Health.DRAINING);
    }

    @Test
    void check_onDrainingRegistration_neverBringsItBack() throws Exception {
        LocalCluster cluster = clusters.start("HealthTest-drain-check", 1);
        Seaport seaport = cluster.member(0);
        Registration registration = seaport.register("web@2.0.0", 8080);
        registration.health(Health.DRAINING);
        CountingProbe probe = new CountingProbe(true);

        registration.check(HealthCheck.of(probe, Duration.ofMillis(10)));
        Await.until("several passing probes", () -> probe.count() >= 5, cluster::describe);

        assertThat(registration.health()).isEqualTo(Health.DRAINING);
        assertThat(seaport.query("web")).isEmpty();
    }

    @Test
    void drain_setsDrainingThenFrees() {
        LocalCluster cluster = clusters.start("HealthTest-drain-close", 2);
        Registration registration = cluster.member(0).register("web@2.0.0", 8080);
        Await.until("web seen", () -> cluster.member(1).services().size() == 1, cluster::describe);
        List<ServiceEvent> events = new CopyOnWriteArrayList<>();
        cluster.member(1).watch("web", events::add);

        registration.drain(Duration.ofMillis(50));

        Await.until("drained then freed on the other member", () -> events.size() >= 3, events::toString);
        assertThat(events).extracting(e -> e.getClass().getSimpleName() + " " + e.service().health())
                .containsExactly("Registered PASSING", "HealthChanged DRAINING", "Freed DRAINING");
        assertThatThrownBy(() -> registration.health(Health.PASSING)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void health_setBeforeReady_isPublishedWithTheEntry_andJoinerSeesIt() {
        LocalCluster cluster = clusters.start("HealthTest-ready", 1);
        Registration registration = cluster.member(0).allocate("api@1.0.0");
        registration.health(Health.FAILING);
        registration.ready();

        Seaport joiner = cluster.add();

        assertThat(joiner.query("api")).isEmpty();
        assertThat(joiner.services()).extracting(Service::health).containsExactly(Health.FAILING);
        registration.health(Health.PASSING);
        Await.until("api passing on the joiner", () -> joiner.query("api").size() == 1, cluster::describe);
    }

    @Test
    void registration_withoutCheck_isPassing() {
        LocalCluster cluster = clusters.start("HealthTest-default", 1);

        Registration registration = cluster.member(0).register("db@1.0.0", 5984);

        assertThat(registration.health()).isEqualTo(Health.PASSING);
        assertThat(cluster.member(0).query("db")).extracting(Service::health).containsExactly(Health.PASSING);
    }

    @Test
    void healthCheck_badInput_isRefusedWithTheInputQuoted() {
        assertThatThrownBy(() -> HealthCheck.http("health", Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'health'");
        assertThatThrownBy(() -> HealthCheck.tcp(Duration.ofMillis(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT0.001S");
        assertThatThrownBy(() -> HealthCheck.tcp(Duration.ofSeconds(1)).thresholds(0, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("was 0");
        assertThatThrownBy(() -> HealthCheck.ttl(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void drain_negativePeriod_isRefusedAndChangesNothing() {
        LocalCluster cluster = clusters.start("HealthTest-drain-bad", 1);
        Registration registration = cluster.member(0).register("db@1.0.0", 5984);

        assertThatThrownBy(() -> registration.drain(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT-1S");
        assertThat(registration.health()).isEqualTo(Health.PASSING);
        assertThat(cluster.member(0).query("db")).hasSize(1);
    }

    /** A probe that counts its calls. */
    private static final class CountingProbe implements java.util.function.BooleanSupplier {
        private final boolean result;
        private final java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();

        CountingProbe(boolean result) {
            this.result = result;
        }

        @Override
        public boolean getAsBoolean() {
            calls.incrementAndGet();
            return result;
        }

        int count() {
            return calls.get();
        }
    }
}
