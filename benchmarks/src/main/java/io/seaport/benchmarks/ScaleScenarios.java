package io.seaport.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Returns how the default same-host setup scales: N = 2, 8, 32, 64 member JVMs of one cluster on
 * 127.0.0.1 with the default discovery (no bind port, no peers: the discovery directory). Per N:
 * joins (waves of up to {@link #JOIN_WAVE} at once, and one more member into the running cluster),
 * register to visible at the last member, kill -9 to gone everywhere, heap per member, and idle
 * traffic per member.
 *
 * <p>The same method measures members elsewhere ({@link HostsScenarios}: one JVM per network
 * namespace host, explicit peers): a {@link Placement} says where each member JVM runs and how it
 * joins, everything else is shared.
 *
 * <p>Every member JVM runs with {@code -Xmx64m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xss512k}
 * so that 64 fit a small machine. Idle traffic is the growth of {@code wchar} in
 * {@code /proc/<pid>/io} (bytes handed to write/send system calls: the TCP payload JGroups sends,
 * plus any log line) over {@link #IDLE_SECONDS} seconds in which the harness sends nothing.
 *
 * <p>Run alone with {@code benchmarks/run --only scale} (add {@code --quick} for N up to 32).
 */
final class ScaleScenarios {
    private static final Logger LOG = LoggerFactory.getLogger(ScaleScenarios.class);
    static final String SCALE = "scale (one host, default discovery)";
    static final List<String> JVM_OPTIONS = List.of("-Xmx64m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
            "-Xss512k");
    static final int IDLE_SECONDS = 10;
    /** The most member JVMs told to join at the same moment. */
    static final int JOIN_WAVE = 16;

    /** Where the member JVMs of one size run and how they join: the one difference between scale parts. */
    interface Placement {
        /** Returns started member JVM {@code index} (from 0), not joined yet. */
        MemberHandle start(String name, int index);

        /** Returns the {@link BenchMember} command (verb, then arguments) by which member {@code index} joins. */
        List<Object> join(String cluster, int index);

        /**
         * Returns the command by which member 0's JVM joins a second member of {@code cluster},
         * awaits {@code n} services of {@code range} and closes it ({@code djoin2}'s answer).
         */
        List<Object> warmJoin(String cluster, String range, int n);
    }

    /** Every member on 127.0.0.1 with the default discovery (the discovery directory). */
    static final Placement ONE_HOST = new Placement() {
        @Override
        public MemberHandle start(String name, int index) {
            return MemberHandle.start(name, JVM_OPTIONS);
        }

        @Override
        public List<Object> join(String cluster, int index) {
            return List.of("djoin", cluster);
        }

        @Override
        public List<Object> warmJoin(String cluster, String range, int n) {
            return List.of("djoin2", cluster, range, n);
        }
    };

    private final boolean quick;
    private final String section;
    private final List<Figure> figures = new ArrayList<>();

    ScaleScenarios(boolean quick) {
        this(quick, SCALE);
    }

    /** Returns scenarios whose figures go to {@code section}. */
    ScaleScenarios(boolean quick, String section) {
        this.quick = quick;
        this.section = section;
    }

    static final int[] FULL = {2, 8, 32, 64};
    static final int[] QUICK = {2, 8, 32};

    /** Returns the member counts of {@code text} ({@code --sizes 64} or {@code 8,32}). */
    static int[] parseSizes(String text) {
        if (!text.matches("\\d+(,\\d+)*")) {
            throw new IllegalArgumentException("--sizes takes member counts like 2,8,32,64, was '" + text + "'");
        }
        int[] sizes = Arrays.stream(text.split(",")).mapToInt(Integer::parseInt).toArray();
        if (Arrays.stream(sizes).anyMatch(n -> n < 2)) {
            throw new IllegalArgumentException("--sizes takes member counts of at least 2, was '" + text + "'");
        }
        return sizes;
    }

    /** Returns the figures of every size in {@code sizes} (a failing size is logged and noted). */
    List<Figure> run(int[] sizes) {
        for (int n : sizes) {
            measure("scale" + n, n + " members", n, ONE_HOST);
        }
        return figures;
    }

    /** Returns the figures measured so far. */
    List<Figure> figures() {
        return List.copyOf(figures);
    }

    /**
     * Measures one size: {@code n} members placed by {@code placement}, in a cluster named after
     * {@code tag}; each figure's name starts with {@code label}. A failure is logged and becomes a
     * FAILED figure, so the next size still runs.
     */
    void measure(String tag, String label, int n, Placement placement) {
        long start = System.nanoTime();
        LOG.info("{}: {} ...", section, label);
        try {
            size(tag, label, n, placement);
        } catch (RuntimeException e) {
            failed(label, e);
        }
        LOG.info("{}: {} took {} s", section, label, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start));
    }

    /** Logs that the size {@code label} failed and adds a FAILED figure quoting {@code e} in its place. */
    void failed(String label, RuntimeException e) {
        LOG.error("{} with {} failed; its figures are missing", section, label, e);
        figures.add(Figure.of(section, label + ": FAILED", "", List.of(), e.toString()));
    }

    private void size(String tag, String label, int n, Placement placement) {
        String cluster = BenchClusters.name("bench-" + tag);
        List<MemberHandle> all = new ArrayList<>();
        // Not the common pool: on 2 cores it has one thread, and "at once" would be one after the other.
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<CompletableFuture<MemberHandle>> starting = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String name = tag + "-" + i;
                int index = i;
                starting.add(CompletableFuture.supplyAsync(() -> placement.start(name, index), pool));
            }
            for (CompletableFuture<MemberHandle> future : starting) {
                all.add(future.join());
            }

            // Waves of up to JOIN_WAVE join at once (the founding lock makes one found the cluster, the
            // others join it); each wave is awaited before the next. 64 JVMs told to join at once on
            // 2 cores starved the coordinator: JOIN requests timed out for minutes (full run of 2026-12-03).
            List<Double> joins = new ArrayList<>();
            for (int from = 0; from < n; from += JOIN_WAVE) {
                List<CompletableFuture<String>> joining = new ArrayList<>();
                for (int i = from; i < Math.min(n, from + JOIN_WAVE); i++) {
                    MemberHandle member = all.get(i);
                    List<Object> command = placement.join(cluster, i);
                    joining.add(CompletableFuture.supplyAsync(() -> call(member, command), pool));
                }
                for (CompletableFuture<String> join : joining) {
                    String[] t = join.join().split(" ");
                    joins.add((Long.parseLong(t[1]) - Long.parseLong(t[0])) / 1000.0);
                }
            }
            figures.add(Figure.of(section, label + ": join() of each, in waves of up to " + JOIN_WAVE
                    + " started at once", "ms", joins,
                    "warm JVMs (started, then told to join together, wave after wave); includes waiting for the founder"));
            List<CompletableFuture<Long>> complete = new ArrayList<>();
            for (MemberHandle member : all) {
                complete.add(member.expect("scale", n)); // armed first: it counts watch events
            }
            for (int i = 0; i < n; i++) {
                all.get(i).call("registerAt", "scale@1.0.0", 41_000 + i);
            }
            for (int i = 0; i < n; i++) {
                all.get(i).await(complete.get(i), "all " + n + " scale services");
            }

            warmJoin(label, n, placement.warmJoin(cluster, "scale", n), all.get(0));
            registerToVisible(label, n, all);
            heap(label, n, all);
            idleTraffic(label, n, all);
            kill(label, n, all);
        } finally {
            pool.shutdownNow();
            for (int i = all.size() - 1; i >= 0; i--) {
                all.get(i).close();
            }
        }
    }

    /** Returns the answer of {@code member} to {@code command} (its verb, then its arguments). */
    private static String call(MemberHandle member, List<Object> command) {
        return member.call(command.get(0).toString(), command.subList(1, command.size()).toArray());
    }

    private void warmJoin(String label, int n, List<Object> command, MemberHandle host) {
        List<Double> joined = new ArrayList<>();
        List<Double> completed = new ArrayList<>();
        int runs = quick ? 3 : 5;
        for (int run = 0; run < runs + 1; run++) {
            String[] t = call(host, command).split(" ");
            if (run > 0) { // the first is a warm-up of this JVM's join path
                long before = Long.parseLong(t[0]);
                joined.add((Long.parseLong(t[1]) - before) / 1000.0);
                completed.add((Long.parseLong(t[2]) - before) / 1000.0);
            }
        }
        figures.add(Figure.atMost(section, label + ": one more member joins (warm JVM), join() returns", "ms",
                joined, 1000, "a second Seaport in member 0's JVM joins and closes, " + runs
                        + " runs after one warm-up; join() returns with a complete replica"));
        figures.add(Figure.of(section, label + ": ... and its replica holds all " + n + " services", "ms",
                completed, "from before join() to the query that first counts them"));
    }

    private void registerToVisible(String label, int n, List<MemberHandle> all) {
        MemberHandle registrar = all.get(n - 1);
        List<MemberHandle> watchers = all.subList(0, n - 1);
        for (MemberHandle watcher : watchers) {
            watcher.events.clear();
            watcher.call("watch", "probe");
        }
        int warmup = 5;
        int probes = quick ? 10 : 20;
        List<Double> last = new ArrayList<>();
        for (int i = 0; i < warmup + probes; i++) {
            long registered = Long.parseLong(registrar.call("probe", "probe@1.0.0"));
            long latest = Long.MIN_VALUE;
            for (MemberHandle watcher : watchers) {
                latest = Math.max(latest, nextEvent(watcher));
            }
            registrar.call("unprobe", "probe@1.0.0");
            if (i >= warmup) {
                last.add((latest - registered) / 1000.0);
            }
        }
        figures.add(Figure.atMost(section, label + ": register -> visible at the last of " + (n - 1)
                + " watchers", "ms", last, 5, "register() returns in one member; the latest watch event among all "
                        + "others; wall-clock µs stamps in each JVM; " + warmup + " warm-up probes dropped"));
    }

    private static long nextEvent(MemberHandle watcher) {
        try {
            String[] event = watcher.events.poll(60, TimeUnit.SECONDS);
            if (event == null) {
                throw new IllegalStateException("no watch event within 60 s");
            }
            return Long.parseLong(event[1]);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void heap(String label, int n, List<MemberHandle> all) {
        List<Double> mib = new ArrayList<>();
        for (MemberHandle member : all) {
            mib.add(Long.parseLong(member.call("heap")) / (1024.0 * 1024.0));
        }
        figures.add(Figure.of(section, label + ": used heap per member", "MiB", mib,
                "after 4x System.gc() (smallest reading); each holds " + n + " services and the cluster's view"));
    }

    private void idleTraffic(String label, int n, List<MemberHandle> all) {
        long[] before = new long[n];
        for (int i = 0; i < n; i++) {
            before[i] = written(all.get(i));
        }
        long start = System.nanoTime();
        LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(IDLE_SECONDS)); // the measured idle period itself
        double seconds = (System.nanoTime() - start) / 1e9;
        List<Double> perSecond = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            perSecond.add((written(all.get(i)) - before[i]) / seconds);
        }
        figures.add(Figure.atMost(section, label + ": idle traffic sent per member", "bytes/s", perSecond, 1024,
                "growth of wchar in /proc/<pid>/io over " + IDLE_SECONDS + " s with nothing registered or asked "
                        + "(TCP payload: heartbeats, MERGE3 info, STABLE; TCP/IP headers not counted)"));
    }

    private static long written(MemberHandle member) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(member.pid()), "io"))) {
                if (line.startsWith("wchar:")) {
                    return Long.parseLong(line.substring(6).trim());
                }
            }
            throw new IllegalStateException("no wchar in /proc/" + member.pid() + "/io");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/" + member.pid() + "/io", e);
        }
    }

    private void kill(String label, int n, List<MemberHandle> all) {
        int runs = Math.min(quick ? 2 : 3, n - 1);
        List<Double> gone = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            MemberHandle victim = all.get(all.size() - 1);
            List<MemberHandle> observers = all.subList(0, all.size() - 1);
            String role = "victim" + run;
            List<CompletableFuture<Long>> seen = new ArrayList<>();
            for (MemberHandle observer : observers) {
                seen.add(observer.expect(role, 1));
            }
            victim.call("probe", role + "@1.0.0");
            for (int i = 0; i < observers.size(); i++) {
                observers.get(i).await(seen.get(i), role + " seen");
            }
            List<CompletableFuture<Long>> dropped = new ArrayList<>();
            for (MemberHandle observer : observers) {
                dropped.add(observer.expect(role, 0));
            }
            long killed = Micros.now();
            victim.kill();
            long last = 0;
            for (int i = 0; i < observers.size(); i++) {
                last = Math.max(last, observers.get(i).await(dropped.get(i), role + " gone"));
            }
            gone.add((last - killed) / 1000.0);
            victim.close();
            all.remove(all.size() - 1);
        }
        figures.add(Figure.of(section, label + ": kill -9 -> gone on every survivor", "ms", gone,
                "harness stamps before SIGKILL; the last survivor's watch stamp; " + runs + " members killed in turn"));
    }
}
