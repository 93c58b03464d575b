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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.cloud.client.ServiceInstance;

/**
 * Automatic registration follows the web server: registered on its port when it is up (which
 * happens before this lifecycle starts), drained then freed when the application stops.
 */
final class AutoRegistrationTest {
    @RegisterExtension
    final LocalClusters clusters = new LocalClusters();

    @Test
    void webServerUp_beforeLifecycleStart_registersOnItsPortThenStopFrees() {
        LocalCluster cluster = clusters.start("AutoRegistrationTest-order", 1);
        Seaport other = cluster.member(0);

        Contexts.webJoining(cluster).withPropertyValues("spring.application.name=greeter",
                "seaport.registration.version=2.1", "seaport.registration.metadata.zone=a").run(context -> {
            SeaportAutoServiceRegistration auto = new SeaportAutoServiceRegistration(context,
                    context.getBean(SeaportServiceRegistry.class),
                    new SeaportRegistration("greeter", "2.1", 0, Map.of("zone", "a")), Duration.ZERO);

            auto.onApplicationEvent(new ServerUp(21031));
            Await.until("greeter registered", () -> other.query("greeter@^2").size() == 1,
                    () -> other.services().toString());
            List<Service> registered = other.query("greeter@^2");
            auto.start();
            auto.stop();
            Await.until("greeter freed", () -> other.query("greeter").isEmpty(), () -> other.services().toString());
            auto.onApplicationEvent(new ServerUp(21032));

            assertThat(registered).singleElement().satisfies(s -> {
                assertThat(s.port()).isEqualTo(21031);
                assertThat(s.version()).isEqualTo("2.1.0");
                assertThat(s.metadata()).containsEntry("zone", "a");
            });
            assertThat(auto.isRunning()).isFalse();
            assertThat(context.getBean(Seaport.class).query("greeter")).isEmpty();
        });
    }

    @Test
    void contextClose_registeredByAutoConfiguration_freesOnOtherMembers() {
        LocalCluster cluster = clusters.start("AutoRegistrationTest-close", 1);
        Seaport other = cluster.member(0);

        Contexts.webJoining(cluster).withPropertyValues("spring.application.name=greeter",
                "seaport.registration.version=1.0.0", "seaport.registration.drain-delay=0s").run(context -> {
            context.publishEvent(new ServerUp(21033));
            Await.until("greeter registered", () -> other.query("greeter").size() == 1,
                    () -> other.services().toString());

            context.close();

            Await.until("greeter freed once the context closed", () -> other.query("greeter").isEmpty(),
                    () -> other.services().toString());
        });
    }

    @Test
    void stop_registered_drainsForTheDelayThenFrees() throws Exception {
        LocalCluster cluster = clusters.start("AutoRegistrationTest-drain", 1);
        Seaport other = cluster.member(0);
        SeaportDiscoveryClient discovery = new SeaportDiscoveryClient(other, new ServiceRanges(Map.of()));

        // A drain delay far longer than the test: the drain is ended by interrupting the stopping
        // thread, which frees at once, so nothing here waits for time to pass.
        Contexts.webJoining(cluster).withPropertyValues("spring.application.name=greeter",
                "seaport.registration.version=1.0.0", "seaport.registration.check=none",
                "seaport.registration.drain-delay=10m").run(context -> {
            SeaportAutoServiceRegistration auto = context.getBean(SeaportAutoServiceRegistration.class);
            context.publishEvent(new ServerUp(21034));
            Await.until("greeter discovered", () -> discovery.getInstances("greeter").size() == 1,
                    () -> other.services().toString());

            Thread stopping = new Thread(auto::stop, "AutoRegistrationTest-stop");
            stopping.start();
            Await.until("greeter draining on the other member",
                    () -> other.services().stream().anyMatch(s -> s.health() == Health.DRAINING),
                    () -> other.services().toString());
            List<ServiceInstance> whileDraining = discovery.getInstances("greeter");
            List<Service> registeredWhileDraining = other.services();
            boolean stillStopping = stopping.isAlive();
            stopping.interrupt();
            stopping.join(Duration.ofSeconds(30).toMillis());
            Await.until("greeter freed after the drain", () -> other.services().isEmpty(),
                    () -> other.services().toString());

            assertThat(whileDraining).isEmpty();
            assertThat(registeredWhileDraining).singleElement().extracting(Service::port).isEqualTo(21034);
            assertThat(stillStopping).as("stop() waits out the drain delay").isTrue();
            assertThat(stopping.isAlive()).isFalse();
        });
    }

    /** What a web server publishes once it listens; only its port matters here. */
    private static final class ServerUp extends WebServerInitializedEvent {
        private static final long serialVersionUID = 1L;

        ServerUp(int port) {
            super(new FixedPortServer(port));
        }

        @Override
        public WebServerApplicationContext getApplicationContext() {
            return null;
        }
    }

    private record FixedPortServer(int getPort) implements WebServer {
        @Override
        public void start() {
        }

        @Override
        public void stop() {
        }
    }
}
