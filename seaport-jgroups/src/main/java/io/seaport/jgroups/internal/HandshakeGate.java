package io.seaport.jgroups.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds new connections until their first TLS record has arrived, without a thread per
 * connection, and enforces each connection's absolute deadline until its handshake ends.
 *
 * <p>Design note. A stranger can open connections and then send nothing, trickle bytes, or send
 * garbage. Until a connection's whole first record (the ClientHello) is here, nothing but this
 * gate's one thread looks at it: the thread polls every waiting connection with
 * {@link InputStream#available()}, which never blocks, every {@value #POLL_MILLIS} ms while any
 * is waiting, and reads only the bytes already there. A connection whose first bytes cannot
 * start a TLS handshake, or whose record header announces more than {@value #MAX_RECORD_BYTES}
 * bytes, is refused at once. At most {@value #MAX_WAITING} connections wait, at most
 * {@value #MAX_WAITING_PER_SOURCE} from one source address; a new connection over either limit
 * closes the oldest waiting one (of its own source, else of the source with the most waiting):
 * a flood cannot keep a key holder out, because the key holder's connection is the newest and
 * sends its ClientHello at once. Connections whose first record is complete go to the
 * handshake stage ({@code handshake} consumer), at most {@value #MAX_HANDSHAKES_PER_SOURCE} per
 * source address at a time. The gate closes any connection, waiting or handshaking, whose
 * deadline has passed.
 *
 * <p>Memory: at most {@value #MAX_WAITING} × ({@value #MAX_RECORD_BYTES} + 5) bytes of
 * buffers (about 9 MiB) plus the sockets themselves. Thread-safe; the state is guarded by
 * {@code this}.
 */
final class HandshakeGate {
    private static final Logger LOG = LoggerFactory.getLogger(HandshakeGate.class);

    /** How many connections may wait for their first record. */
    static final int MAX_WAITING = 512;
    /** How many connections from one source address may wait for their first record. */
    static final int MAX_WAITING_PER_SOURCE = 128;
    /** How many connections from one source address may be in the handshake stage (queued or running). */
    static final int MAX_HANDSHAKES_PER_SOURCE = 16;
    /** The longest first record accepted: TLS plaintext records carry at most 2^14 bytes. */
    static final int MAX_RECORD_BYTES = 16_384;
    /** How often waiting connections are polled. */
    static final long POLL_MILLIS = 5;

    private static final int HEADER_BYTES = 5;
    private static final int TLS_HANDSHAKE_RECORD = 0x16;

    private final long deadlineNanos;
    private final Consumer<Connection> handshake;
    private final Refusal refusal;
    private final ArrayDeque<Connection> waiting = new ArrayDeque<>();
    private final Map<String, Integer> waitingPerSource = new HashMap<>();
    private final Set<Connection> handshaking = new LinkedHashSet<>();
    private final Map<String, Integer> handshakingPerSource = new HashMap<>();
    private boolean closed;

    /** What the gate reports when it refuses a connection; called without the gate's lock. */
    interface Refusal {
        /** Called for a connection whose first bytes cannot start a TLS handshake ({@code first} the first byte). */
        void notTls(Connection connection, int first);

        /** Called for a connection refused for {@code reason} (a short phrase quoting what was seen). */
        void refused(Connection connection, String key, String reason);
    }

    /** A connection in the gate; its fields other than the first record are guarded by the gate. */
    static final class Connection {
        final Socket socket;
        final String source;
        final long deadline;
        private final byte[] header = new byte[HEADER_BYTES];
        private int headerRead;
        private byte[] record;
        private int recordRead;
        private volatile boolean expired;

        Connection(Socket socket, String source, long deadline) {
            this.socket = socket;
            this.source = source;
            this.deadline = deadline;
        }

        /** Returns the bytes read so far: the first record, header included. */
        byte[] firstRecord() {
            byte[] all = new byte[HEADER_BYTES + recordRead];
            System.arraycopy(header, 0, all, 0, HEADER_BYTES);
            System.arraycopy(record, 0, all, HEADER_BYTES, recordRead);
            return all;
        }

        /** Returns true if the gate closed this connection because its deadline passed. */
        boolean expired() {
            return expired;
        }

        /** Returns the nanoseconds left before the deadline (negative once passed). */
        long nanosLeft() {
            return deadline - System.nanoTime();
        }

        void close() {
            try {
                socket.close();
            } catch (IOException e) {
                LOG.debug("closing {} failed", socket, e);
            }
        }
    }

    HandshakeGate(long deadlineMillis, Consumer<Connection> handshake, Refusal refusal) {
        this.deadlineNanos = deadlineMillis * 1_000_000L;
        this.handshake = handshake;
        this.refusal = refusal;
    }

    /** Files a newly accepted connection, making room by closing the oldest waiting one if needed. */
    void add(Socket socket, String source) {
        Connection evicted = null;
        Connection connection = new Connection(socket, source, System.nanoTime() + deadlineNanos);
        synchronized (this) {
            if (closed) {
                connection.close();
                return;
            }
            if (waitingPerSource.getOrDefault(source, 0) >= MAX_WAITING_PER_SOURCE) {
                evicted = oldestOf(source);
            } else if (waiting.size() >= MAX_WAITING) {
                evicted = oldestOf(busiestSource());
            }
            if (evicted != null) {
                removeWaiting(evicted);
            }
            waiting.addLast(connection);
            waitingPerSource.merge(source, 1, Integer::sum);
            notifyAll();
        }
        if (evicted != null) {
            evicted.close();
            refusal.refused(evicted, "crowded", "closed to make room for newer connections: too many connections "
                    + "were waiting for their first TLS record");
        }
    }

    /** Marks the end of {@code connection}'s handshake stage; returns false if the gate closed it meanwhile. */
    synchronized boolean handshakeEnded(Connection connection) {
        boolean present = handshaking.remove(connection);
        if (present) {
            decrement(handshakingPerSource, connection.source);
        }
        return present && !closed;
    }

    /** Runs the gate until {@link #close()}: polls waiting connections and enforces deadlines. */
    void run() {
        List<Connection> snapshot = new ArrayList<>();
        while (true) {
            synchronized (this) {
                while (!closed && waiting.isEmpty() && handshaking.isEmpty()) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                if (closed) {
                    return;
                }
                snapshot.clear();
                snapshot.addAll(waiting);
            }
            List<Connection> complete = new ArrayList<>();
            List<Connection> bad = new ArrayList<>();
            for (Connection connection : snapshot) {
                switch (poll(connection)) {
                    case COMPLETE -> complete.add(connection);
                    case BAD -> bad.add(connection);
                    default -> { }
                }
            }
            List<Connection> toClose = new ArrayList<>();
            List<Connection> silent = new ArrayList<>();
            List<Connection> toHandshake = new ArrayList<>();
            List<Connection> overLimit = new ArrayList<>();
            synchronized (this) {
                for (Connection connection : complete) {
                    if (removeWaiting(connection)) {
                        if (handshakingPerSource.getOrDefault(connection.source, 0) >= MAX_HANDSHAKES_PER_SOURCE) {
                            overLimit.add(connection);
                        } else {
                            handshaking.add(connection);
                            handshakingPerSource.merge(connection.source, 1, Integer::sum);
                            toHandshake.add(connection);
                        }
                    }
                }
                for (Connection connection : bad) {
                    removeWaiting(connection);
                }
                long now = System.nanoTime();
                expire(waiting.iterator(), now, silent, waitingPerSource);
                expire(handshaking.iterator(), now, toClose, handshakingPerSource);
            }
            for (Connection connection : bad) {
                connection.close();
            }
            for (Connection connection : overLimit) {
                connection.close();
                refusal.refused(connection, "handshakes", "more than " + MAX_HANDSHAKES_PER_SOURCE
                        + " TLS handshakes from that address at once");
            }
            for (Connection connection : toClose) {
                connection.close(); // its handshake thread reports the timeout
            }
            for (Connection connection : silent) {
                connection.close();
                refusal.refused(connection, "timeout", "no TLS handshake within " + deadlineNanos / 1_000_000 + " ms");
            }
            for (Connection connection : toHandshake) {
                handshake.accept(connection);
            }
            synchronized (this) {
                if (!closed) {
                    try {
                        wait(POLL_MILLIS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
    }

    /** Closes every connection in the gate and stops {@link #run()}. Idempotent. */
    void close() {
        List<Connection> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(waiting);
            all.addAll(handshaking);
            waiting.clear();
            waitingPerSource.clear();
            handshaking.clear();
            handshakingPerSource.clear();
            notifyAll();
        }
        all.forEach(Connection::close);
    }

    /** Returns how many connections wait for their first record and how many are in the handshake stage. */
    synchronized int[] sizes() {
        return new int[] {waiting.size(), handshaking.size()};
    }

    private enum Progress { MORE, COMPLETE, BAD }

    /** Reads what has arrived on {@code connection} without blocking. Called by the gate thread only. */
    private Progress poll(Connection connection) {
        try {
            InputStream in = connection.socket.getInputStream();
            int available = in.available();
            while (available > 0 && connection.headerRead < HEADER_BYTES) {
                int n = in.read(connection.header, connection.headerRead,
                        Math.min(available, HEADER_BYTES - connection.headerRead));
                if (n < 0) {
                    return Progress.BAD;
                }
                available -= n;
                connection.headerRead += n;
                if (connection.headerRead >= 1 && (connection.header[0] & 0xff) != TLS_HANDSHAKE_RECORD) {
                    refusal.notTls(connection, connection.header[0] & 0xff);
                    return Progress.BAD;
                }
            }
            if (connection.headerRead < HEADER_BYTES) {
                return Progress.MORE;
            }
            if (connection.record == null) {
                int length = ((connection.header[3] & 0xff) << 8) | (connection.header[4] & 0xff);
                if (connection.header[1] != 3 || length == 0 || length > MAX_RECORD_BYTES) {
                    refusal.refused(connection, "garbage", String.format("its first TLS record header (%02x %02x "
                            + "%02x %02x %02x) announces %d bytes, not a ClientHello of at most %d",
                            connection.header[0], connection.header[1], connection.header[2], connection.header[3],
                            connection.header[4], length, MAX_RECORD_BYTES));
                    return Progress.BAD;
                }
                connection.record = new byte[length];
            }
            while (available > 0 && connection.recordRead < connection.record.length) {
                int n = in.read(connection.record, connection.recordRead,
                        Math.min(available, connection.record.length - connection.recordRead));
                if (n < 0) {
                    return Progress.BAD;
                }
                available -= n;
                connection.recordRead += n;
            }
            return connection.recordRead == connection.record.length ? Progress.COMPLETE : Progress.MORE;
        } catch (IOException e) {
            LOG.debug("TLS: connection {} failed before its first record: {}", connection.socket, e.toString());
            return Progress.BAD;
        }
    }

    private void expire(Iterator<Connection> connections, long now, List<Connection> toClose,
            Map<String, Integer> perSource) {
        while (connections.hasNext()) {
            Connection connection = connections.next();
            if (now - connection.deadline >= 0) {
                connections.remove();
                decrement(perSource, connection.source);
                connection.expired = true;
                toClose.add(connection);
            }
        }
    }

    private Connection oldestOf(String source) {
        for (Connection connection : waiting) {
            if (connection.source.equals(source)) {
                return connection;
            }
        }
        return waiting.peekFirst();
    }

    private String busiestSource() {
        String busiest = null;
        int most = -1;
        for (Map.Entry<String, Integer> entry : waitingPerSource.entrySet()) {
            if (entry.getValue() > most) {
                most = entry.getValue();
                busiest = entry.getKey();
            }
        }
        return busiest;
    }

    private boolean removeWaiting(Connection connection) {
        if (waiting.remove(connection)) {
            decrement(waitingPerSource, connection.source);
            return true;
        }
        return false;
    }

    private static void decrement(Map<String, Integer> counts, String source) {
        counts.computeIfPresent(source, (k, v) -> v <= 1 ? null : v - 1);
    }
}
