package io.seaport.proxy.internal;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One proxied connection: a client, the service it was sent to, and the bytes between them.
 * Every method runs on the owning loop's thread, except {@link #wake()}.
 *
 * <p>Design: life is WAITING (no matching service yet) or CONNECTING (one candidate at a time,
 * each with the connect timeout) then OPEN, then CLOSED. While OPEN each side is read only when
 * the bytes read from it before have all been written to the other side: a buffer is taken from
 * the loop's pool for a read, and goes back as soon as it is written out, so at most one buffer
 * per direction is held and only while the receiver is slower than the sender (backpressure
 * through TCP flow control instead of memory). End of stream from one side becomes
 * {@code shutdownOutput} on the other once its buffer is drained; the connection closes when both
 * directions have ended, or at once on any error. Before OPEN the client is read once, up to one
 * buffer or its end of stream, so that its first bytes are sent as soon as the service is reached
 * and a client that resets before sending anything is let go at once.
 */
final class Pipe {
    private static final Logger LOG = LoggerFactory.getLogger(Pipe.class);
    private static final int WAITING = 0;
    private static final int CONNECTING = 1;
    private static final int OPEN = 2;
    private static final int CLOSED = 3;
    /** Reads per readiness before yielding to other connections of the loop. */
    private static final int READS_PER_TURN = 8;

    private final ProxyServer server;
    private final IoLoop loop;
    private final Side client;
    private Side backend;
    private int state = WAITING;
    private IoLoop.Deadline deadline; // the wait or connect timeout running now, if any
    private long waitUntil;
    private List<Backend> candidates;
    private int nextCandidate;
    private Backend current;

    Pipe(ProxyServer server, IoLoop loop, SocketChannel client) {
        this.server = server;
        this.loop = loop;
        this.client = new Side(this, client, true);
    }

    /** Registers the client and looks for a service; on the loop's thread. */
    void start() {
        if (state == CLOSED) {
            return;
        }
        loop.opened(this);
        try {
            // read while waiting or connecting too: one buffer of the request, and a reset is seen at once
            client.key = client.channel.register(loop.selector, SelectionKey.OP_READ, client);
            client.interest = SelectionKey.OP_READ;
        } catch (IOException e) {
            LOG.debug("cannot register client {}", client, e);
            close();
            return;
        }
        connectOrWait();
    }

    private void connectOrWait() {
        List<Backend> found = server.backends.candidates();
        if (found.isEmpty()) {
            await();
            return;
        }
        candidates = found;
        nextCandidate = 0;
        tryNext();
    }

    private void await() {
        long now = System.nanoTime();
        if (waitUntil == 0) {
            waitUntil = now + server.waitNanos;
        }
        long left = waitUntil - now;
        if (left <= 0) {
            unserved("no service matching '" + server.range() + "' registered within the wait timeout");
            return;
        }
        state = WAITING;
        cancelDeadline();
        deadline = loop.schedule(left, this::waitExpired);
        server.backends.await(this);
    }

    /** Called by the registry's event thread when a service registers while this waits. */
    void wake() {
        loop.execute(() -> {
            if (state == WAITING) {
                connectOrWait();
            }
        });
    }

    private void waitExpired() {
        deadline = null;
        if (state == WAITING) {
            server.backends.cancelWait(this);
            unserved("no service matching '" + server.range() + "' registered within the wait timeout");
        }
    }

    private void tryNext() {
        while (nextCandidate < candidates.size()) {
            Backend candidate = candidates.get(nextCandidate++);
            if (!server.backends.isLive(candidate)) {
                continue; // left the registry after this connection's candidates were taken
            }
            current = candidate;
            try {
                SocketChannel channel = SocketChannel.open();
                backend = new Side(this, channel, false); // from here connectFailed() closes it
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                // On loopback and near hosts the handshake is often done by the time connect() returns
                // EINPROGRESS: asking at once (a poll that does not block) saves a round of the selector,
                // its OP_CONNECT registration and the connect deadline, and sees a refusal at once.
                if (channel.connect(candidate.address()) || channel.finishConnect()) {
                    opened();
                    return;
                }
                state = CONNECTING;
                backend.key = channel.register(loop.selector, SelectionKey.OP_CONNECT, backend);
                cancelDeadline();
                deadline = loop.schedule(server.connectNanos, this::connectExpired);
                return;
            } catch (IOException | RuntimeException e) {
                // RuntimeException: UnresolvedAddressException and kin for a bad host name
                connectFailed(e);
            }
        }
        if (current == null) {
            connectOrWait(); // every candidate left before any was tried: look again, or wait
            return;
        }
        unserved("every service matching '" + server.range() + "' failed");
    }

    private void finishConnect() {
        try {
            if (backend.channel.finishConnect()) {
                opened();
            }
        } catch (IOException e) {
            connectFailed(e);
            tryNext();
        }
    }

    private void connectExpired() {
        deadline = null;
        if (state == CONNECTING) {
            connectFailed(new SocketTimeoutException("connect timed out after "
                    + server.connectNanos / 1_000_000 + " ms"));
            tryNext();
        }
    }

    private void connectFailed(Exception e) {
        server.counters.failedConnects.increment();
        server.backends.failed(current, e);
        LOG.debug("connect to {} failed for {}: {}", current, client, e.toString());
        if (backend != null) {
            closeQuietly(backend.channel);
            backend = null;
        }
        cancelDeadline();
    }

    private void opened() throws IOException {
        if (backend.key == null) {
            backend.key = backend.channel.register(loop.selector, SelectionKey.OP_READ, backend);
        } else {
            backend.key.interestOps(SelectionKey.OP_READ);
        }
        backend.interest = SelectionKey.OP_READ;
        state = OPEN;
        cancelDeadline();
        server.backends.succeeded(current);
        candidates = null;
        client.peer = backend;
        backend.peer = client;
        LOG.debug("{} connected to {}", client, current);
        try {
            // bytes (and end of stream) the client sent before the service was reached
            if (client.pending != null) {
                backend.channel.write(client.pending);
                if (!client.pending.hasRemaining()) {
                    loop.buffers.release(client.pending);
                    client.pending = null;
                }
            }
            if (client.eof && client.pending == null) {
                backend.channel.shutdownOutput();
            } else if (client.pending == null) {
                // Speculative read, as haproxy does: a client usually sends its request right after its
                // connect returns, so it is likely here already; reading now saves a round of the selector.
                readFrom(client);
            }
            updateInterest(client);
            updateInterest(backend);
        } catch (IOException e) {
            // not a connect failure: bytes may have gone to this service, so no other may be tried
            LOG.debug("{} failed right after connecting", this, e);
            abort();
        }
    }

    /**
     * Reads what the client sends before a service is reached: at most one buffer, then the
     * client is not read until the service is; end of stream is kept and passed on then.
     */
    private void readEarly() throws IOException {
        ByteBuffer buffer = loop.buffers.take();
        int n;
        try {
            n = client.channel.read(buffer);
        } catch (IOException e) {
            loop.buffers.release(buffer);
            throw e;
        }
        if (n > 0) {
            server.counters.bytesToServices.add(n);
            buffer.flip();
            client.pending = buffer;
        } else {
            loop.buffers.release(buffer);
            client.eof = n < 0;
        }
        if (n != 0) {
            client.key.interestOps(0);
            client.interest = 0;
        }
    }

    private void ready(Side side, int ops) {
        try {
            if (state != OPEN) {
                if (side == client && (ops & SelectionKey.OP_READ) != 0 && state != CLOSED) {
                    readEarly();
                }
                if (state == CONNECTING && side == backend && (ops & SelectionKey.OP_CONNECT) != 0) {
                    finishConnect();
                }
                return;
            }
            if ((ops & SelectionKey.OP_WRITE) != 0) {
                drainInto(side);
            }
            if ((ops & SelectionKey.OP_READ) != 0 && side.pending == null && !side.eof) {
                readFrom(side);
            }
            if (client.eof && backend.eof && client.pending == null && backend.pending == null) {
                close();
                return;
            }
            updateInterest(client);
            updateInterest(backend);
        } catch (IOException e) {
            LOG.debug("{} failed; closing both sides", this, e);
            abort();
        }
    }

    private void readFrom(Side source) throws IOException {
        Side target = source.peer;
        for (int turn = 0; turn < READS_PER_TURN; turn++) {
            ByteBuffer buffer = loop.buffers.take();
            int n;
            try {
                n = source.channel.read(buffer);
            } catch (IOException e) {
                loop.buffers.release(buffer);
                throw e;
            }
            if (n <= 0) {
                loop.buffers.release(buffer);
                if (n < 0) {
                    source.eof = true;
                    target.channel.shutdownOutput();
                }
                return;
            }
            (source == client ? server.counters.bytesToServices : server.counters.bytesToClients).add(n);
            buffer.flip();
            source.pending = buffer; // owned by the connection from here, released by close() on error
            target.channel.write(buffer);
            if (buffer.hasRemaining()) {
                return; // the target is slower: stop reading the source until this is drained
            }
            source.pending = null;
            loop.buffers.release(buffer);
            if (n < buffer.capacity()) {
                return; // the socket had less than a buffer: likely drained
            }
        }
    }

    private void drainInto(Side target) throws IOException {
        Side source = target.peer;
        ByteBuffer buffer = source.pending;
        if (buffer == null) {
            return;
        }
        target.channel.write(buffer);
        if (!buffer.hasRemaining()) {
            source.pending = null; // the source is read again (end of stream is only seen then)
            loop.buffers.release(buffer);
        }
    }

    private static void updateInterest(Side side) {
        int want = (side.eof || side.pending != null ? 0 : SelectionKey.OP_READ)
                | (side.peer.pending != null ? SelectionKey.OP_WRITE : 0);
        if (want != side.interest) {
            side.key.interestOps(want);
            side.interest = want;
        }
    }

    private void unserved(String why) {
        server.counters.unserved.increment();
        LOG.debug("closing {}: {}", client, why);
        close();
    }

    /** Closes both sides with a reset, so that neither mistakes a broken stream for a complete one. */
    private void abort() {
        lingerZero(client.channel);
        if (backend != null) {
            lingerZero(backend.channel);
        }
        close();
    }

    /** Closes both sides and gives back the buffers; idempotent; on the loop's thread. */
    void close() {
        if (state == CLOSED) {
            return;
        }
        if (state == WAITING) {
            server.backends.cancelWait(this);
        }
        state = CLOSED;
        cancelDeadline();
        closeQuietly(client.channel);
        release(client);
        if (backend != null) {
            closeQuietly(backend.channel);
            release(backend);
        }
        loop.closed(this);
        server.pipeClosed();
    }

    private void cancelDeadline() {
        if (deadline != null) {
            deadline.cancel();
            deadline = null;
        }
    }

    private void release(Side side) {
        if (side.pending != null) {
            loop.buffers.release(side.pending);
            side.pending = null;
        }
    }

    private static void lingerZero(SocketChannel channel) {
        try {
            channel.setOption(StandardSocketOptions.SO_LINGER, 0);
        } catch (IOException e) {
            LOG.trace("cannot set SO_LINGER on {}", channel, e); // already closed: nothing to reset
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("closing {} failed", channel, e);
        }
    }

    @Override
    public String toString() {
        return "connection from " + client + (current != null && state == OPEN ? " to " + current : "");
    }

    /** One end of the connection, attached to its selection key. */
    static final class Side implements IoLoop.Handler {
        private final Pipe pipe;
        final SocketChannel channel;
        private final boolean isClient;
        SelectionKey key;
        Side peer;
        /** Bytes read from this side not yet written to the peer; null when none. */
        ByteBuffer pending;
        /** This side sent end of stream. */
        boolean eof;
        int interest;

        Side(Pipe pipe, SocketChannel channel, boolean isClient) {
            this.pipe = pipe;
            this.channel = channel;
            this.isClient = isClient;
        }

        Pipe pipe() {
            return pipe;
        }

        @Override
        public void ready(SelectionKey key) {
            pipe.ready(this, key.readyOps());
        }

        @Override
        public String toString() {
            try {
                return (isClient ? "client " : "service ") + channel.getRemoteAddress();
            } catch (IOException e) {
                return isClient ? "client (closed)" : "service (closed)";
            }
        }
    }
}
