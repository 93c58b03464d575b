package io.seaport.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.seaport.Health;
import io.seaport.Seaport;
import io.seaport.Service;
import io.seaport.testkit.Await;
import io.seaport.testkit.LocalCluster;
import io.seaport.testkit.LocalClusters;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A real web application with the actuator, in this JVM: its registration is checked through its
 * own health endpoint, so when the application's health goes {@code DOWN} the instance leaves
 * discovery on another member, and comes back when it is {@code UP} again.
 */
final class ActuatorHealthTest {
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @RegisterExtension
    final LocalClusters clusters = new LocalClusters();

    @Test
    void actuatorHealth_downThenUp_instanceLeavesDiscoveryOnOtherMemberAndReturns() {
        LocalCluster cluster = clusters.start("ActuatorHealthTest-toggle", 1);
        Seaport other = cluster.member(0);
        SeaportDiscoveryClient discovery = new SeaportDiscoveryClient(other, new ServiceRanges(Map.of()));
        SeaportServiceInstanceListSupplier supplier = new SeaportServiceInstanceListSupplier("greeter", discovery);
        AtomicBoolean healthy = new AtomicBoolean(true);

        try (ConfigurableApplicationContext app = greeter(cluster, healthy)) {
            int port = ((WebServerApplicationContext) app).getWebServer().getPort();
            SeaportRegistration registration = app.getBean(SeaportRegistration.class);
            Await.until("greeter discovered on the other member", DEADLINE,
                    () -> discovery.getInstances("greeter").size() == 1, () -> other.services().toString());
            List<ServiceInstance> whileUp = discovery.getInstances("greeter");

            healthy.set(false);
            Await.until("greeter failing on the other member", DEADLINE,
                    () -> discovery.getInstances("greeter").isEmpty()
                            && other.services().stream().anyMatch(s -> s.health() == Health.FAILING),
                    () -> other.services().toString());
            List<ServiceInstance> whileDown = discovery.getInstances("greeter");
            List<ServiceInstance> suppliedWhileDown = supplier.get().blockFirst(Duration.ofSeconds(10));

            healthy.set(true);
            Await.until("greeter discovered again on the other member", DEADLINE,
                    () -> discovery.getInstances("greeter").size() == 1, () -> other.services().toString());
            List<ServiceInstance> suppliedWhenUpAgain = supplier.get().blockFirst(Duration.ofSeconds(10));

            assertThat(registration.getCheck()).hasToString(
                    io.seaport.HealthCheck.http("/actuator/health", Duration.ofSeconds(1)).toString());
            assertThat(whileUp).singleElement().satisfies(instance -> {
                assertThat(instance.getPort()).isEqualTo(port);
                assertThat(((SeaportServiceInstance) instance).health()).isEqualTo(Health.PASSING);
            });
            assertThat(whileDown).isEmpty();
            assertThat(suppliedWhileDown).isEmpty();
            assertThat(suppliedWhenUpAgain).singleElement().extracting(ServiceInstance::getPort).isEqualTo(port);
        }
        Await.until("greeter freed once the application closed", DEADLINE,
                () -> other.services().stream().map(Service::role).noneMatch("greeter"::equals),
                () -> other.services().toString());
    }

    @Test
    void checkNone_actuatorPresent_registersWithoutCheck() {
        LocalCluster cluster = clusters.start("ActuatorHealthTest-none", 1);
        Seaport other = cluster.member(0);
        AtomicBoolean healthy = new AtomicBoolean(false);

        try (ConfigurableApplicationContext app = greeter(cluster, healthy, "seaport.registration.check=none")) {
            Await.until("greeter registered on the other member", DEADLINE,
                    () -> other.query("greeter").size() == 1, () -> other.services().toString());

            assertThat(app.getBean(SeaportRegistration.class).getCheck()).isNull();
            assertThat(app.getBean(SeaportRegistration.class).health()).isEqualTo(Health.PASSING);
        }
    }

    private static ConfigurableApplicationContext greeter(LocalCluster cluster, AtomicBoolean healthy,
            String... extra) {
        return new SpringApplicationBuilder(Greeter.class)
                .properties("spring.application.name=greeter", "seaport.registration.version=1.0.0",
                        "seaport.registration.check-interval=1s", "seaport.registration.drain-delay=0s",
                        "server.address=127.0.0.1", "server.port=0", "spring.main.banner-mode=off",
                        "seaport.cluster=" + cluster.cluster(), "seaport.bind-port=" + cluster.basePort(),
                        "seaport.peers=127.0.0.1:" + cluster.basePort())
                .properties(extra)
                .initializers(context -> context.getBeanFactory().registerSingleton("toggledHealth",
                        (HealthIndicator) () -> healthy.get()
                                ? org.springframework.boot.health.contributor.Health.up().build()
                                : org.springframework.boot.health.contributor.Health.down().build()))
                .run();
    }

    /** A servlet application with every auto-configuration on the test class path. */
    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class Greeter {
    }
}
