package io.seaport.jgroups.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.seaport.testkit.TestKeys;
import io.seaport.spi.TlsConfig;
import io.seaport.testkit.Await;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TLS server socket in isolation (white-box): hostile connections never hold the thread that
 * calls {@code accept()}, each is closed by its deadline or at once when it cannot be TLS, and
 * {@code close()} ends every connection in progress and every thread of the socket.
 */
final class HandshakingServerSocketTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final List<Socket> clients = new ArrayList<>();
    private SSLContext context;
    private HandshakingServerSocket server;

    @BeforeEach
    void start(@TempDir Path dir) throws IOException {
        Path keystore = new TestKeys(dir).selfSigned("gate");
        context = TlsTransport.sslContext(TlsConfig.sharedKey(keystore, TestKeys.PASSWORD.toCharArray()),
                new TlsRefusals());
        SSLParameters parameters = context.getDefaultSSLParameters();
        parameters.setProtocols(new String[] {TlsTransport.PROTOCOL});
        parameters.setNeedClientAuth(true);
        server = (HandshakingServerSocket) HandshakingServerSocket.factory(context.getSocketFactory(), parameters,
                new TlsRefusals()).createServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
        for (Socket client : clients) {
            client.close();
        }
    }

    @Test
    void accept_whileHundredsOfConnectionsAreSilentOrTrickling_returnsAKeyHolder() throws Exception {
        for (int i = 0; i < 300; i++) {
            connect();
        }
        for (int i = 0; i < 50; i++) {
            connect().getOutputStream().write(new byte[] {0x16, 0x03}); // a record header cut short
        }
        Await.until("the newest connections of that one address wait", WAIT,
                () -> server.inProgress()[0] == HandshakeGate.MAX_WAITING_PER_SOURCE,
                () -> Arrays.toString(server.inProgress()));

        CompletableFuture<Socket> accepted = CompletableFuture.supplyAsync(this::acceptQuietly);
        SSLSocket keyHolder = keyHolder();
        keyHolder.startHandshake();

        Socket socket = accepted.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        clients.add(0, socket); // closed first: its close_notify lets the key holder's close() return at once
        assertThat(socket).isInstanceOf(SSLSocket.class);
        assertThat(socket.getPort()).isEqualTo(keyHolder.getLocalPort());
        socket.getOutputStream().write(42);
        socket.getOutputStream().flush();
        assertThat(keyHolder.getInputStream().read()).isEqualTo(42);
    }

    @Test
    void connection_whoseRecordHeaderAnnouncesTooMuch_isClosedAtOnce() throws IOException {
        Socket client = connect();

        client.getOutputStream().write(new byte[] {0x16, 0x03, 0x03, (byte) 0xff, (byte) 0xff});

        assertClosedByServer(client, "the oversize header");
    }

    @Test
    void connection_thatIsNotTls_isClosedAtOnce() throws IOException {
        Socket client = connect();

        client.getOutputStream().write("GET / HTTP/1.1\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));

        assertClosedByServer(client, "the plaintext request");
    }

    @Test
    void connection_silentOrStalledMidHandshake_isClosedAtItsDeadline() throws Exception {
        Socket silent = connect();
        Socket stalled = connect();
        sendClientHello(stalled);

        Await.until("the stalled connection is in its handshake", WAIT, () -> server.inProgress()[1] == 1,
                () -> Arrays.toString(server.inProgress()));

        assertClosedByServer(silent, "the silent connection");
        assertClosedByServer(stalled, "the stalled handshake");
        Await.until("nothing is left in progress", WAIT, () -> server.inProgress()[0] + server.inProgress()[1] == 0,
                () -> Arrays.toString(server.inProgress()));
    }

    @Test
    void close_endsEveryConnectionInProgressAndEveryThread() throws Exception {
        List<Socket> silent = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            silent.add(connect());
        }
        List<Socket> stalled = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Socket client = connect();
            sendClientHello(client);
            stalled.add(client);
        }
        Await.until("20 wait and 3 are in their handshake", WAIT,
                () -> Arrays.equals(server.inProgress(), new int[] {20, 3}), () -> Arrays.toString(server.inProgress()));
        CompletableFuture<Socket> accepting = CompletableFuture.supplyAsync(this::acceptQuietly);

        server.close();

        for (Socket client : stalled) {
            assertClosedByServer(client, "a stalled handshake");
        }
        for (Socket client : silent) {
            assertClosedByServer(client, "a silent connection");
        }
        assertThat(accepting.handle((socket, e) -> e).get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .as("accept() after close()").isNotNull();
        Await.until("no thread of the server socket remains", WAIT, () -> threadsOf(server).isEmpty(),
                () -> threadsOf(server).toString());
    }

    private Socket connect() throws IOException {
        Socket client = new Socket();
        clients.add(client);
        client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()), 10_000);
        return client;
    }

    private SSLSocket keyHolder() throws IOException {
        SSLSocket client = (SSLSocket) context.getSocketFactory().createSocket();
        clients.add(client);
        SSLParameters parameters = context.getDefaultSSLParameters();
        parameters.setProtocols(new String[] {TlsTransport.PROTOCOL});
        client.setSSLParameters(parameters);
        client.setSoTimeout((int) WAIT.toMillis());
        client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()), 10_000);
        return client;
    }

    /** Sends a real ClientHello and nothing after it: the server answers and then waits for the client. */
    private void sendClientHello(Socket client) throws IOException {
        SSLEngine engine = context.createSSLEngine("127.0.0.1", server.getLocalPort());
        engine.setUseClientMode(true);
        SSLParameters parameters = context.getDefaultSSLParameters();
        parameters.setProtocols(new String[] {TlsTransport.PROTOCOL});
        engine.setSSLParameters(parameters);
        engine.beginHandshake();
        ByteBuffer hello = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), hello);
        hello.flip();
        OutputStream out = client.getOutputStream();
        out.write(hello.array(), 0, hello.limit());
        out.flush();
    }

    /** Asserts the server closes {@code client}: reading ends (bytes the server sent first are skipped). */
    private static void assertClosedByServer(Socket client, String what) throws IOException {
        client.setSoTimeout((int) WAIT.toMillis());
        InputStream in = client.getInputStream();
        try {
            while (in.read() >= 0) {
                // the server's half of a handshake, if it got that far
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError(what + " was still open after " + WAIT, e);
        } catch (IOException e) {
            // reset by the server: closed too
        }
    }

    private Socket acceptQuietly() {
        try {
            return server.accept();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<String> threadsOf(ServerSocket server) {
        String prefix = ((HandshakingServerSocket) server).threadPrefix();
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith(prefix + "-")).toList();
    }
}
