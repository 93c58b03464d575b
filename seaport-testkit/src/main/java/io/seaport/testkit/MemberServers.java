package io.seaport.testkit;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The small real servers a {@link MemberMain} runs behind its services, bound to 127.0.0.1 only,
 * one daemon thread per connection: an HTTP server that answers every request with a fixed body, and a TCP echo server that
 * honours half-close (it echoes until the client shuts its output, then shuts its own).
 */
final class MemberServers {
    private static final Logger LOG = LoggerFactory.getLogger(MemberServers.class);

    private MemberServers() {
    }

    /**
     * Returns a started HTTP/1.1 server on {@code port} answering {@code body} to every request,
     * one request per connection. It is written on plain sockets because the test classes are
     * compiled into the provider's module, which does not read {@code jdk.httpserver}.
     */
    static Closeable http(int port, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        byte[] head = ("HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: "
                + bytes.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        return serve(port, "http", socket -> {
            BufferedReader request = new BufferedReader(
                    new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            String line;
            while ((line = request.readLine()) != null && !line.isEmpty()) {
                LOG.trace("http {}: {}", port, line);
            }
            OutputStream out = socket.getOutputStream();
            out.write(head);
            out.write(bytes);
            out.flush();
            socket.shutdownOutput();
        });
    }

    /**
     * Returns a started HTTP/1.1 server on {@code port} like {@link #http}, except that
     * {@code GET /health} answers 200 while {@code healthy} is true and 503 otherwise.
     */
    static Closeable httpWithHealth(int port, String body, AtomicBoolean healthy) throws IOException {
        return serve(port, "http", socket -> {
            BufferedReader request = new BufferedReader(
                    new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            String first = request.readLine();
            String line;
            while ((line = request.readLine()) != null && !line.isEmpty()) {
                LOG.trace("http {}: {}", port, line);
            }
            boolean health = first != null && first.startsWith("GET /health ");
            String status = health && !healthy.get() ? "503 Service Unavailable" : "200 OK";
            byte[] bytes = (health ? (healthy.get() ? "up" : "down") : body).getBytes(StandardCharsets.UTF_8);
            OutputStream out = socket.getOutputStream();
            out.write(("HTTP/1.1 " + status + "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: "
                    + bytes.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.flush();
            socket.shutdownOutput();
        });
    }

    /**
     * Returns a started TCP server on {@code port} that first writes {@code tag} and a newline,
     * then echoes; so a client can tell which server a proxy connected it to.
     */
    static Closeable tagged(int port, String tag) throws IOException {
        byte[] line = (tag + "\n").getBytes(StandardCharsets.UTF_8);
        return serve(port, "tagged", socket -> {
            socket.getOutputStream().write(line);
            socket.getOutputStream().flush();
            echo(socket);
        });
    }

    /** Returns a started TCP echo server on {@code port}, one daemon thread per connection. */
    static Closeable echo(int port) throws IOException {
        return serve(port, "echo", MemberServers::echo);
    }

    private static Closeable serve(int port, String kind, Handler handler) throws IOException {
        ServerSocket server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
        Thread acceptor = new Thread(() -> accept(server, kind, handler), kind + "-accept-" + port);
        acceptor.setDaemon(true);
        acceptor.start();
        return server;
    }

    private static void accept(ServerSocket server, String kind, Handler handler) {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread worker = new Thread(() -> handle(socket, kind, handler), kind + "-" + socket.getPort());
                worker.setDaemon(true);
                worker.start();
            } catch (SocketException e) {
                LOG.debug("{} server on {} closed", kind, server.getLocalPort(), e);
                return;
            } catch (IOException e) {
                LOG.warn("{} server on {}: accept failed", kind, server.getLocalPort(), e);
            }
        }
    }

    private static void handle(Socket socket, String kind, Handler handler) {
        try (socket) {
            handler.handle(socket);
        } catch (IOException e) {
            LOG.debug("{} connection from {} ended", kind, socket.getRemoteSocketAddress(), e);
        }
    }

    private static void echo(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream();
        byte[] buffer = new byte[16 * 1024];
        int read;
        while ((read = in.read(buffer)) >= 0) {
            out.write(buffer, 0, read);
        }
        socket.shutdownOutput();
    }

    /** What a server does with one accepted connection. */
    private interface Handler {
        void handle(Socket socket) throws IOException;
    }
}
