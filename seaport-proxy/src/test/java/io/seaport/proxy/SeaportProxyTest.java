package io.seaport.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.seaport.Registration;
import io.seaport.Seaport;
import io.seaport.testkit.Await;
import io.seaport.testkit.LocalCluster;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The proxy against real members of one in-JVM cluster: {@code owner} registers in-JVM echo
 * servers, {@code user} runs the proxies and resolves them from its replica.
 */
final class SeaportProxyTest {
    private static LocalCluster cluster;
    private static Seaport owner;
    private static Seaport user;

    private final Deque<AutoCloseable> toClose = new ArrayDeque<>();
    private final List<Integer> proxyPorts = new ArrayList<>();
    private String role;

    @BeforeAll
    static void joinCluster() {
        cluster = LocalCluster.start("SeaportProxyTest", 2);
        owner = cluster.member(0);
        user = cluster.member(1);
    }

    @AfterAll
    static void leaveCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void nameRole(TestInfo info) {
        role = info.getTestMethod().orElseThrow().getName().replace('_', '-');
    }

    @AfterEach
    void closeEverything() throws Exception {
        while (!toClose.isEmpty()) {
            toClose.pop().close();
        }
        assertThat(ProxyThreads.alive()).as("proxy threads after close").isEmpty();
        for (int port : proxyPorts) {
            assertThat(Clients.portIsFree(port)).as("port %d free after close", port).isTrue();
        }
    }

    private <T extends AutoCloseable> T track(T closeable) {
        toClose.push(closeable);
        return closeable;
    }

    private SeaportProxy track(SeaportProxy proxy) {
        toClose.push(proxy);
        proxyPorts.add(proxy.port());
        return proxy;
    }

    private Registration registerEcho(EchoServer echo, String version) {
        return track(owner.register(role + "@" + version, echo.port()));
    }

    private void awaitMatches(String range, int count) {
        Await.until(count + " services matching " + range + " on the proxy's member",
                () -> user.query(range).size() == count, this::seen);
    }

    private String seen() {
        return cluster.describe() + "\nowner sees " + owner.query(role) + "\nuser sees " + user.query(role);
    }

    @Test
    void forward_bulkPayloadWithHalfClose_echoesByteExactThenEndOfStream() throws Exception {
        EchoServer echo = track(EchoServer.start("bulk"));
        registerEcho(echo, "1.0.0");
        SeaportProxy proxy = track(SeaportProxy.forward(user, role + "@1.x", 0));
        byte[] payload = Clients.random(16 * 1024 * 1024, 42);

        byte[] received;
        try (Socket socket = Clients.connect(proxy.port())) {
            CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
                try {
                    socket.getOutputStream().write(payload);
                    socket.shutdownOutput();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            received = socket.getInputStream().readAllBytes(); // returns at end of stream only
            sent.get(30, TimeUnit.SECONDS);
        }

        assertThat(Arrays.equals(payload, received)).as(Clients.mismatch(payload, received)).isTrue();
        Await.until("the connection counted as closed", () -> proxy.stats().activeConnections() == 0,
                () -> proxy.stats().toString());
        assertThat(proxy.stats().bytesToServices()).isEqualTo(payload.length);
        assertThat(proxy.stats().bytesToClients()).isEqualTo(payload.length);
    }

    @Test
    void forward_200ConcurrentSessions_eachEchoesItsOwnData() throws Exception {
        EchoServer echo = track(EchoServer.start("many"));
        registerEcho(echo, "1.0.0");
        SeaportProxy proxy = track(SeaportProxy.forward(user, role, 0));
        int sessions = 200;
        ExecutorService pool = Executors.newFixedThreadPool(sessions);
        track(pool::shutdownNow);
        CountDownLatch allConnected = new CountDownLatch(sessions);
        List<Future<String>> results = new ArrayList<>();

        for (int i = 0; i < sessions; i++) {
            int session = i;
            results.add(pool.submit(() -> {
                byte[] data = Clients.random(32 * 1024 + session, session);
                try (Socket socket = Clients.connect(proxy.port())) {
                    allConnected.countDown();
                    allConnected.await(30, TimeUnit.SECONDS);
                    byte[] back = Clients.echoWithHalfClose(socket, data);
                    return Arrays.equals(data, back) ? "ok" : "session " + session + ": " + Clients.mismatch(data, back);
                }
            }));
        }
        List<String> outcomes = new ArrayList<>();
        for (Future<String> result : results) {
            outcomes.add(result.get(60, TimeUnit.SECONDS));
        }

        assertThat(outcomes).containsOnly("ok").hasSize(sessions);
        assertThat(proxy.stats().totalConnections()).isEqualTo(sessions);
        Await.until("every connection counted as closed", () -> proxy.stats().activeConnections() == 0,
                () -> proxy.stats().toString());
    }

    @Test
    void connect_beforeAnyServiceMatches_completesWhenOneRegisters() throws Exception {
        SeaportProxy proxy = track(SeaportProxy.builder(user).range(role + "@^2").waitTimeout(Duration.ofSeconds(60))
                .build());
        EchoServer echo = track(EchoServer.start("late"));
        byte[] request = Clients.random(1024 * 1024, 7); // more than the one buffer read while waiting

        byte[] back;
        try (Socket socket = Clients.connect(proxy.port())) {
            CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
                try {
                    socket.getOutputStream().write(request);
                    socket.shutdownOutput();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            Await.until("the proxy holding the connection", () -> proxy.stats().activeConnections() == 1
                    && proxy.stats().bytesToServices() > 0, () -> proxy.stats().toString());
            registerEcho(echo, "2.1.0");
            back = socket.getInputStream().readAllBytes();
            sent.get(30, TimeUnit.SECONDS);
        }

        assertThat(Arrays.equals(request, back)).as(Clients.mismatch(request, back)).isTrue();
        assertThat(proxy.stats().unserved()).isZero();
    }

    @Test
    void clientReset_whileWaitingForAService_isLetGoAtOnce() throws Exception {
        SeaportProxy proxy = track(SeaportProxy.builder(user).range(role).waitTimeout(Duration.ofMinutes(10)).build());
        Socket socket = Clients.connect(proxy.port());
        Await.until("the proxy holding the connection", () -> proxy.stats().activeConnections() == 1,
                () -> proxy.stats().toString());

        socket.setSoLinger(true, 0);
        socket.close();

        Await.until("the waiting connection let go", () -> proxy.stats().activeConnections() == 0,
                () -> proxy.stats().toString());
        assertThat(proxy.stats().unserved()).isZero();
    }

    @Test
    void connect_nothingMatchesWithinWaitTimeout_isClosed() throws Exception {
        SeaportProxy proxy = track(SeaportProxy.builder(user).range(role + "-none").waitTimeout(Duration.ofMillis(300))
                .build());
        registerEcho(track(EchoServer.start("other version")), "1.0.0"); // a version out of the range below
        awaitMatches(role, 1);
        SeaportProxy other = track(SeaportProxy.builder(user).range(role + "@>=2").waitTimeout(Duration.ofMillis(300))
                .build());

        int endOfStream;
        int otherEndOfStream;
        try (Socket socket = Clients.connect(proxy.port()); Socket wrongVersion = Clients.connect(other.port())) {
            endOfStream = socket.getInputStream().read();
            otherEndOfStream = wrongVersion.getInputStream().read();
        }

        assertThat(endOfStream).as("read on a connection nothing answered").isEqualTo(-1);
        assertThat(otherEndOfStream).as("read when only a non-matching version exists").isEqualTo(-1);
        Await.until("the connection counted as unserved", () -> other.stats().unserved() == 1,
                () -> other.stats().toString());
    }

    @Test
    void roundRobin_threeServices_spreadsConnectionsEvenly() throws Exception {
        List<EchoServer> echoes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            EchoServer echo = track(EchoServer.start("rr" + i));
            registerEcho(echo, "1.0." + i);
            echoes.add(echo);
        }
        awaitMatches(role, 3);
        SeaportProxy proxy = track(SeaportProxy.forward(user, role, 0));

        for (int i = 0; i < 30; i++) {
            try (Socket socket = Clients.connect(proxy.port())) {
                assertThat(Clients.echoWithHalfClose(socket, new byte[] {(byte) i})).containsExactly((byte) i);
            }
        }

        assertThat(echoes).extracting(EchoServer::accepted).containsExactly(10, 10, 10);
    }

    @Test
    void first_twoServices_sendsEveryConnectionToHighestVersion() throws Exception {
        EchoServer older = track(EchoServer.greeting("v1"));
        EchoServer newer = track(EchoServer.greeting("v2"));
        registerEcho(older, "1.0.0");
        registerEcho(newer, "2.0.0");
        awaitMatches(role, 2);
        SeaportProxy proxy = track(SeaportProxy.builder(user).range(role).balancing(Balancing.FIRST).build());

        List<String> greetings = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            try (Socket socket = Clients.connect(proxy.port())) {
                greetings.add(Clients.readLine(socket));
            }
        }

        assertThat(greetings).containsOnly("hello v2").hasSize(5);
    }

    @Test
    void refusingService_registeredPortWithNothingListening_isSkipped() throws Exception {
        int dead = Clients.unusedPort();
        track(owner.register(role + "@1.0.0", dead));
        EchoServer echo = track(EchoServer.start("alive"));
        registerEcho(echo, "1.0.0");
        awaitMatches(role, 2);
        SeaportProxy proxy = track(SeaportProxy.forward(user, role, 0));

        for (int i = 0; i < 10; i++) {
            try (Socket socket = Clients.connect(proxy.port())) {
                assertThat(Clients.echoWithHalfClose(socket, new byte[] {7, (byte) i})).containsExactly(7, i);
            }
        }

        assertThat(echo.accepted()).isEqualTo(10);
        assertThat(proxy.stats().failedConnects()).as("refused attempts; ejected after the first").isEqualTo(1);
        assertThat(proxy.stats().unserved()).isZero();
    }

    @Test
    void unresponsiveService_connectTimesOut_nextServiceAnswers() throws Exception {
        ServerSocket full = track(new ServerSocket());
        full.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1); // never accepts
        List<Socket> fillers = new ArrayList<>();
        Await.until("the unaccepting service's backlog full, so that a connect hangs", () -> {
            Socket socket = new Socket();
            fillers.add(track(socket));
            try {
                socket.connect(full.getLocalSocketAddress(), 300);
                return false;
            } catch (IOException e) {
                return true;
            }
        }, () -> fillers.size() + " connects completed");
        EchoServer echo = track(EchoServer.start("answers"));
        track(owner.register(role + "@1.0.0", full.getLocalPort()));
        registerEcho(echo, "1.0.0");
        awaitMatches(role, 2);
        SeaportProxy proxy = track(SeaportProxy.builder(user).range(role).connectTimeout(Duration.ofMillis(200))
                .build());

        List<byte[]> answers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            try (Socket socket = Clients.connect(proxy.port())) {
                answers.add(Clients.echoWithHalfClose(socket, new byte[] {(byte) i}));
            }
        }

        assertThat(answers).extracting(answer -> answer[0]).containsExactly((byte) 0, (byte) 1, (byte) 2, (byte) 3);
        assertThat(echo.accepted()).isEqualTo(4);
        assertThat(proxy.stats().failedConnects()).as("timed out attempts; ejected after the first").isEqualTo(1);
    }

    @Test
    void random_twoServices_usesBoth() throws Exception {
        EchoServer one = track(EchoServer.start("random1"));
        EchoServer two = track(EchoServer.start("random2"));
        registerEcho(one, "1.0.0");
        registerEcho(two, "1.0.0");
        awaitMatches(role, 2);
        SeaportProxy proxy = track(SeaportProxy.builder(user).range(role).balancing(Balancing.RANDOM).build());

        for (int i = 0; i < 40; i++) {
            try (Socket socket = Clients.connect(proxy.port())) {
                assertThat(Clients.echoWithHalfClose(socket, new byte[] {3})).containsExactly(3);
            }
        }

        assertThat(one.accepted() + two.accepted()).isEqualTo(40);
        assertThat(one.accepted()).as("connections to one of two, chosen at random 40 times").isBetween(1, 39);
    }

    @Test
    void ejectedService_afterEjectionTime_isTriedAgain() throws Exception {
        int dead = Clients.unusedPort();
        track(owner.register(role + "@1.0.0", dead));
        registerEcho(track(EchoServer.start("alive")), "1.0.0");
        awaitMatches(role, 2);
        SeaportProxy proxy = track(SeaportProxy.builder(user).range(role).ejection(Duration.ofMillis(100)).build());
        List<byte[]> answers = new ArrayList<>();

        Await.until("a second attempt on the refusing service", () -> {
            try (Socket socket = Clients.connect(proxy.port())) {
                answers.add(Clients.echoWithHalfClose(socket, new byte[] {1}));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return proxy.stats().failedConnects() >= 2;
        }, () -> proxy.stats().toString());

        assertThat(answers).allSatisfy(answer -> assertThat(answer).containsExactly(1));
    }

    @Test
    void freedService_getsNoNewConnections_whileOpenOnesFinish() throws Exception {
        EchoServer first = track(EchoServer.greeting("first"));
        EchoServer second = track(EchoServer.greeting("second"));
        Registration leaving = registerEcho(first, "1.0.0");
        registerEcho(second, "1.0.0");
        awaitMatches(role, 2);
        SeaportProxy proxy = track(SeaportProxy.builder(user).range(role).balancing(Balancing.FIRST).build());
        Socket open = track(Clients.connect(proxy.port()));
        assertThat(Clients.readLine(open)).isEqualTo("hello first");

        leaving.close();
        awaitMatches(role, 1);
        Await.until("a new connection reaching the second service", () -> {
            try (Socket socket = Clients.connect(proxy.port())) {
                return Clients.readLine(socket).equals("hello second");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, this::seen);
        List<String> next = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            try (Socket socket = Clients.connect(proxy.port())) {
                next.add(Clients.readLine(socket));
            }
        }

        assertThat(next).containsOnly("hello second").hasSize(5);
        assertThat(Clients.echoWithHalfClose(open, "still here".getBytes(StandardCharsets.US_ASCII)))
                .asString(StandardCharsets.US_ASCII).isEqualTo("still here");
    }

    @Test
    void slowReader_serviceNeverReads_clientIsHeldBackWithBoundedBuffering() throws Exception {
        EchoServer sink = track(EchoServer.start("never reads"));
        sink.stopReading();
        registerEcho(sink, "1.0.0");
        awaitMatches(role, 1);
        SeaportProxy proxy = track(SeaportProxy.forward(user, role, 0));
        long limit = 256L * 1024 * 1024;

        long written = 0;
        try (SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", proxy.port()));
             Selector selector = Selector.open()) {
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_WRITE);
            ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
            // write until the proxy stops taking bytes for 2 s (or far past any sane buffering)
            while (written < limit) {
                chunk.clear();
                int n = channel.write(chunk);
                written += n;
                if (n == 0 && selector.select(2_000) == 0) {
                    break;
                }
                selector.selectedKeys().clear();
            }
        }

        assertThat(written).as("bytes the client could push into a service that never reads")
                .isLessThan(64L * 1024 * 1024);
        assertThat(proxy.stats().bytesToServices()).isLessThanOrEqualTo(written);
    }

    @Test
    void clientReset_whilePiping_closesTheServiceSideToo() throws Exception {
        EchoServer echo = track(EchoServer.start("reset"));
        registerEcho(echo, "1.0.0");
        awaitMatches(role, 1);
        SeaportProxy proxy = track(SeaportProxy.forward(user, role, 0));
        Socket socket = Clients.connect(proxy.port());
        socket.getOutputStream().write(9);
        assertThat(socket.getInputStream().read()).isEqualTo(9);

        socket.setSoLinger(true, 0);
        socket.close(); // sends a reset

        Await.until("the proxy to close both sides", () -> proxy.stats().activeConnections() == 0,
                () -> proxy.stats() + " " + echo);
    }

    @Test
    void serviceCloses_clientSeesEndOfStreamAndConnectionIsFreed() throws Exception {
        ServerSocket oneShot = track(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
        track(owner.register(role + "@1.0.0", oneShot.getLocalPort()));
        awaitMatches(role, 1);
        SeaportProxy proxy = track(SeaportProxy.forward(user, role, 0));
        Socket socket = track(Clients.connect(proxy.port()));
        try (Socket served = oneShot.accept()) {
            served.getOutputStream().write("bye".getBytes(StandardCharsets.US_ASCII));
        }

        byte[] received = socket.getInputStream().readAllBytes();
        socket.close();

        assertThat(received).asString(StandardCharsets.US_ASCII).isEqualTo("bye");
        Await.until("the connection counted as closed", () -> proxy.stats().activeConnections() == 0,
                () -> proxy.stats().toString());
    }

    @Test
    void close_withOpenAndWaitingConnections_closesThemAndFreesEverything() throws Exception {
        EchoServer echo = track(EchoServer.start("closing"));
        registerEcho(echo, "1.0.0");
        awaitMatches(role, 1);
        SeaportProxy proxy = track(SeaportProxy.forward(user, role, 0)); // tracked too, in case of failure
        SeaportProxy waiting = track(SeaportProxy.forward(user, role + "-nothing", 0));
        int port = proxy.port();
        Socket open = track(Clients.connect(port));
        assertThat(Clients.echoWithHalfClose(open, new byte[0])).isEmpty();
        Socket piping = track(Clients.connect(port));
        piping.getOutputStream().write(1);
        assertThat(piping.getInputStream().read()).isEqualTo(1);
        Socket parked = track(Clients.connect(waiting.port()));
        Await.until("the parked connection accepted", () -> waiting.stats().activeConnections() == 1,
                () -> waiting.stats().toString());

        proxy.close();
        waiting.close();
        proxy.close();

        assertThat(piping.getInputStream().read()).as("open connection after close").isEqualTo(-1);
        assertThat(parked.getInputStream().read()).as("waiting connection after close").isEqualTo(-1);
        assertThat(ProxyThreads.alive()).isEmpty();
        assertThat(Clients.portIsFree(port)).isTrue();
        assertThat(Clients.portIsFree(waiting.port())).isTrue();
    }

    @Test
    void close_duringTrafficOnManyConnections_endsEveryClientAndLeavesNothing() throws Exception {
        EchoServer echo = track(EchoServer.start("busy"));
        registerEcho(echo, "1.0.0");
        awaitMatches(role, 1);
        SeaportProxy proxy = track(SeaportProxy.builder(user).range(role).ioThreads(2).build());
        int port = proxy.port();
        int clients = 20;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        track(pool::shutdownNow);
        List<Future<String>> endings = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            endings.add(pool.submit(() -> {
                byte[] chunk = new byte[1024];
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                try (Socket socket = Clients.connect(port)) {
                    while (System.nanoTime() < deadline) {
                        socket.getOutputStream().write(chunk);
                        if (socket.getInputStream().readNBytes(chunk.length).length < chunk.length) {
                            return "end of stream";
                        }
                    }
                    return "still running after 60 s";
                } catch (SocketTimeoutException e) {
                    return "no end within the read timeout";
                } catch (IOException e) {
                    return "end of stream"; // a reset is an end too
                }
            }));
        }
        Await.until("every client moving bytes", () -> proxy.stats().activeConnections() == clients
                && proxy.stats().bytesToClients() > clients * 64 * 1024L, () -> proxy.stats().toString());

        proxy.close();

        List<String> outcomes = new ArrayList<>();
        for (Future<String> ending : endings) {
            outcomes.add(ending.get(60, TimeUnit.SECONDS));
        }
        assertThat(outcomes).containsOnly("end of stream").hasSize(clients);
        assertThat(ProxyThreads.alive()).isEmpty();
        assertThat(Clients.portIsFree(port)).isTrue();
    }

    @Test
    void maxConnections_atLimit_queuesTheNextUntilOneCloses() throws Exception {
        EchoServer echo = track(EchoServer.start("limited"));
        registerEcho(echo, "1.0.0");
        awaitMatches(role, 1);
        SeaportProxy proxy = track(SeaportProxy.builder(user).range(role).maxConnections(1).build());
        Socket first = track(Clients.connect(proxy.port()));
        first.getOutputStream().write(1);
        assertThat(first.getInputStream().read()).isEqualTo(1);

        Socket second = track(Clients.connect(proxy.port())); // completes in the backlog
        second.getOutputStream().write(2);
        Map<String, Long> whileFull = new TreeMap<>(Map.of("active", proxy.stats().activeConnections(),
                "total", proxy.stats().totalConnections()));
        first.close();
        int answer = second.getInputStream().read();

        assertThat(whileFull).containsEntry("active", 1L).containsEntry("total", 1L);
        assertThat(answer).isEqualTo(2);
        assertThat(proxy.stats().totalConnections()).isEqualTo(2);
    }
}
