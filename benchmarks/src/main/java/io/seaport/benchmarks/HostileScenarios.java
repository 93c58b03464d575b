package io.seaport.benchmarks;

import io.seaport.testkit.TestKeys;
import io.seaport.testkit.HostileClient;
import io.seaport.testkit.JavaProcess;
import io.seaport.testkit.TestPorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Returns the hostile-network figures (issue 12). One TLS member (the victim, a JVM of its own);
 * a {@link HostileClient} JVM keeps 1,000 connections of one kind to the victim's transport port
 * (idle, trickling a TLS header, garbage, an oversize TLS record header; the victim closes
 * garbage and oversize ones at once and the client reopens them, up to 20,000 opens); meanwhile
 * a key holder in a fresh JVM ({@link TlsBenchMember}) times its own {@code join()}, checks that
 * its replica holds the victim's service right after, and registers; the harness waits for that
 * registration to reach the victim. Beside it: the same join with no hostile client. The victim's
 * heap (used after GC) plus direct buffers are taken before and during each attack; its threads
 * and sockets before, and again once the hostile client has left. Also kill -9 of a member to its
 * services gone at the other: with TLS (the transport suspects a closed connection) and without
 * (FD_SOCK2's side socket).
 *
 * <p>Run alone with {@code benchmarks/run --only hostile} (add {@code --quick} for fewer samples).
 * Everything binds to and connects to 127.0.0.1 only.
 */
final class HostileScenarios {
    private static final Logger LOG = LoggerFactory.getLogger(HostileScenarios.class);
    static final String SECTION = "hostile network (TLS)";
    private static final int CONNECTIONS = 1_000;
    private static final List<String> KINDS = List.of("idle", "trickle", "garbage", "oversize");
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final double MIB = 1024.0 * 1024.0;

    private final boolean quick;
    private final List<Figure> figures = new ArrayList<>();

    HostileScenarios(boolean quick) {
        this.quick = quick;
    }

    /** Returns the figures of every scenario. */
    List<Figure> run() {
        Path dir;
        try {
            dir = Files.createTempDirectory("seaport-bench-hostile");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path key = new TestKeys(dir).selfSigned("bench-hostile");
        Map<String, String> tls = Map.of("seaport.tls.keystore", key.toString(), "seaport.tls.password",
                TestKeys.PASSWORD);
        joinsUnderAttack(tls);
        killDetection("TLS (transport suspects the closed connection)", tls);
        killDetection("plaintext (FD_SOCK2 side socket)", Map.of());
        return figures;
    }

    private void joinsUnderAttack(Map<String, String> tls) {
        String cluster = BenchClusters.name("bench-hostile");
        int base = TestPorts.clusterBasePort();
        int joins = quick ? 2 : 4;
        try (JavaProcess victim = member("victim", tls)) {
            join(victim, cluster, base, "victim");
            victim.send("register victim 8080");
            victim.awaitLine("registered", WAIT);
            long[] start = memory(victim);
            List<Double> plain = new ArrayList<>();
            int[] complete = new int[2];
            for (int i = 0; i < joins + 1; i++) {
                double ms = keyHolderJoin(victim, cluster, base, tls, "calm" + i, complete);
                if (i > 0) { // the first join also warms the victim's side of the handshake
                    plain.add(ms);
                }
            }
            long[] calm = settled(victim, start);
            figures.add(Figure.of(SECTION, "key holder join(), fresh JVM, no hostile client", "ms", plain,
                    "complete map and registration seen by the victim in " + complete[0] + "/" + complete[1]
                            + " joins; the victim's sockets after these joins minus before: " + (calm[3] - start[3])
                            + " (" + sockets(victim) + ")"));
            for (String kind : KINDS) {
                underAttack(victim, cluster, base, tls, kind, joins, settled(victim, calm));
            }
        }
    }

    private void underAttack(JavaProcess victim, String cluster, int base, Map<String, String> tls, String kind,
            int joins, long[] before) {
        LOG.info("hostile: {} x {} against the victim ...", CONNECTIONS, kind);
        List<Double> times = new ArrayList<>();
        int[] complete = new int[2];
        long[] during;
        String hostileStatus;
        try (JavaProcess hostile = JavaProcess.builder(HostileClient.class).name("hostile-" + kind)
                .args("--port", String.valueOf(base), "--kind", kind, "--count", String.valueOf(CONNECTIONS),
                        "--seconds", "600", "--max-opens", String.valueOf(20 * CONNECTIONS)).start()) {
            hostile.awaitLine("started .*", WAIT);
            for (int i = 0; i < joins; i++) {
                times.add(keyHolderJoin(victim, cluster, base, tls, kind + i, complete));
            }
            during = memory(victim);
            hostileStatus = last(hostile, "status ");
            hostile.send("stop");
            hostile.awaitExit(WAIT);
        }
        double growth = ((during[0] + during[1]) - (before[0] + before[1])) / MIB;
        long[] after = settled(victim, before);
        figures.add(Figure.atMost(SECTION, "key holder join() with " + CONNECTIONS + " " + kind + " connections",
                "ms", times, 2_000, "complete map and registration seen by the victim in " + complete[0] + "/"
                        + complete[1] + " joins; hostile client at the end: " + hostileStatus));
        figures.add(Figure.atMost(SECTION, "victim heap + direct growth, " + kind, "MiB", List.of(growth), 64,
                "heap used after GC + direct buffers, during the attack minus before it (" + Report.num(during[0] / MIB)
                        + " + " + Report.num(during[1] / MIB) + " MiB during)"));
        figures.add(Figure.atMost(SECTION, "victim threads / sockets left after the " + kind + " client left",
                "count", List.of((double) (after[2] - before[2]), (double) (after[3] - before[3])), 0,
                "samples: extra threads, extra sockets, 30 s after the client exited at most, against just before "
                        + "it started (before: " + before[2] + " threads, " + before[3] + " sockets; after: "
                        + sockets(victim) + ")"));
    }

    /** Starts a fresh key holder JVM, joins, registers; returns join()'s ms and counts completeness in {@code complete}. */
    private double keyHolderJoin(JavaProcess victim, String cluster, int base, Map<String, String> tls, String name,
            int[] complete) {
        try (JavaProcess joiner = member("joiner-" + name, tls)) {
            String[] joined = join(joiner, cluster, base, "victim");
            String role = "joiner-" + name;
            joiner.send("register " + role + " 9090");
            joiner.awaitLine("registered", WAIT);
            boolean reached = awaitCount(victim, role, 1, Duration.ofSeconds(30));
            complete[1]++;
            if (joined[2].equals("1") && reached) {
                complete[0]++;
            }
            joiner.send("exit");
            joiner.awaitExit(WAIT);
            return Long.parseLong(joined[1]) / 1_000.0;
        }
    }

    private void killDetection(String label, Map<String, String> settings) {
        String cluster = BenchClusters.name("bench-hostile-kill");
        int base = TestPorts.clusterBasePort();
        List<Double> samples = new ArrayList<>();
        try (JavaProcess survivor = member("survivor", settings)) {
            join(survivor, cluster, base, "doomed");
            survivor.send("watch-gone doomed");
            survivor.awaitLine("watching", WAIT);
            for (int i = 0; i < (quick ? 3 : 6); i++) {
                try (JavaProcess doomed = member("doomed" + i, settings)) {
                    join(doomed, cluster, base, "doomed");
                    doomed.send("register doomed 7070");
                    doomed.awaitLine("registered", WAIT);
                    if (!awaitCount(survivor, "doomed", 1, WAIT)) {
                        LOG.warn("hostile: the survivor never saw doomed{}'s service", i);
                        continue;
                    }
                    long killed = Micros.now();
                    doomed.kill();
                    String gone = survivor.awaitLine("gone \\d+", WAIT);
                    samples.add((Long.parseLong(gone.split(" ")[1]) - killed) / 1_000.0);
                }
            }
        }
        figures.add(Figure.of(SECTION, "kill -9 -> its service gone at the other member, " + label, "ms", samples,
                "harness stamps before SIGKILL, the survivor's watch stamps when the role is empty; VERIFY_SUSPECT2 "
                        + "0.5 s follows the suspicion"));
    }

    private static JavaProcess member(String name, Map<String, String> settings) {
        JavaProcess.Builder builder = JavaProcess.builder(TlsBenchMember.class).name(name);
        settings.forEach(builder::systemProperty);
        return builder.start();
    }

    /** Sends {@code join} and returns the answer's words: joined MICROS COUNT. */
    private static String[] join(JavaProcess member, String cluster, int base, String role) {
        member.send("join " + cluster + " " + base + " " + role);
        return member.awaitLine("joined \\d+ \\d+", WAIT).split(" ");
    }

    private static boolean awaitCount(JavaProcess member, String role, int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() - deadline < 0) {
            member.send("count " + role);
            if (member.awaitLine("count \\d+", WAIT).equals("count " + count)) {
                return true;
            }
            pause(50);
        }
        return false;
    }

    /** Returns {@code member}'s TCP sockets by state. */
    private static String sockets(JavaProcess member) {
        member.send("sockets");
        return member.awaitLine("sockets.*", WAIT).substring("sockets".length()).trim();
    }

    /** Returns heap, direct, threads, sockets of {@code member}. */
    private static long[] memory(JavaProcess member) {
        member.send("memory");
        String[] w = member.awaitLine("memory \\d+ \\d+ \\d+ \\d+", WAIT).split(" ");
        return new long[] {Long.parseLong(w[1]), Long.parseLong(w[2]), Long.parseLong(w[3]), Long.parseLong(w[4])};
    }

    /** Returns the victim's figures once its threads and sockets are back to {@code before}, or after 30 s. */
    private static long[] settled(JavaProcess victim, long[] before) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long[] now = memory(victim);
        while ((now[2] > before[2] || now[3] > before[3]) && System.nanoTime() - deadline < 0) {
            pause(1_000);
            now = memory(victim);
        }
        return now;
    }

    private static String last(JavaProcess process, String prefix) {
        List<String> lines = process.stdout();
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (lines.get(i).startsWith(prefix)) {
                return lines.get(i).substring(prefix.length());
            }
        }
        return "?";
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis); // a polling interval of the harness, not a wait for a condition
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
