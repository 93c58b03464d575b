package io.seaport.benchmarks;

import io.seaport.Registration;
import io.seaport.Seaport;
import io.seaport.ServiceEvent;
import io.seaport.Subscription;
import io.seaport.proxy.SeaportProxy;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A member JVM driven by line commands on stdin, answering on stdout; timestamps are wall-clock
 * microseconds ({@link Micros}) taken in this JVM where the thing happened, so that pipe latency
 * never enters a figure.
 *
 * <p>Each command is {@code <id> <verb> <args...>} and is answered by {@code <id> ok <values...>}
 * or {@code <id> err <message>}. Asynchronous lines: {@code <id> reached <micros>} when an
 * {@code expect} is met, {@code ev <role> <micros>} for each Registered event of a {@code watch}.
 * Started with {@code --cold <cluster> <basePort> <range>}, it joins at once and prints
 * {@code cold <joinedMicros> <firstQueryMicros>} (the harness took the time before starting it).
 * Verbs include {@code register <pattern> <count> <threads> [spread]} (blocking calls),
 * {@code registerAsync <pattern> <count> [spread]} (pipelined from one thread), and the joins
 * {@code djoin <cluster>} (default discovery on 127.0.0.1) and
 * {@code pjoin <cluster> <bindAddress> <bindPort> <peer,peer,...>} (explicit peers, as across hosts).
 * Launched by {@link MemberHandle}; not meant to be run by hand.
 */
public final class BenchMember {
    private static final Logger LOG = LoggerFactory.getLogger(BenchMember.class);
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(120);

    private final PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    private Seaport seaport;
    private final List<Registration> bulk = new CopyOnWriteArrayList<>();
    private final Map<String, Registration> probes = new HashMap<>();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final List<Subscription> subscriptions = new ArrayList<>();
    private final List<SeaportProxy> proxies = new ArrayList<>();

    private BenchMember() {
    }

    /**
     * Runs the member until {@code exit} or the end of stdin.
     *
     * @param args empty, or {@code --cold <cluster> <basePort> <range>}
     * @throws IOException if stdin cannot be read
     */
    public static void main(String[] args) throws IOException {
        BenchMember member = new BenchMember();
        if (args.length == 4 && "--cold".equals(args[0])) {
            member.seaport = BenchClusters.builder(args[1], Integer.parseInt(args[2])).join();
            long joined = Micros.now();
            // "-": the first member alone has nothing to find; its first query is an empty answer.
            long queried = "-".equals(args[3]) ? firstQuery(member.seaport) : awaitCount(member.seaport, args[3], 1);
            member.print("cold " + joined + " " + queried);
        }
        member.print("ready " + Micros.now());
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            String[] words = line.trim().split(" ");
            if (words.length < 2) {
                continue;
            }
            try {
                String answer = member.run(words);
                member.print(words[0] + " ok" + (answer.isEmpty() ? "" : " " + answer));
                if ("exit".equals(words[1])) {
                    break;
                }
            } catch (Exception e) {
                LOG.error("command '{}' failed", line, e);
                member.print(words[0] + " err " + e.toString().replace('\n', ' '));
            }
        }
        member.shutdown();
        System.exit(0);
    }

    synchronized void print(String line) {
        out.println(line);
        out.flush();
    }

    private String run(String[] w) throws Exception {
        String id = w[0];
        switch (w[1]) {
            case "join":
                return timedJoin(BenchClusters.builder(w[2], Integer.parseInt(w[3])));
            case "djoin":
                return timedJoin(defaultBuilder(w[2]));
            case "djoin2":
                return warmJoin(defaultBuilder(w[2]), w[3], Integer.parseInt(w[4]));
            case "pjoin":
                return timedJoin(peersBuilder(w[2], w[3], w[4], w[5]));
            case "pjoin2":
                return warmJoin(peersBuilder(w[2], w[3], w[4], w[5]), w[6], Integer.parseInt(w[7]));
            case "register": {
                return register(w[2], Integer.parseInt(w[3]), Integer.parseInt(w[4]), spread(w, 5));
            }
            case "registerAsync": {
                return registerAsync(w[2], Integer.parseInt(w[3]), spread(w, 4));
            }
            case "probe": {
                Registration registration = seaport.register(w[2], 40_000);
                long after = Micros.now();
                probes.put(w[2], registration);
                return Long.toString(after);
            }
            case "registerAt": {
                bulk.add(seaport.register(w[2], Integer.parseInt(w[3])));
                return "";
            }
            case "unprobe": {
                probes.remove(w[2]).close();
                return "";
            }
            case "freeall": {
                for (Registration registration : bulk) {
                    registration.close();
                }
                bulk.clear();
                return "";
            }
            case "watch": {
                subscriptions.add(seaport.watch(w[2], event -> {
                    if (event instanceof ServiceEvent.Registered) {
                        long at = Micros.now();
                        print("ev " + event.service().role() + " " + at);
                    }
                }));
                return "";
            }
            case "expect": {
                counter(w[2], spread(w, 4)).arm(id, Integer.parseInt(w[3]));
                return "armed";
            }
            case "count": {
                int total = 0;
                for (String range : spreadNames(w[2], spread(w, 3))) {
                    total += seaport.query(range).size();
                }
                return Integer.toString(total);
            }
            case "heap":
                return Long.toString(usedHeapAfterGc());
            case "join2":
                return warmJoin(BenchClusters.builder(w[2], Integer.parseInt(w[3])), w[4], Integer.parseInt(w[5]));
            case "proxy": {
                SeaportProxy proxy = SeaportProxy.forward(seaport, w[2], 0);
                proxies.add(proxy);
                return Integer.toString(proxy.port());
            }
            case "close":
                shutdown();
                return "";
            case "exit":
                return "";
            default:
                throw new IllegalArgumentException("unknown command '" + w[1] + "'");
        }
    }

    private static int spread(String[] words, int index) {
        return words.length > index ? Integer.parseInt(words[index]) : 1;
    }

    /**
     * Returns the texts {@code pattern} stands for: itself when {@code spread} is 1, else the
     * pattern with its {@code *} replaced by 0 .. spread-1 (services spread over that many roles).
     */
    static List<String> spreadNames(String pattern, int spread) {
        if (spread <= 1) {
            return List.of(pattern);
        }
        List<String> names = new ArrayList<>(spread);
        for (int i = 0; i < spread; i++) {
            names.add(pattern.replace("*", Integer.toString(i)));
        }
        return names;
    }

    /** Registers {@code count} services of {@code role} (spread over roles, see {@link #spreadNames}) from {@code threads} threads. */
    private String register(String pattern, int count, int threads, int spread) throws Exception {
        List<String> roles = spreadNames(pattern, spread);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            long start = Micros.now();
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int share = count / threads + (t < count % threads ? 1 : 0);
                int first = t * (count / threads + 1);
                done.add(pool.submit(() -> {
                    for (int i = 0; i < share; i++) {
                        int n = first + i;
                        bulk.add(seaport.register(roles.get(n % roles.size()), 1024 + n % 60_000));
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get(WAIT_NANOS, TimeUnit.NANOSECONDS);
            }
            return start + " " + Micros.now();
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Registers {@code count} services of {@code pattern} (spread over roles) with {@code registerAsync}
     * from this one thread, then waits for every future; returns the first call's and the last
     * completion's time.
     */
    private String registerAsync(String pattern, int count, int spread) throws Exception {
        List<String> roles = spreadNames(pattern, spread);
        List<CompletableFuture<Registration>> futures = new ArrayList<>(count);
        long start = Micros.now();
        for (int n = 0; n < count; n++) {
            futures.add(seaport.registerAsync(roles.get(n % roles.size()), 1024 + n % 60_000));
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(WAIT_NANOS, TimeUnit.NANOSECONDS);
        long end = Micros.now();
        List<Registration> registered = new ArrayList<>(count);
        for (CompletableFuture<Registration> future : futures) {
            registered.add(future.join());
        }
        bulk.addAll(registered);
        return start + " " + end;
    }

    /** Joins this JVM's member with {@code builder}; returns the micros before and after {@code join()}. */
    private String timedJoin(Seaport.Builder builder) {
        long before = Micros.now();
        seaport = builder.join();
        return before + " " + Micros.now();
    }

    /** Returns a builder with the default discovery (no bind port, no peers: the discovery directory) on 127.0.0.1. */
    private static Seaport.Builder defaultBuilder(String cluster) {
        return Seaport.builder().cluster(cluster).bindAddress("127.0.0.1");
    }

    /**
     * Returns a builder as a member on a real network is configured: bound to its host's
     * {@code address} at {@code port}, finding the others through {@code peers} (TCPPING).
     *
     * @param peers {@code host:port} entries separated by commas
     */
    private static Seaport.Builder peersBuilder(String cluster, String address, String port, String peers) {
        return Seaport.builder().cluster(cluster).bindAddress(address).bindPort(Integer.parseInt(port))
                .peers(peers.split(","));
    }

    /** Joins a second member in this (warm) JVM with {@code builder}, waits until it sees {@code n} of {@code range}, closes it. */
    private static String warmJoin(Seaport.Builder builder, String range, int n) {
        long before = Micros.now();
        try (Seaport second = builder.join()) {
            long joined = Micros.now();
            long complete = awaitCount(second, range, n);
            return before + " " + joined + " " + complete;
        }
    }

    /** Returns the time at which {@code seaport} first sees at least {@code n} services of {@code range}. */
    static long awaitCount(Seaport seaport, String range, int n) {
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (System.nanoTime() - deadline < 0) {
            if (seaport.query(range).size() >= n) {
                return Micros.now();
            }
            LockSupport.parkNanos(20_000);
        }
        throw new IllegalStateException("did not see " + n + " of '" + range + "' within 120 s; saw "
                + seaport.query(range).size());
    }

    private static long firstQuery(Seaport seaport) {
        seaport.query("nothing");
        return Micros.now();
    }

    private Counter counter(String range, int spread) {
        return counters.computeIfAbsent(range + " " + spread, key -> {
            Counter counter = new Counter(this);
            for (String name : spreadNames(range, spread)) {
                subscriptions.add(seaport.watch(name, counter::on));
            }
            return counter;
        });
    }

    private static long usedHeapAfterGc() {
        var memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        // Several collections: the smallest reading is the live set most free of floating garbage.
        for (int i = 0; i < 4; i++) {
            System.gc();
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    private void shutdown() {
        for (SeaportProxy proxy : proxies) {
            proxy.close();
        }
        proxies.clear();
        for (Subscription subscription : subscriptions) {
            subscription.close();
        }
        subscriptions.clear();
        if (seaport != null) {
            seaport.close();
        }
    }

    /** Counts a range's live services from watch events and reports when armed targets are met. */
    private static final class Counter {
        private final BenchMember member;
        private int live; // listener thread (and arm, under the lock)
        private final Map<String, Integer> armed = new HashMap<>();

        Counter(BenchMember member) {
            this.member = member;
        }

        synchronized void on(ServiceEvent event) {
            if (event instanceof ServiceEvent.HealthChanged) {
                return; // not a registration coming or going
            }
            live += event instanceof ServiceEvent.Registered ? 1 : -1;
            check();
        }

        synchronized void arm(String id, int target) {
            armed.put(id, target);
            check();
        }

        private void check() {
            if (armed.isEmpty()) {
                return;
            }
            long now = Micros.now();
            armed.entrySet().removeIf(e -> {
                if (e.getValue() == live) {
                    member.print(e.getKey() + " reached " + now);
                    return true;
                }
                return false;
            });
        }
    }
}
