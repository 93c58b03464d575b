package io.seaport.proxy;

import io.seaport.testkit.LocalCluster;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * A hand-run throughput measurement of the proxy against a direct connection, on loopback, in
 * one JVM: bulk transfer on one connection, request/response on 50 keep-alive connections, and
 * one connection per request. Not a test: it asserts nothing. Every loop is bounded in time.
 *
 * <p>Run from the worktree root after {@code ./mvnw -pl seaport-proxy -am verify}:
 * <pre>
 * java -cp "$(cat seaport-proxy/target/test-classpath.txt)" io.seaport.proxy.ProxyThroughput [seconds] [ioThreads]
 * </pre>
 * where {@code test-classpath.txt} is written by
 * {@code ./mvnw -pl seaport-proxy dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt
 * -Dmdep.includeScope=test} followed by appending {@code target/classes} and {@code target/test-classes}.
 */
public final class ProxyThroughput {
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
             Server oneShot = Server.start(Server::answerOnceAndClose)) {
            cluster.member(0).register("bulk@1.0.0", bulk.port());
            cluster.member(0).register("echo@1.0.0", echo.port());
            cluster.member(0).register("oneshot@1.0.0", oneShot.port());
            try (SeaportProxy bulkProxy = proxy(cluster, "bulk", ioThreads);
                 SeaportProxy echoProxy = proxy(cluster, "echo", ioThreads);
                 SeaportProxy oneShotProxy = proxy(cluster, "oneshot", ioThreads)) {
                OUT.printf(Locale.ROOT, "%d s per run, %d proxy selector threads, %d processors%n", seconds, ioThreads,
                        Runtime.getRuntime().availableProcessors());
                compare("bulk MiB/s (1 connection)", bulk.port(), bulkProxy.port(),
                        port -> bulkRead(port, nanos) / 1024.0 / 1024.0 / seconds);
                compare("req/s (50 keep-alive connections)", echo.port(), echoProxy.port(),
                        port -> keepAlive(port, 50, nanos) / (double) seconds);
                compare("req/s (connection per request, 8 clients)", oneShot.port(), oneShotProxy.port(),
                        port -> connectionPerRequest(port, 8, nanos) / (double) seconds);
            }
        }
    }

    private static SeaportProxy proxy(LocalCluster cluster, String range, int ioThreads) {
        return SeaportProxy.builder(cluster.member(0)).range(range).ioThreads(ioThreads).build();
    }

    private static void compare(String what, int direct, int proxied, Scenario scenario) throws Exception {
        scenario.run(direct); // warm-up of both paths, not reported
        scenario.run(proxied);
        double d = scenario.run(direct);
        double p = scenario.run(proxied);
        OUT.printf(Locale.ROOT, "%-45s direct %12.0f   proxy %12.0f   ratio %.2f%n", what, d, p, p / d);
    }

    private interface Scenario {
        double run(int port) throws Exception;
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
                                // the client went away: the end of a run
                            }
                        }, "bench-server");
                        worker.setDaemon(true);
                        worker.start();
                    } catch (IOException e) {
                        return; // closed
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
            while (true) {
                buffer.clear();
                client.write(buffer);
            }
        }

        static void echoMessages(SocketChannel client) throws IOException {
            ByteBuffer buffer = ByteBuffer.allocateDirect(MESSAGE);
            while (true) {
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
