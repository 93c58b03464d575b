package io.seaport.jgroups.internal;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every TCP health check of one member on one thread ({@code seaport-health-tcp-<member>}):
 * non-blocking connects on one {@link Selector}, due probes taken in batches.
 *
 * <p>Design note. A blocking probe per scheduled task cost ~116 µs of CPU per probe in the health
 * benchmark (1,000 checks at 1 s: 11.6% of a core; docs/benchmarks.md): a pool thread woken and
 * parked again for every probe, and a timed blocking connect. Here one thread sleeps in
 * {@code select} until the earliest due probe or connect deadline, then starts every probe due
 * within {@link #BATCH_NANOS} at once. A probe passes when its connect completes (at once on
 * loopback, else on {@code OP_CONNECT}) and fails when it is refused, unreachable, or not complete
 * within the check's timeout; the connection is then closed normally. A reset ({@code SO_LINGER}
 * 0) would save the FIN exchange and TIME_WAIT, but made no consistent difference to CPU per probe
 * here (within 8% either way), and servers such as Python's {@code http.server} print a traceback
 * for every reset connection: the CLI's default check would fill their logs. At most
 * {@link #MAX_IN_FLIGHT} connects are outstanding, so a burst of due probes never floods one
 * backend's accept queue (an overflowing backlog drops SYNs, and the probes would time out on a
 * healthy service). A probe whose previous connect is still pending when it comes due again is
 * skipped, not doubled.
 *
 * <p>Results go to {@link Probe#probed} on this thread, which must not block. Thread-safe; the
 * schedule is guarded by {@code this}.
 */
final class TcpProber {
    private static final Logger LOG = LoggerFactory.getLogger(TcpProber.class);

    /** Probes due within this much of the first due one start together (saves wake-ups). */
    static final long BATCH_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /** At most this many connects are outstanding at once. */
    static final int MAX_IN_FLIGHT = 64;

    /** One TCP check: where to connect, how often, how long a connect may take, where the result goes. */
    interface Probe {
        /** Returns the address to connect to; called on the prober's thread before each probe. */
        InetSocketAddress address();

        /** Returns the time between probes, in nanoseconds. */
        long intervalNanos();

        /** Returns how long a connect may take, in nanoseconds. */
        long timeoutNanos();

        /** Takes one probe's result: {@code failure} is null if it passed. Must not block. */
        void probed(String failure);
    }

    private static final class Scheduled {
        final Probe probe;
        long due;
        boolean inFlight;
        volatile boolean cancelled;

        Scheduled(Probe probe, long due) {
            this.probe = probe;
            this.due = due;
        }
    }

    private record Pending(Scheduled scheduled, SocketChannel channel, long deadline) {
    }

    private final String memberName;
    private final Ticker ticker;
    private final Selector selector;
    private final Thread thread;
    private final PriorityQueue<Scheduled> schedule = new PriorityQueue<>(Comparator.comparingLong(s -> s.due));
    private final Queue<Scheduled> added = new ArrayDeque<>(); // guarded by this
    private final List<Pending> pending = new ArrayList<>(); // prober thread only
    private volatile boolean closed;

    TcpProber(String memberName, Ticker ticker) {
        this.memberName = memberName;
        this.ticker = ticker;
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector for TCP health checks", e);
        }
        this.thread = Threads.named("seaport-health-tcp-" + memberName, true).newThread(this::loop);
        thread.start();
    }

    /**
     * Starts probing {@code probe}: the first probe at once, then every interval.
     *
     * @return a handle that stops it
     */
    Runnable start(Probe probe) {
        Scheduled scheduled = new Scheduled(probe, ticker.read());
        synchronized (this) {
            added.add(scheduled);
        }
        selector.wakeup();
        return () -> {
            scheduled.cancelled = true;
            selector.wakeup();
        };
    }

    /** Stops the thread and closes every connection in flight; waits (bounded) for the thread. */
    void close() {
        closed = true;
        selector.wakeup();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("{}: the TCP health check thread did not stop within 5 s", memberName);
        }
    }

    private void loop() {
        try {
            while (!closed) {
                takeAdded();
                long now = ticker.read();
                startDue(now);
                expire(now);
                long wait = nextWakeup(now);
                if (wait > 0) {
                    selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait)));
                } else {
                    selector.selectNow();
                }
                finishConnected();
            }
        } catch (IOException | ClosedSelectorException e) {
            if (!closed) {
                LOG.error("{}: TCP health checks stopped: their selector failed", memberName, e);
            }
        } catch (RuntimeException | Error e) {
            LOG.error("{}: TCP health checks stopped by an internal error", memberName, e);
            throw e;
        } finally {
            pending.forEach(p -> closeQuietly(p.channel()));
            pending.clear();
            closeQuietly(selector);
        }
    }

    private void takeAdded() {
        synchronized (this) {
            schedule.addAll(added);
            added.clear();
        }
    }

    private void startDue(long now) {
        while (!schedule.isEmpty() && pending.size() < MAX_IN_FLIGHT) {
            Scheduled next = schedule.peek();
            if (next.cancelled) {
                schedule.poll();
                continue;
            }
            if (next.due - now > BATCH_NANOS) {
                return;
            }
            schedule.poll();
            // Fixed rate, as ScheduledExecutorService: the next slot follows this one, or now if far behind.
            next.due = Math.max(next.due + next.probe.intervalNanos(), now);
            schedule.add(next);
            if (!next.inFlight) {
                connect(next, now);
            }
        }
    }

    private void connect(Scheduled scheduled, long now) {
        SocketChannel channel = null;
        try {
            InetSocketAddress address = scheduled.probe.address();
            if (address.isUnresolved()) {
                report(scheduled, "cannot resolve host '" + address.getHostString() + "'");
                return;
            }
            channel = SocketChannel.open();
            channel.configureBlocking(false);
            if (channel.connect(address) || channel.finishConnect()) {
                closeQuietly(channel);
                report(scheduled, null);
                return;
            }
            channel.register(selector, SelectionKey.OP_CONNECT, scheduled);
            scheduled.inFlight = true;
            pending.add(new Pending(scheduled, channel, now + scheduled.probe.timeoutNanos()));
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                closeQuietly(channel);
            }
            report(scheduled, e.toString());
        }
    }

    private void finishConnected() {
        Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
        while (keys.hasNext()) {
            SelectionKey key = keys.next();
            keys.remove();
            Scheduled scheduled = (Scheduled) key.attachment();
            SocketChannel channel = (SocketChannel) key.channel();
            key.cancel();
            String failure = null;
            try {
                if (!channel.finishConnect()) {
                    continue; // not yet: spurious readiness; the deadline still applies
                }
            } catch (IOException e) {
                failure = e.toString();
            }
            removePending(channel);
            scheduled.inFlight = false;
            closeQuietly(channel);
            report(scheduled, failure);
        }
    }

    private void expire(long now) {
        Iterator<Pending> each = pending.iterator();
        while (each.hasNext()) {
            Pending p = each.next();
            if (now - p.deadline() >= 0 || p.scheduled().cancelled) {
                each.remove();
                closeQuietly(p.channel());
                p.scheduled().inFlight = false;
                if (!p.scheduled().cancelled) {
                    report(p.scheduled(), "connect timed out after "
                            + TimeUnit.NANOSECONDS.toMillis(p.scheduled().probe.timeoutNanos()) + " ms");
                }
            }
        }
    }

    private void removePending(SocketChannel channel) {
        pending.removeIf(p -> p.channel() == channel);
    }

    /** Returns nanoseconds until the next due probe or connect deadline (0: now; capped at 1 s). */
    private long nextWakeup(long now) {
        long wait = TimeUnit.SECONDS.toNanos(1);
        Scheduled next = schedule.peek();
        if (next != null && pending.size() < MAX_IN_FLIGHT) {
            wait = Math.min(wait, next.due - now);
        }
        for (Pending p : pending) {
            wait = Math.min(wait, p.deadline() - now);
        }
        return Math.max(0, wait);
    }

    private void report(Scheduled scheduled, String failure) {
        if (scheduled.cancelled) {
            return;
        }
        try {
            scheduled.probe.probed(failure);
        } catch (RuntimeException e) {
            LOG.error("{}: a TCP health check could not take its result", memberName, e);
        }
    }

    private void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException e) {
            LOG.debug("{}: closing a health probe's socket failed", memberName, e);
        }
    }
}
