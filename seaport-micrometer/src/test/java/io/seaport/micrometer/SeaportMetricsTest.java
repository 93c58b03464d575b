package io.seaport.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.seaport.Registration;
import io.seaport.Seaport;
import io.seaport.testkit.Await;
import io.seaport.testkit.LocalCluster;
import io.seaport.testkit.LocalClusters;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

final class SeaportMetricsTest {
    @RegisterExtension
    final LocalClusters clusters = new LocalClusters();

    @Test
    void bindTo_memberOfTwo_metersFollowServicesEventsAndGets() {
        LocalCluster cluster = clusters.start("SeaportMetricsTest-follow", 2);
        Seaport observed = cluster.member(0);
        Seaport owner = cluster.member(1);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (SeaportMetrics metrics = new SeaportMetrics(observed, Tags.of("application", "test"))) {
            metrics.bindTo(registry);
            CompletableFuture<?> waiting = observed.get("late@1");
            owner.register("web@1.0.0", 8081);
            owner.register("web@2.0.0", 8082);
            Registration db = owner.register("db@3", 5432);
            Await.until("two web services metered", () -> gauge(registry, "seaport.services", "role", "web") == 2,
                    registry::getMetersAsString);
            double pendingWhileWaiting = registry.get("seaport.gets.pending").gauge().value();

            db.close();
            owner.register("late@1.0.0", 7000);
            waiting.join();
            // The gauge of a new role appears when the binder's watch sees the role.
            Await.until("db freed, late metered, no get pending",
                    () -> counter(registry, "seaport.services.freed", "reason", "freed") == 1
                            && gauge(registry, "seaport.services", "role", "late") == 1
                            && registry.get("seaport.gets.pending").gauge().value() == 0, registry::getMetersAsString);

            assertThat(pendingWhileWaiting).isEqualTo(1);
            assertThat(registry.get("seaport.members").gauge().value()).isEqualTo(2);
            assertThat(gauge(registry, "seaport.services", "role", "db")).isZero();
            assertThat(registry.get("seaport.services.registered").functionCounter().count()).isEqualTo(4);
            assertThat(counter(registry, "seaport.services.freed", "reason", "member_left")).isZero();
            assertThat(registry.get("seaport.views").functionCounter().count()).isGreaterThanOrEqualTo(1);
            Meter.Id id = registry.get("seaport.members").gauge().getId();
            assertThat(id.getTag("cluster")).isEqualTo(observed.cluster());
            assertThat(id.getTag("member")).isEqualTo(observed.member());
            assertThat(id.getTag("application")).isEqualTo("test");
            assertThat(registry.get("seaport.services").tag("role", "web").gauge().getId().getTag("environment"))
                    .isEqualTo("default");
        }
    }

    @Test
    void gauges_afterMemberClosed_readNaNAndCountersKeepTheirLastValue() {
        LocalCluster cluster = clusters.start("SeaportMetricsTest-closed", 1);
        Seaport member = cluster.member(0);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        SeaportMetrics metrics = new SeaportMetrics(member);
        metrics.bindTo(registry);
        member.register("web@1", 8081);
        Await.until("registered counted", () -> registry.get("seaport.services.registered").functionCounter().count() == 1,
                registry::getMetersAsString);

        member.close();
        metrics.close();

        assertThat(registry.get("seaport.members").gauge().value()).isNaN();
        assertThat(registry.get("seaport.services.registered").functionCounter().count()).isEqualTo(1);
    }

    private static double gauge(SimpleMeterRegistry registry, String name, String tag, String value) {
        var gauge = registry.find(name).tag(tag, value).gauge();
        return gauge == null ? -1 : gauge.value();
    }

    private static double counter(SimpleMeterRegistry registry, String name, String tag, String value) {
        return registry.get(name).tag(tag, value).functionCounter().count();
    }
}
