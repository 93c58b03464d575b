package io.seaport.examples.versions;

import io.seaport.Registration;
import io.seaport.Seaport;
import io.seaport.Service;
import io.seaport.ServiceEvent;
import io.seaport.Subscription;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Several versions of one role, resolved by npm ranges, with a watch that prints each service as
 * it comes and goes.
 *
 * <p>Run (cluster name optional, default {@code versions}):
 * <pre>{@code java -cp "$(cat examples/target/seaport.classpath):examples/target/classes" \
 *     io.seaport.examples.versions.VersionsExample versions}</pre>
 */
public final class VersionsExample {
    private VersionsExample() {
    }

    /**
     * Registers {@code api} 1.0.0, 1.2.5, 1.3.0-beta.1, 2.0.0 and 2.1.0, queries ranges, then frees
     * them one by one while a watch prints the events.
     *
     * @param args an optional cluster name
     * @throws InterruptedException if interrupted while waiting for the events
     */
    public static void main(String[] args) throws InterruptedException {
        String cluster = args.length > 0 ? args[0] : "versions";
        try (Seaport seaport = Seaport.join(cluster)) {
            // Every api service, as it comes and goes: first those present now, then changes.
            CountDownLatch freed = new CountDownLatch(5);
            Subscription watch = seaport.watch("api", event -> {
                System.out.println(describe(event));
                if (event instanceof ServiceEvent.Freed) {
                    freed.countDown();
                }
            });

            // register() publishes a port that something already listens on; here the ports are
            // only illustrative, nobody connects to them.
            List<Registration> registrations = List.of(
                    seaport.register("api@1.0.0", 9100),
                    seaport.register("api@1.2.5", 9101, Map.of("zone", "a")),
                    seaport.register("api@1.3.0-beta.1", 9102),
                    seaport.register("api@2.0.0", 9103),
                    seaport.register("api@2.1", 9104)); // loose versions are coerced: 2.1.0

            for (String range : List.of("api@1.x", "api@^1.2", "api@>=2", "api@~1.2.0", "api@1.3.0-beta.1", "api")) {
                System.out.println("query " + range + " -> " + versions(seaport.query(range)));
            }

            for (Registration registration : registrations) {
                registration.close(); // every member, this one's watch included, sees it freed
            }
            // Events arrive on a Seaport thread: wait until the last free has been printed.
            if (!freed.await(30, TimeUnit.SECONDS)) {
                System.out.println("watch: not every free was seen within 30 s");
            }
            watch.close();
        }
    }

    private static String describe(ServiceEvent event) {
        String what = event instanceof ServiceEvent.Freed ? "freed     "
                : event instanceof ServiceEvent.HealthChanged ? "health    " : "registered";
        Service service = event.service();
        return "watch: " + what + " " + service.roleAtVersion() + " at " + service.address()
                + (service.metadata().isEmpty() ? "" : " " + service.metadata());
    }

    private static String versions(List<Service> services) {
        return services.stream().map(Service::version).collect(Collectors.joining(", ", "[", "]"));
    }
}
