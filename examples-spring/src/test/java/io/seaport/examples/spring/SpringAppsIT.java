package io.seaport.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.seaport.Health;
import io.seaport.Seaport;
import io.seaport.ServiceEvent;
import io.seaport.examples.spring.caller.CallerApplication;
import io.seaport.examples.spring.greeter.GreeterApplication;
import io.seaport.testkit.Await;
import io.seaport.testkit.JavaProcess;
import io.seaport.testkit.JavaProcesses;
import io.seaport.testkit.TestPorts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The greeter and the caller as real Spring Boot applications in JVMs of their own, on random
 * loopback ports, in a cluster of their own: the caller reaches greeters by service name only,
 * stops using one that is killed, and stops routing to one that drains on SIGTERM while it still
 * serves, losing no call.
 */
final class SpringAppsIT {
    /** Generous: four Spring Boot JVMs start at once, and a loaded 2-core machine took 90 s for one. */
    private static final Duration START = Duration.ofMinutes(4);
    private static final Pattern REGISTERED = Pattern.compile("registered (\\S+) at 127\\.0\\.0\\.1:(\\d+)");

    @RegisterExtension
    final JavaProcesses processes = new JavaProcesses();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String cluster = "SpringAppsIT-" + Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36);
    private final int basePort = TestPorts.clusterBasePort();

    @Test
    void caller_greetersKilledAndDrained_reachesLiveGreetersByNameOnly() throws Exception {
        try (Seaport observer = Seaport.builder().cluster(cluster).bindPort(basePort)
                .peers("127.0.0.1:" + basePort).join()) {
            List<ServiceEvent> events = new CopyOnWriteArrayList<>();
            observer.watch("greeter", events::add);
            processes.onFailure(() -> "greeter events seen by the test's member: " + events);
            JavaProcess a = start(GreeterApplication.class, "greeter-a", "--greeter.name=a");
            JavaProcess b = start(GreeterApplication.class, "greeter-b", "--greeter.name=b");
            // c drains for 8 s rather than the default 1 s, so that on a loaded machine the test
            // still has time to call it directly while it drains.
            JavaProcess c = start(GreeterApplication.class, "greeter-c", "--greeter.name=c",
                    "--seaport.registration.drain-delay=8s");
            JavaProcess caller = start(CallerApplication.class, "caller");
            registeredPort(a, "greeter@1.0.0");
            registeredPort(b, "greeter@1.0.0");
            int cPort = registeredPort(c, "greeter@1.0.0");
            int callerPort = registeredPort(caller, "caller@1.0.0");
            URI call = URI.create("http://127.0.0.1:" + callerPort + "/call");

            List<String> firstAnswers = new ArrayList<>();
            Await.until("the caller has reached each greeter by name", START, () -> {
                firstAnswers.add(get(call).body());
                return firstAnswers.containsAll(List.of("hello from a", "hello from b", "hello from c"));
            }, () -> "answers so far: " + firstAnswers);

            a.kill();
            Await.until("ten calls in a row answered by live greeters only", Duration.ofSeconds(60),
                    () -> tenCallsAnsweredBy(call, List.of("hello from b", "hello from c")),
                    () -> processes.tails(20));

            c.terminate();
            Await.until("the test's member sees c draining", Duration.ofSeconds(60),
                    () -> events.stream().anyMatch(e -> e instanceof ServiceEvent.HealthChanged h
                            && h.service().port() == cPort && h.service().health() == Health.DRAINING),
                    () -> "events: " + events);
            HttpResponse<String> cWhileDraining = get(URI.create("http://127.0.0.1:" + cPort + "/hello"));
            List<HttpResponse<String>> untilCallerSawDrain = new ArrayList<>();
            URI callerHealth = URI.create("http://127.0.0.1:" + callerPort + "/actuator/health");
            Await.until("the caller's member sees c draining", Duration.ofSeconds(60), () -> {
                untilCallerSawDrain.add(get(call));
                return get(callerHealth).body().contains("\"draining\":1");
            }, () -> "caller's health: " + get(callerHealth).body());
            List<HttpResponse<String>> duringDrain = new ArrayList<>();
            while (c.isAlive() && duringDrain.size() < 2_000) {
                duringDrain.add(get(call));
            }
            int cExit = c.awaitExit(Duration.ofSeconds(60));
            List<String> afterDrain = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                afterDrain.add(get(call).body());
            }
            String health = get(URI.create("http://127.0.0.1:" + callerPort + "/actuator/health")).body();

            assertThat(cWhileDraining.statusCode()).as("c still serves while it drains").isEqualTo(200);
            assertThat(cWhileDraining.body()).isEqualTo("hello from c");
            assertThat(untilCallerSawDrain).allSatisfy(response -> assertThat(response.statusCode())
                    .as("a call before the caller saw c draining: %s", response.body()).isEqualTo(200));
            assertThat(duringDrain).as("calls routed once the caller saw c draining").isNotEmpty()
                    .allSatisfy(response -> {
                        assertThat(response.statusCode()).as("a call while c drained: %s", response.body())
                                .isEqualTo(200);
                        assertThat(response.body()).isEqualTo("hello from b");
                    });
            assertThat(cExit).isEqualTo(143);
            assertThat(events).as("c freed its registration itself rather than leaving with its member")
                    .anySatisfy(event -> assertThat(event).isEqualTo(
                            new ServiceEvent.Freed(event.service(), ServiceEvent.Reason.FREED))
                            .extracting(e -> e.service().port()).isEqualTo(cPort));
            assertThat(afterDrain).containsOnly("hello from b");
            assertThat(health).contains("\"seaport\"", "\"cluster\":\"" + cluster + "\"", "\"servicesHeld\":1");
        }
    }

    private JavaProcess start(Class<?> application, String name, String... extraArgs) {
        List<String> args = new ArrayList<>(List.of(
                "--seaport.cluster=" + cluster,
                "--seaport.bind-port=" + basePort,
                "--seaport.peers=127.0.0.1:" + basePort,
                "--spring.main.banner-mode=off"));
        args.addAll(List.of(extraArgs));
        return processes.start(JavaProcess.builder(application).name(name).args(args));
    }

    private static int registeredPort(JavaProcess process, String role) {
        String line = process.awaitLine(".*registered " + Pattern.quote(role) + " at .*", START);
        Matcher matcher = REGISTERED.matcher(line);
        assertThat(matcher.find()).as("registration line: %s", line).isTrue();
        return Integer.parseInt(matcher.group(2));
    }

    private boolean tenCallsAnsweredBy(URI call, List<String> allowed) {
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> response = get(call);
            if (response.statusCode() != 200 || !allowed.contains(response.body())) {
                return false;
            }
        }
        return true;
    }

    private HttpResponse<String> get(URI uri) {
        try {
            return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("GET " + uri + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
