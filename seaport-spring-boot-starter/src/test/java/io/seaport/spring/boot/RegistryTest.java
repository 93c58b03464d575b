package io.seaport.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seaport.Seaport;
import io.seaport.Service;
import io.seaport.testkit.Await;
import io.seaport.testkit.LocalCluster;
import io.seaport.testkit.LocalClusters;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/** The service registry publishes on every member; the health indicator reports the member. */
final class RegistryTest {
    @RegisterExtension
    final LocalClusters clusters = new LocalClusters();

    @Test
    void register_thenDeregister_seenAndFreedOnAnotherMember() {
        LocalCluster cluster = clusters.start("RegistryTest-register", 1);
        Seaport other = cluster.member(0);

        Contexts.joining(cluster).withPropertyValues("seaport.registration.enabled=false").run(context -> {
            try (Seaport seaport = context.getBean(Seaport.class)) {
                SeaportServiceRegistry registry = new SeaportServiceRegistry(seaport);
                SeaportRegistration registration =
                        new SeaportRegistration("greeter", "1.2", 21021, Map.of("zone", "a"));

                registry.register(registration);
                Await.until("greeter visible on the other member", () -> other.query("greeter@1.x").size() == 1,
                        () -> other.services().toString());
                Service seen = other.query("greeter@1.x").get(0);
                String statusUp = registry.getStatus(registration);
                registry.setStatus(registration, "DOWN");
                Await.until("greeter freed on the other member", () -> other.query("greeter").isEmpty(),
                        () -> other.services().toString());

                assertThat(seen.version()).isEqualTo("1.2.0");
                assertThat(seen.port()).isEqualTo(21021);
                assertThat(seen.metadata()).isEqualTo(Map.of("zone", "a"));
                assertThat(registration.getInstanceId()).isNull();
                assertThat(statusUp).isEqualTo("UP");
                assertThat((String) registry.getStatus(registration)).isEqualTo("DOWN");
            }
        });
    }

    @Test
    void setStatus_unknownStatus_refusedQuotingIt() {
        LocalCluster cluster = clusters.start("RegistryTest-status", 1);
        SeaportServiceRegistry registry = new SeaportServiceRegistry(cluster.member(0));
        SeaportRegistration registration = new SeaportRegistration("greeter", "1.0.0", 21022, Map.of());

        assertThatThrownBy(() -> registry.setStatus(registration, "SLEEPY"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'SLEEPY'");
        assertThat(cluster.member(0).query("greeter")).isEmpty();
    }

    @Test
    void registration_badRole_refusedQuotingIt() {
        assertThatThrownBy(() -> new SeaportRegistration("greeter", "1.x.banana", 0, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1.x.banana");
    }

    @Test
    void healthIndicator_member_upWithDetailsThenDownWhenClosed() {
        LocalCluster cluster = clusters.start("RegistryTest-health", 1);
        cluster.member(0).register("db@3.0.0", 21023);

        Contexts.joining(cluster).withPropertyValues("seaport.registration.enabled=false").run(context -> {
            Seaport seaport = context.getBean(Seaport.class);
            SeaportHealthIndicator indicator = context.getBean(SeaportHealthIndicator.class);
            seaport.register("greeter@1.0.0", 21024);
            String member = seaport.member();

            Health up = indicator.health();
            seaport.close();
            Health down = indicator.health();

            assertThat(up.getStatus()).isEqualTo(Status.UP);
            assertThat(up.getDetails()).containsEntry("cluster", cluster.cluster())
                    .containsEntry("member", member)
                    .containsEntry("servicesHeld", 1L)
                    .containsEntry("services", 2)
                    .containsEntry("membersWithServices", 2L);
            assertThat(List.of(down.getStatus())).containsExactly(Status.DOWN);
            assertThat(down.getDetails()).containsEntry("cluster", cluster.cluster());
        });
    }
}
