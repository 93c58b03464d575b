package io.seaport.proxy;

import io.seaport.testkit.LocalCluster;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A hand-run throughput measurement of the proxy against a direct connection, on loopback, in
 * one JVM: bulk transfer on one connection, request/response on 50 keep-alive connections, and
 * one connection per request. Not a test: it asserts nothing. Every loop is bounded in time.
 *
 * <p>Run from the worktree root after {@code ./mvnw -B -ntp -pl seaport-proxy -am test-compile}:
 * <pre>
 * R=~/.m2/repository
 * java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.log.io.seaport.proxy=warn \
 *   -cp seaport-api/target/classes:seaport-jgroups/target/classes:seaport-jgroups/target/test-classes:\
 * seaport-proxy/target/classes:seaport-proxy/target/test-classes:$R/org/jgroups/jgroups/5.5.7.Final/jgroups-5.5.7.Final.jar:\
 * $R/org/semver4j/semver4j/6.0.0/semver4j-6.0.0.jar:$R/org/slf4j/slf4j-api/2.0.17/slf4j-api-2.0.17.jar:\
 * $R/org/slf4j/slf4j-simple/2.0.17/slf4j-simple-2.0.17.jar \
 *   io.seaport.proxy.ProxyThroughput [seconds per run, default 5] [proxy selector threads, default 2]
 * </pre>
 */
public final class ProxyThroughput {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyThroughput.class);
    private static final PrintStream OUT = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final int MESSAGE = 64;

    private ProxyThroughput() {
    }

    /**
     * Runs each scenario directly and through the proxy and prints rates and ratios.
     *
     * @param args optional: seconds per run (default 5), proxy selector threads (default 2)
     * @throws Exception if a server cannot start
     */
    public static void main(String[] args) throws Exception {
        long seconds = args.length > 0 ? Long.parseLong(args[0]) : 5;
        int ioThreads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        long nanos = seconds * 1_000_000_000L;
        try (LocalCluster cluster = LocalCluster.start("ProxyThroughput", 1);
             Server bulk = Server.start(Server::sendForever);
             Server echo = Server.start(Server::echoMessages);
             Server oneShot = Server.start(Server::answerOnceAndClose);
             LoopEchoServer loopEcho = LoopEchoServer.start()) {
            cluster.member(0).register("bulk@1.0.0", bulk.port());
            cluster.member(0).register("loopecho@1.0.0", loopEcho.port());
            cluster.member(0).register("echo@1.0.0", echo.port());
            cluster.member(0).register("oneshot@1.0.0", oneShot.port());
            try (SeaportProxy bulkProxy = proxy(cluster, "bulk", ioThreads);
                 SeaportProxy echoProxy = proxy(cluster, "echo", ioThreads);
                 SeaportProxy oneShotProxy = proxy(cluster, "oneshot", ioThreads);
                 SeaportProxy loopEchoProxy = proxy(cluster, "loopecho", ioThreads)) {
                OUT.printf(Locale.ROOT, "%d s per run, %d proxy selector threads, %d processors%n", seconds, ioThreads,
                        Runtime.getRuntime().availableProcessors());
                compare("bulk MiB/s (1 connection)", seconds, 1024 * 1024, "MiB", bulk.port(), bulkProxy.port(),
                        port -> bulkRead(port, nanos));
                compare("req/s (50 keep-alive connections)", seconds, 1, "req", echo.port(), echoProxy.port(),
                        port -> keepAlive(port, 50, nanos));
                compare("req/s (50 keep-alive, 1-thread client+server)", seconds, 1, "req", loopEcho.port(),
                        loopEchoProxy.port(), port -> keepAliveOneThread(port, 50, nanos));
                compare("req/s (connection per request, 8 clients)", seconds, 1, "req", oneShot.port(),
                        oneShotProxy.port(), port -> connectionPerRequest(port, 8, nanos));
            }
        }
    }

    private static SeaportProxy proxy(LocalCluster cluster, String range, int ioThreads) {
        return SeaportProxy.builder(cluster.member(0)).range(range).ioThreads(ioThreads).build();
    }

    /**
     * Prints the rate of {@code scenario} directly and through the proxy, their ratio, and the CPU
     * time the proxy's threads spent per unit (a figure less sensitive to other load on the machine).
     */
    private static void compare(String what, long seconds, long unitSize, String unit, int direct, int proxied,
                                Scenario scenario) throws Exception {
        scenario.run(direct); // warm-up of both paths, not reported
        scenario.run(proxied);
        double d = scenario.run(direct) / (double) unitSize / seconds;
        long cpuBefore = proxyCpuNanos();
        double units = scenario.run(proxied) / (double) unitSize;
        long cpu = proxyCpuNanos() - cpuBefore;
        double p = units / seconds;
        double perUnit = cpu / 1000.0 / units;
        OUT.printf(Locale.ROOT, "%-45s direct %10.0f   proxy %10.0f   ratio %.2f   proxy CPU %.2f us/%s%n", what, d, p,
                p / d, perUnit, unit);
    }

    private static long proxyCpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith("seaport-proxy-")) {
                total += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
            }
        }
        return total;
    }

    private interface Scenario {
        long run(int port) throws Exception;
    }

    private static long bulkRead(int port, long nanos) throws IOException {
        long total = 0;
        try (SocketChannel channel = SocketChannel.open(new InetSocketAddress(LOOPBACK, port))) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(256 * 1024);
            long end = System.nanoTime() + nanos;
            while (System.nanoTime() < end) {
                buffer.clear();
                int n = channel.read(buffer);
                if (n < 0) {
                    break;
                }
                total += n;
            }
        }
        return total;
    }

    private static long keepAlive(int port, int connections, long nanos) throws Exception {
        LongAdder done = new LongAdder();
        long end = System.nanoTime() + nanos;
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            Thread thread = new Thread(() -> {
                try (SocketChannel channel = SocketChannel.open(new InetSocketAddress(LOOPBACK, port))) {
                    channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    ByteBuffer buffer = ByteBuffer.allocateDirect(MESSAGE);
                    while (System.nanoTime() < end) {
                        buffer.clear();
                        while (buffer.hasRemaining()) {
                            channel.write(buffer);
                        }
                        buffer.clear();
                        while (buffer.hasRemaining()) {
                            if (channel.read(buffer) < 0) {
                                return;
                            }
                        }
                        done.increment();
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }, "bench-keepalive-" + i);
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        return done.sum();
    }

    /**
     * The keep-alive scenario with event-loop peers: one client thread drives every connection
     * and the server is {@link LoopEchoServer}, so the proxy competes with two threads, not 100.
     */
    private static long keepAliveOneThread(int port, int connections, long nanos) throws IOException {
        long done = 0;
        List<SocketChannel> channels = new ArrayList<>();
        try (Selector selector = Selector.open()) {
            for (int i = 0; i < connections; i++) {
                SocketChannel channel = SocketChannel.open(new InetSocketAddress(LOOPBACK, port));
                channels.add(channel);
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                channel.register(selector, SelectionKey.OP_READ, ByteBuffer.allocateDirect(MESSAGE));
                writeFully(channel, ByteBuffer.allocateDirect(MESSAGE));
            }
            long end = System.nanoTime() + nanos;
            while (System.nanoTime() < end) {
                selector.select(100);
                for (SelectionKey key : selector.selectedKeys()) {
                    ByteBuffer buffer = (ByteBuffer) key.attachment();
                    SocketChannel channel = (SocketChannel) key.channel();
                    if (channel.read(buffer) < 0) {
                        throw new IOException("closed by the server");
                    }
                    if (!buffer.hasRemaining()) {
                        done++;
                        buffer.clear();
                        writeFully(channel, buffer);
                        buffer.clear();
                    }
                }
                selector.selectedKeys().clear();
            }
        } finally {
            for (SocketChannel channel : channels) {
                channel.close();
            }
        }
        return done;
    }

    /** Writes all of a small message; on loopback with empty buffers one call takes it. */
    private static void writeFully(SocketChannel channel, ByteBuffer buffer) throws IOException {
        for (int attempt = 0; buffer.hasRemaining() && attempt < 1_000_000; attempt++) {
            channel.write(buffer);
        }
    }

    private static long connectionPerRequest(int port, int clients, long nanos) throws Exception {
        LongAdder done = new LongAdder();
        long end = System.nanoTime() + nanos;
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            Thread thread = new Thread(() -> {
                ByteBuffer buffer = ByteBuffer.allocateDirect(MESSAGE);
                while (System.nanoTime() < end) {
                    try (SocketChannel channel = SocketChannel.open(new InetSocketAddress(LOOPBACK, port))) {
                        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                        buffer.clear();
                        while (buffer.hasRemaining()) {
                            channel.write(buffer);
                        }
                        buffer.clear();
                        while (buffer.hasRemaining()) {
                            if (channel.read(buffer) < 0) {
                                throw new IOException("closed before the answer");
                            }
                        }
                        done.increment();
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }, "bench-oneshot-" + i);
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        return done.sum();
    }

    /** A loopback echo server of fixed-size messages on one selector thread. */
    private static final class LoopEchoServer implements AutoCloseable {
        private final ServerSocketChannel channel;
        private final Selector selector;
        private final Thread thread;
        private volatile boolean open = true;

        private LoopEchoServer(ServerSocketChannel channel, Selector selector) {
            this.channel = channel;
            this.selector = selector;
            this.thread = new Thread(this::run, "bench-loop-echo");
            thread.setDaemon(true);
        }

        static LoopEchoServer start() throws IOException {
            ServerSocketChannel channel = ServerSocketChannel.open();
            channel.bind(new InetSocketAddress(LOOPBACK, 0), 1024);
            channel.configureBlocking(false);
            Selector selector = Selector.open();
            channel.register(selector, SelectionKey.OP_ACCEPT);
            LoopEchoServer server = new LoopEchoServer(channel, selector);
            server.thread.start();
            return server;
        }

        int port() throws IOException {
            return ((InetSocketAddress) channel.getLocalAddress()).getPort();
        }

        private void run() {
            while (open) {
                try {
                    selector.select(100);
                    for (SelectionKey key : selector.selectedKeys()) {
                        if (key.isAcceptable()) {
                            SocketChannel client = channel.accept();
                            if (client != null) {
                                client.configureBlocking(false);
                                client.setOption(StandardSocketOptions.TCP_NODELAY, true);
                                client.register(selector, SelectionKey.OP_READ, ByteBuffer.allocateDirect(MESSAGE));
                            }
                        } else if (key.isReadable()) {
                            echo(key);
                        }
                    }
                    selector.selectedKeys().clear();
                } catch (IOException e) {
                    LOG.trace("bench loop echo server stopped", e);
                    return;
                }
            }
        }

        private static void echo(SelectionKey key) throws IOException {
            SocketChannel client = (SocketChannel) key.channel();
            ByteBuffer buffer = (ByteBuffer) key.attachment();
            int n;
            try {
                n = client.read(buffer);
            } catch (IOException e) {
                LOG.trace("bench connection reset at the end of a run", e);
                n = -1;
            }
            if (n < 0) {
                key.cancel();
                client.close();
                return;
            }
            if (!buffer.hasRemaining()) {
                buffer.flip();
                writeFully(client, buffer);
                buffer.clear();
            }
        }

        @Override
        public void close() throws IOException {
            open = false;
            selector.wakeup();
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            for (SelectionKey key : selector.keys()) {
                key.channel().close();
            }
            selector.close();
        }
    }

    /** A loopback server with one thread per connection. */
    private static final class Server implements AutoCloseable {
        private final ServerSocketChannel channel;
        private final AtomicBoolean open = new AtomicBoolean(true);

        private Server(ServerSocketChannel channel) {
            this.channel = channel;
        }

        static Server start(Handler handler) throws IOException {
            ServerSocketChannel channel = ServerSocketChannel.open();
            channel.bind(new InetSocketAddress(LOOPBACK, 0), 1024);
            Server server = new Server(channel);
            Thread acceptor = new Thread(() -> {
                while (server.open.get()) {
                    try {
                        SocketChannel client = channel.accept();
                        client.setOption(StandardSocketOptions.TCP_NODELAY, true);
                        Thread worker = new Thread(() -> {
                            try (client) {
                                handler.handle(client);
                            } catch (IOException e) {
                                LOG.trace("bench connection ended", e); // the client went away: end of a run
                            }
                        }, "bench-server");
                        worker.setDaemon(true);
                        worker.start();
                    } catch (IOException e) {
                        LOG.trace("bench server closed", e);
                        return;
                    }
                }
            }, "bench-accept");
            acceptor.setDaemon(true);
            acceptor.start();
            return server;
        }

        int port() throws IOException {
            return ((InetSocketAddress) channel.getLocalAddress()).getPort();
        }

        static void sendForever(SocketChannel client) throws IOException {
            ByteBuffer buffer = ByteBuffer.allocateDirect(256 * 1024);
            long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(10); // until the client closes, at most this
            while (System.nanoTime() < end) {
                buffer.clear();
                client.write(buffer);
            }
        }

        static void echoMessages(SocketChannel client) throws IOException {
            ByteBuffer buffer = ByteBuffer.allocateDirect(MESSAGE);
            long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(10); // until the client closes, at most this
            while (System.nanoTime() < end) {
                buffer.clear();
                while (buffer.hasRemaining()) {
                    if (client.read(buffer) < 0) {
                        return;
                    }
                }
                buffer.flip();
                while (buffer.hasRemaining()) {
                    client.write(buffer);
                }
            }
        }

        static void answerOnceAndClose(SocketChannel client) throws IOException {
            echoMessages(client);
        }

        @Override
        public void close() throws IOException {
            open.set(false);
            channel.close();
        }

        private interface Handler {
            void handle(SocketChannel client) throws IOException;
        }
    }
}
