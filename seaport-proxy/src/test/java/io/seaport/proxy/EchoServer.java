package io.seaport.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback echo server for tests: it optionally greets each connection with one line naming
 * itself, then echoes every byte, and shuts down its output at the client's end of stream.
 * One thread per connection; {@link #close()} closes every socket and ends every thread.
 */
final class EchoServer implements AutoCloseable {
    private final String name;
    private final boolean greet;
    private final ServerSocket server;
    private final Thread acceptor;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger resets = new AtomicInteger();
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile boolean reading = true;

    private EchoServer(String name, boolean greet) throws IOException {
        this.name = name;
        this.greet = greet;
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        this.acceptor = new Thread(this::acceptLoop, "test-echo-" + name + "-accept");
        acceptor.start();
    }

    /** Returns a started echo server on a free loopback port. */
    static EchoServer start(String name) throws IOException {
        return new EchoServer(name, false);
    }

    /** Returns a started echo server that first sends {@code "hello <name>\n"} on each connection. */
    static EchoServer greeting(String name) throws IOException {
        return new EchoServer(name, true);
    }

    int port() {
        return server.getLocalPort();
    }

    String name() {
        return name;
    }

    int accepted() {
        return accepted.get();
    }

    /** Makes new connections be accepted but never read, to test backpressure. */
    void stopReading() {
        reading = false;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            accepted.incrementAndGet();
            open.add(socket);
            Thread thread = new Thread(() -> serve(socket), "test-echo-" + name + "-conn");
            threads.add(thread);
            thread.start();
        }
    }

    private void serve(Socket socket) {
        try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
            if (greet) {
                out.write(("hello " + name + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
            if (!reading) {
                closing.await(); // hold the connection without reading until close()
                return;
            }
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
            }
            socket.shutdownOutput();
        } catch (SocketException e) {
            resets.incrementAndGet(); // reset by the peer or closed by close(): the connection is over
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            throw new IllegalStateException("echo " + name + " failed", e);
        } finally {
            open.remove(socket);
            threads.remove(Thread.currentThread());
        }
    }

    @Override
    public void close() throws IOException {
        closing.countDown();
        server.close();
        for (Socket socket : open) {
            socket.close();
        }
        try {
            acceptor.join(10_000);
            for (Thread thread : threads) {
                thread.join(10_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "echo " + name + " on " + port() + " (" + accepted() + " accepted, " + resets + " reset)";
    }
}
