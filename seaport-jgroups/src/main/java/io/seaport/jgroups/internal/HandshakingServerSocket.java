package io.seaport.jgroups.internal;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.security.cert.CertificateException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server socket whose {@link #accept()} returns only connections that completed the TLS
 * handshake (as server, client certificate required), and refuses and logs, with the reason,
 * every connection whose handshake fails: a plaintext member, a peer without a trusted
 * certificate, a peer that does not trust ours, garbage, silence.
 *
 * <p>Design note. JGroups calls {@link #accept()} on its single acceptor thread, so that thread
 * must never wait on a stranger. This socket's own acceptor thread takes connections from the
 * listening socket and files them in a {@link HandshakeGate}, which holds them, with no thread
 * each, until their first TLS record is complete; then one of at most {@value #HANDSHAKE_THREADS}
 * handshake threads (created on demand, gone when idle) runs the handshake with the rest of the
 * connection's time; a handshaken connection waits in a queue of {@value #READY_CAPACITY} for
 * JGroups' acceptor. Every connection has one absolute deadline, {@value #HANDSHAKE_TIMEOUT_MILLIS}
 * ms from its accept, enforced by the gate whatever stage it is in. {@link #close()} closes the
 * listening socket and every connection not yet handed to JGroups, and stops the threads.
 * Thread-safe.
 */
final class HandshakingServerSocket extends ServerSocket {
    private static final Logger LOG = LoggerFactory.getLogger(HandshakingServerSocket.class);

    /** How long a connecting peer has, from its accept, to complete the handshake. */
    static final int HANDSHAKE_TIMEOUT_MILLIS = 10_000;
    /** How many handshakes run at once. */
    static final int HANDSHAKE_THREADS = 4;
    /** How many connections with a complete first record may wait for a handshake thread. */
    static final int HANDSHAKE_QUEUE = 32;
    /** How many handshaken connections may wait for JGroups' acceptor. */
    static final int READY_CAPACITY = 64;

    private static final AtomicInteger SERIAL = new AtomicInteger();
    private static final Socket CLOSED = new Socket();

    private final SSLSocketFactory layer;
    private final SSLParameters parameters;
    private final TlsRefusals refusals;
    private final HandshakeGate gate;
    private final ThreadPoolExecutor handshakes;
    private final BlockingQueue<Socket> ready = new ArrayBlockingQueue<>(READY_CAPACITY);
    private final CountDownLatch closing = new CountDownLatch(1);
    private final String name = "seaport-tls-" + SERIAL.incrementAndGet();
    private volatile int acceptTimeout;
    private Thread acceptor;
    private Thread gateThread;

    HandshakingServerSocket(SSLSocketFactory layer, SSLParameters parameters, TlsRefusals refusals) throws IOException {
        this.layer = layer;
        this.parameters = parameters;
        this.refusals = refusals;
        this.gate = new HandshakeGate(HANDSHAKE_TIMEOUT_MILLIS, this::submit, new HandshakeGate.Refusal() {
            @Override
            public void notTls(HandshakeGate.Connection connection, int first) {
                HandshakingServerSocket.this.notTls(connection.socket.getRemoteSocketAddress(), first);
            }

            @Override
            public void refused(HandshakeGate.Connection connection, String key, String reason) {
                SocketAddress peer = connection.socket.getRemoteSocketAddress();
                refusals.refused(host(peer) + "|" + key, "TLS: refused a connection from {}: {}", peer, reason);
            }
        });
        ThreadFactory threads = task -> {
            Thread thread = new Thread(task, name + "-handshake");
            thread.setDaemon(true);
            return thread;
        };
        this.handshakes = new ThreadPoolExecutor(HANDSHAKE_THREADS, HANDSHAKE_THREADS, 10, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(HANDSHAKE_QUEUE), threads);
        this.handshakes.allowCoreThreadTimeOut(true);
    }

    @Override
    public void bind(SocketAddress endpoint, int backlog) throws IOException {
        super.bind(endpoint, backlog);
        synchronized (this) {
            if (acceptor == null) {
                acceptor = daemon(this::acceptLoop, name + "-acceptor");
                gateThread = daemon(gate::run, name + "-gate");
            }
        }
    }

    /** Returns the next connection that completed its handshake; never waits on a stranger. */
    @Override
    public Socket accept() throws IOException {
        int timeout = acceptTimeout;
        Socket socket;
        try {
            socket = timeout > 0 ? ready.poll(timeout, TimeUnit.MILLISECONDS) : ready.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SocketException("interrupted while accepting");
        }
        if (socket == null) {
            throw new SocketTimeoutException("no TLS connection within " + timeout + " ms");
        }
        if (socket == CLOSED || isClosed()) {
            ready.offer(CLOSED); // for any other thread in accept()
            closeQuietly(socket == CLOSED ? null : socket);
            throw new SocketException("Socket is closed");
        }
        return socket;
    }

    @Override
    public void setSoTimeout(int timeout) throws SocketException {
        if (timeout < 0) {
            throw new IllegalArgumentException("timeout must not be negative: " + timeout);
        }
        acceptTimeout = timeout; // the listening socket itself is read by this socket's acceptor thread only
    }

    @Override
    public int getSoTimeout() {
        return acceptTimeout;
    }

    /** Closes the listening socket and every connection not yet accepted, ending their handshakes. */
    @Override
    public void close() throws IOException {
        try {
            super.close();
        } finally {
            closing.countDown();
            gate.close();
            handshakes.shutdownNow();
            for (Socket socket; (socket = ready.poll()) != null; ) {
                closeQuietly(socket == CLOSED ? null : socket);
            }
            ready.offer(CLOSED);
        }
    }

    /** Returns how many connections wait for their first record and how many are in a handshake (for tests). */
    int[] inProgress() {
        return gate.sizes();
    }

    /** Returns the prefix of the names of this socket's threads (for tests). */
    String threadPrefix() {
        return name;
    }

    private void acceptLoop() {
        while (!isClosed()) {
            Socket plain;
            try {
                plain = super.accept();
            } catch (IOException e) {
                if (isClosed()) {
                    return;
                }
                // e.g. too many open files: say so (limited), and do not spin
                refusals.refused("accept|" + e.getClass().getName(), "TLS: accepting a connection failed: {}",
                        e.toString());
                try {
                    if (closing.await(100, TimeUnit.MILLISECONDS)) {
                        return;
                    }
                } catch (InterruptedException interrupted) {
                    return;
                }
                continue;
            }
            gate.add(plain, host(plain.getRemoteSocketAddress()));
        }
    }

    private void submit(HandshakeGate.Connection connection) {
        try {
            handshakes.execute(() -> handshake(connection));
        } catch (RejectedExecutionException e) {
            gate.handshakeEnded(connection);
            connection.close();
            if (!isClosed()) {
                refusals.refused(connection.source + "|busy", "TLS: refused a connection from {}: {} handshakes "
                        + "are running and {} waiting", connection.socket.getRemoteSocketAddress(), HANDSHAKE_THREADS,
                        HANDSHAKE_QUEUE);
            }
        }
    }

    private void handshake(HandshakeGate.Connection connection) {
        Socket plain = connection.socket;
        SocketAddress peer = plain.getRemoteSocketAddress();
        SSLSocket tls = null;
        try {
            long left = connection.nanosLeft() / 1_000_000;
            if (left <= 0) {
                throw new SocketTimeoutException("deadline passed while waiting for a handshake thread");
            }
            plain.setSoTimeout((int) Math.min(left, HANDSHAKE_TIMEOUT_MILLIS));
            // hand the record read back to the TLS layer, which parses it from its start
            tls = (SSLSocket) layer.createSocket(plain, new ByteArrayInputStream(connection.firstRecord()), true);
            tls.setUseClientMode(false);
            tls.setSSLParameters(parameters);
            tls.startHandshake();
            tls.setSoTimeout(0);
            if (!gate.handshakeEnded(connection)) {
                throw new SocketTimeoutException("closed during the handshake");
            }
            long wait = Math.max(1, connection.nanosLeft() / 1_000_000);
            if (!ready.offer(tls, wait, TimeUnit.MILLISECONDS) || isClosed()) {
                closeQuietly(tls);
                ready.remove(tls);
            }
        } catch (IOException e) {
            gate.handshakeEnded(connection);
            if (connection.expired()) {
                refusals.refused(host(peer) + "|timeout", "TLS: refused a connection from {}: no TLS handshake "
                        + "within {} ms", peer, HANDSHAKE_TIMEOUT_MILLIS);
            } else if (!isClosed()) {
                refused(peer, e);
            }
            closeQuietly(tls != null ? tls : plain);
        } catch (InterruptedException e) {
            gate.handshakeEnded(connection);
            closeQuietly(tls != null ? tls : plain);
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            gate.handshakeEnded(connection);
            closeQuietly(tls != null ? tls : plain);
            LOG.warn("TLS: handshake with {} failed unexpectedly", peer, e);
        }
    }

    private static Thread daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private void notTls(SocketAddress peer, int first) {
        if (first < 0) {
            LOG.debug("TLS: connection from {} closed before sending anything (a port probe?)", peer);
        } else if (first == 'b') {
            refusals.refused(host(peer) + "|plaintext", "TLS: refused a plaintext (non-TLS) connection from {}: it "
                    + "looks like a JGroups or Seaport member configured without TLS", peer);
        } else {
            refusals.refused(host(peer) + "|plaintext", "TLS: refused a plaintext (non-TLS) connection from {}: its "
                    + "first byte 0x{} does not start a TLS handshake", peer, Integer.toHexString(first));
        }
    }

    private static String host(SocketAddress peer) {
        return peer instanceof InetSocketAddress address && address.getAddress() != null
                ? address.getAddress().getHostAddress() : String.valueOf(peer);
    }

    private void refused(SocketAddress peer, IOException e) {
        String host = host(peer);
        if (causedBy(e, CertificateException.class)) {
            // RefusalLoggingTrustManager has logged the certificate and the reason
            LOG.debug("TLS: refused connection from {}: {}", peer, e.toString());
            return;
        }
        String message = String.valueOf(e.getMessage());
        if (message.contains("Unsupported or unrecognized SSL message") || message.contains("plaintext")) {
            refusals.refused(host + "|plaintext", "TLS: refused a plaintext (non-TLS) connection from {}: is that "
                    + "member configured without TLS, or is it not a Seaport member?", peer);
        } else if (causedBy(e, SocketTimeoutException.class)) {
            refusals.refused(host + "|timeout", "TLS: refused a connection from {}: no TLS handshake within {} ms",
                    peer, HANDSHAKE_TIMEOUT_MILLIS);
        } else if (message.contains("Empty client certificate chain") || message.contains("certificate_required")) {
            refusals.refused(host + "|nocert", "TLS: refused a connection from {}: it sent no certificate", peer);
        } else if (causedBy(e, EOFException.class) || message.contains("terminated the handshake")
                || message.contains("certificate_unknown") || message.contains("bad_certificate")) {
            refusals.refused(host + "|distrusts", "TLS: connection from {} ended during the handshake: that peer "
                    + "probably does not trust this member's certificate ({})", peer, message);
        } else {
            refusals.refused(host + "|other", "TLS: refused a connection from {}: {}", peer, e.toString());
        }
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static void closeQuietly(Socket socket) {
        if (socket == null) {
            return;
        }
        try {
            socket.close();
        } catch (IOException e) {
            LOG.debug("closing a refused connection failed", e);
        }
    }

    /** Returns a server socket factory making {@link HandshakingServerSocket}s, unbound unless asked. */
    static javax.net.ServerSocketFactory factory(SSLSocketFactory layer, SSLParameters parameters,
            TlsRefusals refusals) {
        return new javax.net.ServerSocketFactory() {
            @Override
            public ServerSocket createServerSocket() throws IOException {
                return new HandshakingServerSocket(layer, parameters, refusals);
            }

            @Override
            public ServerSocket createServerSocket(int port) throws IOException {
                return createServerSocket(port, 50, null);
            }

            @Override
            public ServerSocket createServerSocket(int port, int backlog) throws IOException {
                return createServerSocket(port, backlog, null);
            }

            @Override
            public ServerSocket createServerSocket(int port, int backlog, InetAddress address) throws IOException {
                ServerSocket socket = createServerSocket();
                try {
                    socket.bind(new InetSocketAddress(address, port), backlog);
                    return socket;
                } catch (IOException e) {
                    socket.close();
                    throw e;
                }
            }
        };
    }
}
