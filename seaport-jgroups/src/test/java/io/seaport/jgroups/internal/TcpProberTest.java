package io.seaport.jgroups.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.seaport.testkit.Await;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The TCP health probes' thread, against real sockets on 127.0.0.1. */
final class TcpProberTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String PASSED = "passed";

    private final TcpProber prober = new TcpProber("TcpProberTest", Ticker.system());
    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        prober.close();
        for (AutoCloseable resource : resources) {
            resource.close();
        }
    }

    @Test
    void listeningPort_passesEveryInterval() throws IOException {
        ServerSocket server = listen(50);
        Recorder probe = new Recorder(address(server), 20, 1_000);

        prober.start(probe);

        Await.until("five probes", TIMEOUT, () -> probe.results.size() >= 5, probe.results::toString);
        assertThat(probe.results).allMatch(PASSED::equals);
    }

    @Test
    void closedPort_failsWithTheRefusal() throws IOException {
        ServerSocket server = listen(50);
        InetSocketAddress gone = address(server);
        server.close();
        Recorder probe = new Recorder(gone, 20, 1_000);

        prober.start(probe);

        Await.until("two probes", TIMEOUT, () -> probe.results.size() >= 2, probe.results::toString);
        assertThat(probe.results).allMatch(result -> result.contains("Connection refused"));
    }

    @Test
    void backendThatNeverCompletesTheHandshake_failsAtTheTimeout() throws IOException {
        // A listener that never accepts, with a full accept queue: the kernel drops further SYNs,
        // so a connect stays pending (Linux, tcp_abort_on_overflow=0).
        ServerSocket server = listen(1);
        InetSocketAddress address = address(server);
        for (int i = 0; i < 4; i++) {
            SocketChannel filler = SocketChannel.open();
            filler.configureBlocking(false);
            filler.connect(address);
            resources.add(filler);
        }
        Recorder probe = new Recorder(address, 60_000, 200);

        prober.start(probe);

        Await.until("the probe to time out", TIMEOUT, () -> !probe.results.isEmpty(), probe.results::toString);
        assertThat(probe.results.get(0)).isEqualTo("connect timed out after 200 ms");
    }

    @Test
    void stopped_probesNoMore() throws IOException {
        ServerSocket server = listen(50);
        Recorder probe = new Recorder(address(server), 20, 1_000);
        Runnable stop = prober.start(probe);
        Await.until("a probe", TIMEOUT, () -> !probe.results.isEmpty(), probe.results::toString);

        stop.run();
        int seen = probe.results.size();
        // A probe already under way may still report; after that nothing more arrives.
        Recorder witness = new Recorder(address(server), 20, 1_000);
        prober.start(witness);
        Await.until("ten probes of another check", TIMEOUT, () -> witness.results.size() >= 10,
                witness.results::toString);

        assertThat(probe.results.size()).isLessThanOrEqualTo(seen + 1);
    }

    private ServerSocket listen(int backlog) throws IOException {
        ServerSocket server = new ServerSocket(0, backlog, InetAddress.getLoopbackAddress());
        resources.add(server);
        return server;
    }

    private static InetSocketAddress address(ServerSocket server) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
    }

    private static final class Recorder implements TcpProber.Probe {
        final List<String> results = new CopyOnWriteArrayList<>();
        private final InetSocketAddress address;
        private final long intervalMillis;
        private final long timeoutMillis;

        Recorder(InetSocketAddress address, long intervalMillis, long timeoutMillis) {
            this.address = address;
            this.intervalMillis = intervalMillis;
            this.timeoutMillis = timeoutMillis;
        }

        @Override
        public InetSocketAddress address() {
            return address;
        }

        @Override
        public long intervalNanos() {
            return TimeUnit.MILLISECONDS.toNanos(intervalMillis);
        }

        @Override
        public long timeoutNanos() {
            return TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        }

        @Override
        public void probed(String failure) {
            results.add(failure == null ? PASSED : failure);
        }
    }
}
