package io.seaport.benchmarks;

import io.seaport.Health;
import io.seaport.HealthCheck;
import io.seaport.Registration;
import io.seaport.Seaport;
import io.seaport.ServiceEvent;
import io.seaport.Subscription;
import io.seaport.testkit.Await;
import io.seaport.testkit.LocalCluster;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Health: how fast a failing check and a drain reach every member, and what checks cost. Three
 * members in this JVM on 127.0.0.1 (one owner, two observers), a backend HTTP server in this JVM
 * whose {@code /health} can be turned down. Every loop is bounded in count and time.
 * <pre>
 * benchmarks/run --only health [--quick]      # figures into BENCHMARKS.md's notes
 * java -cp "$(benchmarks/run --build-only)" io.seaport.benchmarks.HealthScenarios [--quick]
 * </pre>
 * <ol>
 * <li>failing: {@code HealthCheck.http("/health", 200 ms)}, default thresholds (2 failures); the
 *     endpoint turns down at a random phase of the probe cycle; measured from the flip to the
 *     {@code HealthChanged(FAILING)} event on each observer, i.e. until it leaves {@code query}
 *     there.</li>
 * <li>draining: {@code health(DRAINING)} on the owner to the event on each observer, next to
 *     {@code register} to its {@code Registered} event, alternating.</li>
 * <li>cost: 1,000 registrations with {@code HealthCheck.tcp(1 s)} against a listening socket;
 *     CPU time of the {@code seaport-health-*} threads (and of the whole JVM) over a window.</li>
 * </ol>
 */
public final class HealthScenarios {
    private HealthScenarios() {
    }

    /**
     * Runs the three scenarios and prints their figures.
     *
     * @param args {@code --quick} for fewer rounds
     * @throws Exception if the cluster cannot start
     */
    public static void main(String[] args) throws Exception {
        run(List.of(args).contains("--quick")).forEach(System.out::println);
    }

    /**
     * Runs the three scenarios and returns one line of figures per measurement.
     *
     * @param quick fewer rounds and a shorter window
     * @return the figures, one line each
     * @throws Exception if the cluster cannot start or a round times out
     */
    static List<String> run(boolean quick) throws Exception {
        List<String> lines = new ArrayList<>();
        try (LocalCluster cluster = LocalCluster.start("bench-health", 3);
             HealthServer backend = new HealthServer()) {
            failing(cluster, backend, quick ? 10 : 30, lines);
            draining(cluster, quick ? 30 : 100, lines);
            cost(cluster.member(0), backend, quick ? Duration.ofSeconds(10) : Duration.ofSeconds(30), lines);
        }
        return lines;
    }

    private static void failing(LocalCluster cluster, HealthServer backend, int rounds, List<String> lines)
            throws Exception {
        Duration interval = Duration.ofMillis(200);
        Registration registration = cluster.member(0).register("bench-web@1.0.0", backend.port())
                .check(HealthCheck.http("/health", interval));
        EventTimes times = new EventTimes(cluster, "bench-web");
        List<Double> millis = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        for (int round = 0; round < rounds && System.nanoTime() < deadline; round++) {
            Thread.sleep(ThreadLocalRandom.current().nextLong(interval.toMillis())); // a random phase
            times.clear();
            long flipped = System.nanoTime();
            backend.healthy.set(false);
            List<Long> seen = times.await(Health.FAILING, Duration.ofSeconds(10));
            seen.forEach(at -> millis.add((at - flipped) / 1e6));
            backend.healthy.set(true);
            times.clear();
            times.await(Health.PASSING, Duration.ofSeconds(10));
        }
        times.close();
        registration.close();
        lines.add(summary("failing HTTP check (200 ms interval, 2 failures) to HealthChanged(FAILING) on each "
                + "observer, ms", millis));
    }

    private static void draining(LocalCluster cluster, int rounds, List<String> lines) throws Exception {
        EventTimes times = new EventTimes(cluster, "bench-drain");
        List<Double> drain = new ArrayList<>();
        List<Double> register = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        for (int round = 0; round < rounds && System.nanoTime() < deadline; round++) {
            times.clear();
            long start = System.nanoTime();
            Registration registration = cluster.member(0).register("bench-drain@1.0.0", 20000 + round);
            times.awaitRegistered(Duration.ofSeconds(10)).forEach(at -> register.add((at - start) / 1e6));
            times.clear();
            long drained = System.nanoTime();
            registration.health(Health.DRAINING);
            times.await(Health.DRAINING, Duration.ofSeconds(10)).forEach(at -> drain.add((at - drained) / 1e6));
            registration.close();
        }
        times.close();
        lines.add(summary("health(DRAINING) to HealthChanged on each observer, ms", drain));
        lines.add(summary("register() to Registered on each observer (same run, for comparison), ms", register));
    }

    private static void cost(Seaport seaport, HealthServer backend, Duration window, List<String> lines)
            throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        List<Registration> registrations = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            registrations.add(seaport.register("bench-checked-" + i + "@1.0.0", backend.port())
                    .check(HealthCheck.tcp(Duration.ofSeconds(1))));
        }
        // Let the checks settle into their rhythm: two probes per check accepted after the last one started.
        long settled = backend.accepted.get() + 2L * registrations.size();
        Await.until("two rounds of TCP probes", Duration.ofSeconds(60), () -> backend.accepted.get() >= settled,
                () -> backend.accepted.get() + " of " + settled + " probes accepted");
        long healthBefore = healthCpu(threads);
        long processBefore = processCpu();
        long acceptsBefore = backend.accepted.get();
        long start = System.nanoTime();
        Thread.sleep(window.toMillis());
        long elapsed = System.nanoTime() - start;
        long health = healthCpu(threads) - healthBefore;
        long process = processCpu() - processBefore;
        long probes = backend.accepted.get() - acceptsBefore;
        long failing = registrations.stream().filter(r -> r.health() != Health.PASSING).count();
        registrations.forEach(Registration::close);
        lines.add(String.format(Locale.ROOT, "1,000 TCP checks at 1 s: %d probes in %.1f s; health threads %.2f%% "
                        + "of one core, whole JVM (3 members, backend, this harness) %.2f%%; %d not passing",
                probes, elapsed / 1e9, 100.0 * health / elapsed, 100.0 * process / elapsed, failing));
    }

    private static long healthCpu(ThreadMXBean threads) {
        long total = 0;
        for (ThreadInfo info : threads.dumpAllThreads(false, false)) {
            if (info.getThreadName().startsWith("seaport-health-")) {
                long cpu = threads.getThreadCpuTime(info.getThreadId());
                total += Math.max(0, cpu);
            }
        }
        return total;
    }

    private static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static String summary(String what, List<Double> millis) {
        if (millis.isEmpty()) {
            return what + ": no samples";
        }
        List<Double> sorted = new ArrayList<>(millis);
        sorted.sort(null);
        return String.format(Locale.ROOT, "%s: n=%d median %.1f, p90 %.1f, max %.1f, min %.1f", what, sorted.size(),
                sorted.get(sorted.size() / 2), sorted.get((int) (sorted.size() * 0.9)),
                sorted.get(sorted.size() - 1), sorted.get(0));
    }

    /** The times at which the observers (members 1 and 2) saw events of one role. */
    private static final class EventTimes implements AutoCloseable {
        private final List<Subscription> subscriptions = new ArrayList<>();
        private final Map<Integer, Long> health = new ConcurrentHashMap<>();
        private final Map<Integer, Long> registered = new ConcurrentHashMap<>();
        private final Map<Integer, Health> healthSeen = new ConcurrentHashMap<>();

        EventTimes(LocalCluster cluster, String role) {
            for (int i = 1; i <= 2; i++) {
                int observer = i;
                subscriptions.add(cluster.member(i).watch(role, event -> {
                    long now = System.nanoTime();
                    if (event instanceof ServiceEvent.HealthChanged) {
                        healthSeen.put(observer, event.service().health());
                        health.put(observer, now);
                    } else if (event instanceof ServiceEvent.Registered) {
                        registered.put(observer, now);
                    }
                }));
            }
        }

        void clear() {
            health.clear();
            registered.clear();
            healthSeen.clear();
        }

        // The observers' listeners stamp the times; how often this polls does not change them.
        List<Long> await(Health expected, Duration timeout) {
            Await.until("both observers see " + expected, timeout,
                    () -> healthSeen.get(1) == expected && healthSeen.get(2) == expected, healthSeen::toString);
            return List.of(health.get(1), health.get(2));
        }

        List<Long> awaitRegistered(Duration timeout) {
            Await.until("both observers see the registration", timeout, () -> registered.size() >= 2,
                    registered::toString);
            return List.of(registered.get(1), registered.get(2));
        }

        @Override
        public void close() {
            subscriptions.forEach(Subscription::close);
        }
    }

    /** A loopback HTTP server answering {@code /health} with 200 or 503 as {@link #healthy} says. */
    private static final class HealthServer implements AutoCloseable {
        final AtomicBoolean healthy = new AtomicBoolean(true);
        final java.util.concurrent.atomic.AtomicLong accepted = new java.util.concurrent.atomic.AtomicLong();
        private final ServerSocket server = new ServerSocket();
        private final Thread acceptor;

        HealthServer() throws IOException {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1000);
            acceptor = new Thread(this::accept, "bench-health-server");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return server.getLocalPort();
        }

        private void accept() {
            while (!server.isClosed()) {
                try (Socket socket = server.accept()) {
                    accepted.incrementAndGet();
                    socket.setSoTimeout(1000);
                    // A TCP probe sends nothing and closes; an HTTP probe sends its request at once.
                    byte[] request = new byte[512];
                    int read = socket.getInputStream().read(request);
                    if (read > 0) {
                        String status = healthy.get() ? "200 OK" : "503 Service Unavailable";
                        OutputStream out = socket.getOutputStream();
                        out.write(("HTTP/1.1 " + status + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                                .getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                    }
                } catch (IOException e) {
                    if (server.isClosed()) {
                        return;
                    }
                }
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
