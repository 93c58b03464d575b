package io.seaport.benchmarks;

import io.seaport.testkit.TestPorts;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Returns the proxy figures: bulk throughput, keep-alive request latency and connections per
 * second through SeaportProxy (in a member JVM of its own, forwarding by range), each against a
 * direct connection to the same backend and, when installed, haproxy (mode tcp) and socat (fork)
 * in the same run. The client and the backends run in the harness JVM; rounds alternate between
 * the targets so that machine noise hits all of them alike.
 *
 * <p>Run alone with {@code benchmarks/run --only proxy} (add {@code --quick} for a short run).
 */
final class ProxyScenarios {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyScenarios.class);
    static final String SECTION = "proxy";
    static final int REQUEST_BYTES = 64;
    private static final long ROUND_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(15);

    private final boolean quick;
    private final List<Figure> figures = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    ProxyScenarios(boolean quick) {
        this.quick = quick;
    }

    /** Returns notes (such as a reference proxy that is not installed) for the report. */
    List<String> notes() {
        return notes;
    }

    /** Ports of one target: where keep-alive, one-shot and bulk clients connect. */
    private record Target(String name, int echo, int oneShot, int sink) {
    }

    /** Returns the figures; the reference proxies that are absent are left out with a note. */
    List<Figure> run() {
        List<Process> helpers = new ArrayList<>();
        try (Backends backends = new Backends(); Members cluster = new Members("bench-proxy")) {
            List<Target> targets = new ArrayList<>();
            targets.add(new Target("direct", backends.echoPort(), backends.oneShotPort(), backends.sinkPort()));
            MemberHandle member = cluster.startJoined("proxy");
            member.call("registerAt", "echo@1.0.0", backends.echoPort());
            member.call("registerAt", "oneshot@1.0.0", backends.oneShotPort());
            member.call("registerAt", "sink@1.0.0", backends.sinkPort());
            targets.add(new Target("seaport-proxy", Integer.parseInt(member.call("proxy", "echo")),
                    Integer.parseInt(member.call("proxy", "oneshot")), Integer.parseInt(member.call("proxy", "sink"))));
            haproxy(backends, helpers).ifPresent(targets::add);
            socat(backends, helpers).ifPresent(targets::add);
            measure(targets);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (Process helper : helpers) {
                helper.destroy();
                try {
                    if (!helper.waitFor(5, TimeUnit.SECONDS)) {
                        helper.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        return figures;
    }

    private void measure(List<Target> targets) {
        int rounds = quick ? 3 : 5;
        long bulkBytes = (quick ? 64L : 256L) << 20;
        int requests = quick ? 2_000 : 5_000;
        int connections = quick ? 500 : 1_500;
        Map<String, List<Double>> bulk = new LinkedHashMap<>();
        Map<String, List<Double>> rtt = new LinkedHashMap<>();
        Map<String, List<Double>> roundRtt = new LinkedHashMap<>();
        Map<String, List<Double>> cps = new LinkedHashMap<>();
        for (Target target : targets) {
            bulk.put(target.name(), new ArrayList<>());
            rtt.put(target.name(), new ArrayList<>());
            roundRtt.put(target.name(), new ArrayList<>());
            cps.put(target.name(), new ArrayList<>());
            // Warm-up: JIT of the client and of SeaportProxy, haproxy's and socat's first connections.
            bulk(target, bulkBytes / 4);
            keepAlive(target, requests / 4);
            connectionPerRequest(target, connections / 4);
        }
        for (int round = 0; round < rounds; round++) {
            for (Target target : targets) {
                bulk.get(target.name()).add(bulk(target, bulkBytes));
                List<Double> times = keepAlive(target, requests);
                rtt.get(target.name()).addAll(times);
                roundRtt.get(target.name()).add(Stats.of(times).median());
                cps.get(target.name()).add(connectionPerRequest(target, connections));
            }
        }
        String direct = "direct";
        for (Target target : targets) {
            String name = target.name();
            figures.add(Figure.of(SECTION, name + ": bulk throughput", "MiB/s", bulk.get(name),
                    (bulkBytes >> 20) + " MiB one way per run through one connection, 64 KiB writes, to a sink"));
            figures.add(Figure.of(SECTION, name + ": keep-alive request round trip", "µs", rtt.get(name),
                    requests + " x " + REQUEST_BYTES + "-byte echo per round on one connection, all rounds pooled"));
            figures.add(Figure.of(SECTION, name + ": connection per request", "conn/s", cps.get(name),
                    connections + " x (connect, " + REQUEST_BYTES + " bytes each way, server closes) per round"));
            if (!name.equals(direct)) {
                figures.add(Figure.of(SECTION, name + " / direct: bulk throughput ratio", "x",
                        ratios(bulk.get(name), bulk.get(direct)), "per round"));
                figures.add(Figure.of(SECTION, name + " - direct: added keep-alive latency (round medians)", "µs",
                        differences(roundRtt.get(name), roundRtt.get(direct)), "per round"));
                figures.add(Figure.of(SECTION, name + " / direct: connection rate ratio", "x",
                        ratios(cps.get(name), cps.get(direct)), "per round"));
            }
        }
        String haproxy = "haproxy";
        String ours = "seaport-proxy";
        if (bulk.containsKey(haproxy)) {
            figures.add(Figure.atLeast(SECTION, "seaport-proxy / haproxy: bulk throughput", "x",
                    ratios(bulk.get(ours), bulk.get(haproxy)), 1.0, "per round; goal: ahead of haproxy"));
            figures.add(Figure.atMost(SECTION, "seaport-proxy / haproxy: keep-alive round trip", "x",
                    ratios(roundRtt.get(ours), roundRtt.get(haproxy)), 1.0, "per round medians; goal: ahead"));
            figures.add(Figure.atLeast(SECTION, "seaport-proxy / haproxy: connection rate", "x",
                    ratios(cps.get(ours), cps.get(haproxy)), 1.0, "per round; goal: ahead of haproxy"));
        }
    }

    private static List<Double> ratios(List<Double> a, List<Double> b) {
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            out.add(a.get(i) / b.get(i));
        }
        return out;
    }

    private static List<Double> differences(List<Double> a, List<Double> b) {
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            out.add(a.get(i) - b.get(i));
        }
        return out;
    }

    // ---- the three loads

    /** Returns MiB/s for sending {@code bytes} to the sink and reading its count back. */
    private static double bulk(Target target, long bytes) {
        byte[] chunk = new byte[64 * 1024];
        long start = System.nanoTime();
        try (Socket socket = connect(target.sink())) {
            OutputStream out = socket.getOutputStream();
            for (long sent = 0; sent < bytes; sent += chunk.length) {
                out.write(chunk);
                if (System.nanoTime() - start > ROUND_LIMIT_NANOS * 4) {
                    throw new IllegalStateException(target.name() + ": bulk run over 60 s");
                }
            }
            socket.shutdownOutput();
            long counted = ByteBuffer.wrap(socket.getInputStream().readNBytes(8)).getLong();
            if (counted != bytes) {
                throw new IllegalStateException(target.name() + ": sink counted " + counted + " of " + bytes);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(target.name() + ": bulk failed", e);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return bytes / (1024.0 * 1024.0) / seconds;
    }

    /** Returns each request's round trip in µs on one kept-alive connection. */
    private static List<Double> keepAlive(Target target, int requests) {
        List<Double> times = new ArrayList<>(requests);
        byte[] request = new byte[REQUEST_BYTES];
        long limit = System.nanoTime() + ROUND_LIMIT_NANOS;
        try (Socket socket = connect(target.echo())) {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            for (int i = 0; i < requests && System.nanoTime() - limit < 0; i++) {
                long start = System.nanoTime();
                out.write(request);
                if (in.readNBytes(REQUEST_BYTES).length != REQUEST_BYTES) {
                    throw new IllegalStateException(target.name() + ": echo closed early");
                }
                times.add((System.nanoTime() - start) / 1000.0);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(target.name() + ": keep-alive requests failed", e);
        }
        return times;
    }

    /** Returns connections per second for {@code count} one-request connections (or as many as fit the time limit). */
    private static double connectionPerRequest(Target target, int count) {
        byte[] request = new byte[REQUEST_BYTES];
        long start = System.nanoTime();
        int done = 0;
        for (; done < count && System.nanoTime() - start < ROUND_LIMIT_NANOS; done++) {
            try (Socket socket = connect(target.oneShot())) {
                socket.getOutputStream().write(request);
                InputStream in = socket.getInputStream();
                if (in.readNBytes(REQUEST_BYTES).length != REQUEST_BYTES || in.read() != -1) {
                    throw new IllegalStateException(target.name() + ": one-shot answer incomplete");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(target.name() + ": connection " + done + " failed", e);
            }
        }
        return done / ((System.nanoTime() - start) / 1e9);
    }

    private static Socket connect(int port) throws IOException {
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
        socket.setSoTimeout(30_000);
        return socket;
    }

    // ---- reference proxies

    private Optional<Target> haproxy(Backends backends, List<Process> helpers) throws IOException {
        if (!installed("haproxy")) {
            notes.add("haproxy is not installed: its reference figures are skipped (apt-get install haproxy).");
            return Optional.empty();
        }
        int port = TestPorts.freeBlock(3);
        String config = String.join("\n",
                "global",
                "  maxconn 4096",
                "defaults",
                "  mode tcp",
                "  timeout connect 5s",
                "  timeout client 60s",
                "  timeout server 60s",
                "listen echo",
                "  bind 127.0.0.1:" + port,
                "  server s 127.0.0.1:" + backends.echoPort(),
                "listen oneshot",
                "  bind 127.0.0.1:" + (port + 1),
                "  server s 127.0.0.1:" + backends.oneShotPort(),
                "listen sink",
                "  bind 127.0.0.1:" + (port + 2),
                "  server s 127.0.0.1:" + backends.sinkPort(),
                "");
        Path file = Path.of("benchmarks", "target", "bench-logs", "haproxy.cfg");
        Files.writeString(file, config, StandardCharsets.UTF_8);
        helpers.add(launch(List.of("haproxy", "-db", "-f", file.toString()), "haproxy"));
        for (int p = port; p < port + 3; p++) {
            awaitListening(p, "haproxy");
        }
        notes.add("haproxy " + version(List.of("haproxy", "-v")) + " (mode tcp, default threads) is the reference.");
        return Optional.of(new Target("haproxy", port, port + 1, port + 2));
    }

    private Optional<Target> socat(Backends backends, List<Process> helpers) throws IOException {
        if (!installed("socat")) {
            notes.add("socat is not installed: its reference figures are skipped (apt-get install socat).");
            return Optional.empty();
        }
        int port = TestPorts.freeBlock(3);
        int[] backendPorts = {backends.echoPort(), backends.oneShotPort(), backends.sinkPort()};
        for (int i = 0; i < 3; i++) {
            helpers.add(launch(List.of("socat", "TCP-LISTEN:" + (port + i) + ",bind=127.0.0.1,reuseaddr,fork,backlog=1024",
                    "TCP:127.0.0.1:" + backendPorts[i] + ",nodelay"), "socat-" + i));
            awaitListening(port + i, "socat");
        }
        notes.add("socat " + version(List.of("socat", "-V")) + " (TCP-LISTEN fork: one process per connection) "
                + "is a second reference.");
        return Optional.of(new Target("socat", port, port + 1, port + 2));
    }

    private static boolean installed(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        for (String dir : List.of("/usr/sbin", "/sbin", "/usr/local/sbin")) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    private static Process launch(List<String> command, String name) throws IOException {
        Path log = Path.of("benchmarks", "target", "bench-logs", name + ".log");
        List<String> resolved = new ArrayList<>(command);
        resolved.set(0, resolve(command.get(0)));
        return new ProcessBuilder(resolved).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static String resolve(String program) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.addAll(List.of("/usr/sbin", "/sbin", "/usr/local/sbin"));
        for (String dir : dirs) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return Path.of(dir, program).toString();
            }
        }
        return program;
    }

    private static String version(List<String> command) {
        try {
            List<String> resolved = new ArrayList<>(command);
            resolved.set(0, resolve(command.get(0)));
            Process process = new ProcessBuilder(resolved).redirectErrorStream(true).start();
            String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor(5, TimeUnit.SECONDS);
            Matcher m = Pattern.compile("version (\\S+)").matcher(text);
            return m.find() ? m.group(1) : text.lines().findFirst().orElse("(version unknown)").trim();
        } catch (IOException e) {
            LOG.warn("cannot read the version of {}", command, e);
            return "(version unknown)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(version unknown)";
        }
    }

    private static void awaitListening(int port, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        IOException last = null;
        while (System.nanoTime() - deadline < 0) {
            try (Socket socket = connect(port)) {
                if (socket.isConnected()) {
                    return;
                }
            } catch (IOException e) {
                last = e;
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
        }
        throw new IllegalStateException(what + " does not listen on 127.0.0.1:" + port + " within 15 s", last);
    }
}
