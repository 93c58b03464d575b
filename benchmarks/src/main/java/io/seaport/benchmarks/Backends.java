package io.seaport.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Returns the backend servers the proxy benchmarks send to, on 127.0.0.1, one thread per
 * connection: an echo server (keep-alive requests), a one-shot echo server that closes after one
 * answer (connection per request; the server closes first, so TIME_WAIT stays off the client's
 * ephemeral ports) and a sink that counts bytes until EOF and answers the count (bulk).
 */
final class Backends implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Backends.class);

    private final ServerSocket echo;
    private final ServerSocket oneShot;
    private final ServerSocket sink;

    Backends() throws IOException {
        echo = serve("echo", Backends::echo);
        oneShot = serve("oneshot", Backends::oneShot);
        sink = serve("sink", Backends::sink);
    }

    int echoPort() {
        return echo.getLocalPort();
    }

    int oneShotPort() {
        return oneShot.getLocalPort();
    }

    int sinkPort() {
        return sink.getLocalPort();
    }

    private interface Handler {
        void handle(Socket socket) throws IOException;
    }

    private static ServerSocket serve(String name, Handler handler) throws IOException {
        ServerSocket server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    Thread worker = new Thread(() -> {
                        try (socket) {
                            socket.setTcpNoDelay(true);
                            handler.handle(socket);
                        } catch (IOException e) {
                            LOG.debug("{} connection ended: {}", name, e.toString());
                        }
                    }, "backend-" + name + "-conn");
                    worker.setDaemon(true);
                    worker.start();
                } catch (IOException e) {
                    if (!server.isClosed()) {
                        LOG.warn("{} accept failed", name, e);
                    }
                }
            }
        }, "backend-" + name);
        acceptor.setDaemon(true);
        acceptor.start();
        return server;
    }

    private static void echo(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream();
        byte[] buffer = new byte[16 * 1024];
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            out.write(buffer, 0, n);
        }
    }

    private static void oneShot(Socket socket) throws IOException {
        byte[] request = socket.getInputStream().readNBytes(ProxyScenarios.REQUEST_BYTES);
        socket.getOutputStream().write(request);
    }

    private static void sink(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            total += n;
        }
        socket.getOutputStream().write(ByteBuffer.allocate(8).putLong(total).array());
    }

    @Override
    public void close() throws IOException {
        echo.close();
        oneShot.close();
        sink.close();
    }
}
