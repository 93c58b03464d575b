package io.seaport.proxy.internal;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One selector thread: it owns a set of connections and everything about them (their keys,
 * buffers and deadlines), so connection state needs no locks. Other threads reach it only
 * through {@link #execute}, which queues a task and wakes the selector.
 *
 * <p>Design: {@code wakeupPending} avoids a wakeup system call per task when the loop is busy:
 * the loop clears it before checking the task queue and selecting, a producer sets it after
 * queueing and calls {@code wakeup()} only if it was clear, so a task queued after the check is
 * always followed by a wakeup.
 */
final class IoLoop implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(IoLoop.class);

    /** Reacts to a ready key; runs on the loop's thread and handles its own I/O errors. */
    interface Handler {
        void ready(SelectionKey key);
    }

    final Selector selector;
    final BufferPool buffers;
    private final Thread thread;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final Queue<Pipe> arrivals = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    private final PriorityQueue<Deadline> deadlines = new PriorityQueue<>();
    private final Set<Pipe> pipes = new HashSet<>();
    /** Connections handed to this loop and not closed yet, arrivals included; read by the acceptor. */
    private final AtomicInteger load = new AtomicInteger();
    private final Runnable onStop;
    private volatile boolean stopping;

    IoLoop(String name, BufferPool buffers, Runnable onStop) throws IOException {
        this.selector = Selector.open();
        this.buffers = buffers;
        this.onStop = onStop;
        this.thread = new Thread(this, name);
    }

    void start() {
        thread.start();
    }

    boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** Runs {@code task} on this loop's thread, soon; from any thread. */
    void execute(Runnable task) {
        tasks.add(task);
        wakeup();
    }

    /** Returns how many connections this loop holds or is about to; from any thread. */
    int load() {
        return load.get();
    }

    /** Hands a newly accepted connection to this loop; from any thread. */
    void adopt(Pipe pipe) {
        load.incrementAndGet();
        if (inLoop()) {
            pipe.start();
        } else {
            arrivals.add(pipe);
            wakeup();
        }
    }

    private void wakeup() {
        if (!inLoop() && wakeupPending.compareAndSet(false, true)) {
            selector.wakeup();
        }
    }

    /**
     * Runs {@code action} on this loop after {@code delayNanos}, unless the returned deadline is
     * cancelled first; loop thread only.
     */
    Deadline schedule(long delayNanos, Runnable action) {
        Deadline deadline = new Deadline(System.nanoTime() + delayNanos, action);
        deadlines.add(deadline);
        return deadline;
    }

    void opened(Pipe pipe) {
        pipes.add(pipe);
    }

    void closed(Pipe pipe) {
        pipes.remove(pipe);
        load.decrementAndGet();
    }

    @Override
    public void run() {
        try {
            while (!stopping) {
                wakeupPending.set(false);
                runTasks();
                long timeout = nextTimeoutMillis();
                if (!tasks.isEmpty() || !arrivals.isEmpty() || stopping) {
                    selector.selectNow(this::dispatch);
                } else {
                    selector.select(this::dispatch, timeout);
                }
                runDeadlines();
            }
        } catch (IOException | RuntimeException | Error e) {
            LOG.error("{} stopped by an unexpected error; its connections are closed", thread.getName(), e);
        } finally {
            shutdown();
        }
    }

    private void dispatch(SelectionKey key) {
        if (!key.isValid()) {
            return; // closed by an earlier key of the same round
        }
        try {
            ((Handler) key.attachment()).ready(key);
        } catch (RuntimeException e) {
            LOG.error("unexpected error on {}; closing it", key.attachment(), e);
            if (key.attachment() instanceof Pipe.Side side) {
                side.pipe().close();
            }
        }
    }

    private void runTasks() {
        Pipe pipe;
        while ((pipe = arrivals.poll()) != null) {
            pipe.start();
        }
        Runnable task;
        while ((task = tasks.poll()) != null) {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("task {} failed", task, e);
            }
        }
    }

    private long nextTimeoutMillis() {
        Deadline first = deadlines.peek();
        if (first == null) {
            return 0; // select(0) blocks until woken
        }
        long nanos = first.at - System.nanoTime();
        return nanos <= 0 ? 1 : Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos + 999_999));
    }

    private void runDeadlines() {
        if (deadlines.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        Deadline first;
        while ((first = deadlines.peek()) != null && first.at - now <= 0) {
            deadlines.poll();
            Runnable action = first.action;
            if (action == null) {
                continue; // cancelled
            }
            try {
                action.run();
            } catch (RuntimeException e) {
                LOG.error("deadline action {} failed", action, e);
            }
        }
    }

    /** Asks the loop to close its connections and end; from any thread. */
    void stop() {
        stopping = true;
        selector.wakeup();
    }

    /** Waits for the loop's thread to end; returns whether it did. */
    boolean await(Duration timeout) {
        try {
            thread.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !thread.isAlive();
    }

    private void shutdown() {
        stopping = true;
        for (Pipe pipe : new ArrayList<>(pipes)) {
            pipe.close();
        }
        Pipe pipe;
        while ((pipe = arrivals.poll()) != null) {
            pipe.close();
        }
        tasks.clear();
        deadlines.clear();
        try {
            onStop.run();
        } catch (RuntimeException e) {
            LOG.warn("closing {} failed", thread.getName(), e);
        }
        try {
            selector.close(); // deregisters the closed channels, which completes their close
        } catch (IOException e) {
            LOG.warn("closing the selector of {} failed", thread.getName(), e);
        }
    }

    @Override
    public String toString() {
        return thread.getName();
    }

    /**
     * An action due at a time on the loop's clock. Cancelling drops the action at once, so that
     * a deadline waiting in the queue does not keep its connection reachable; the entry itself
     * leaves the queue when its time comes.
     */
    static final class Deadline implements Comparable<Deadline> {
        final long at;
        private Runnable action;

        Deadline(long at, Runnable action) {
            this.at = at;
            this.action = action;
        }

        void cancel() {
            action = null;
        }

        @Override
        public int compareTo(Deadline other) {
            return Long.compare(at - other.at, 0);
        }
    }
}
