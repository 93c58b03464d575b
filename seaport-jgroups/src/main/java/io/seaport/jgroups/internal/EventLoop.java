package io.seaport.jgroups.internal;

import io.seaport.SeaportException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The member's single event thread ({@code seaport-events-<member>}): every change to the
 * replica, every view and every subscription step runs here, one at a time, in submission order.
 *
 * <p>Design note. Ordering is the whole point: JGroups delivers one sender's messages in order and
 * the receiver enqueues them here in that order, and an own change is enqueued under the
 * own-changes lock in sequence-number order, so the replica sees every owner's stream in order.
 * Peers' messages wait in a queue bounded by their encoded size ({@link #executeBounded}); the
 * decoded objects take a few times that on the heap, so a member holds at most a few tens of MiB
 * of unapplied input however far behind it falls. A task that throws is logged and does not stop
 * the loop. Tasks submitted after
 * {@link #shutdown()} are dropped ({@link #execute}) or fail their future ({@link #submit}).
 * Thread-safe.
 */
final class EventLoop {
    private static final Logger LOG = LoggerFactory.getLogger(EventLoop.class);

    /** How long a caller waits for the event thread to apply its own change. */
    static final long LOCAL_APPLY_MILLIS = 30_000;
    /** How many bytes of peers' messages may wait for the event thread ({@link #executeBounded}). */
    static final int MAX_QUEUED_BYTES = 8 << 20;
    /** How often a blocked {@link #executeBounded} caller looks whether the loop was shut down. */
    private static final long ROOM_POLL_MILLIS = 100;

    private final String memberName;
    private final Supplier<String> closedMessage;
    private final ScheduledThreadPoolExecutor executor;
    private final int maxQueuedBytes;
    private final Semaphore room;
    private volatile Thread thread;

    EventLoop(String memberName, Supplier<String> closedMessage) {
        this(memberName, closedMessage, MAX_QUEUED_BYTES);
    }

    /** @param maxQueuedBytes how many bytes {@link #executeBounded} lets wait; tests make it small */
    EventLoop(String memberName, Supplier<String> closedMessage, int maxQueuedBytes) {
        this.memberName = memberName;
        this.maxQueuedBytes = maxQueuedBytes;
        this.room = new Semaphore(maxQueuedBytes);
        this.closedMessage = closedMessage;
        ThreadFactory named = Threads.named("seaport-events-" + memberName, true);
        this.executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread created = named.newThread(runnable);
            thread = created;
            return created;
        });
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        executor.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
    }

    /** Returns whether the calling thread is the event thread. */
    boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** Queues {@code task}; a failure is logged; dropped if the loop is shut down. */
    void execute(Runnable task) {
        try {
            executor.execute(() -> runLogged(task));
        } catch (RejectedExecutionException e) {
            LOG.debug("{}: task dropped, closing", memberName, e);
        }
    }

    /** Runs {@code task}, logging what it throws: a failed task does not stop the loop. */
    private void runLogged(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.error("{}: internal task failed", memberName, e);
        }
    }

    /**
     * Queues {@code task}, which holds a peer's message of {@code bytes} bytes, and blocks while
     * the messages already waiting hold {@link #MAX_QUEUED_BYTES} (a message larger than that
     * waits until the queue of messages is empty). Called on JGroups' receiving threads: a
     * blocked caller stops reading that sender's connection, so a member whose event thread falls
     * behind slows its senders down through TCP and JGroups' flow control instead of growing its
     * heap. Views and this member's own changes do not come through here, so they are never held
     * up. Returns without queueing if the loop is shut down, or if the caller is interrupted
     * (its interrupt status kept).
     */
    void executeBounded(int bytes, Runnable task) {
        int permits = Math.max(1, Math.min(bytes, maxQueuedBytes));
        try {
            while (!room.tryAcquire(permits, ROOM_POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                if (executor.isShutdown()) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.debug("{}: interrupted while waiting for room in the event queue; message dropped", memberName);
            return;
        }
        try {
            executor.execute(() -> {
                try {
                    runLogged(task);
                } finally {
                    room.release(permits);
                }
            });
        } catch (RejectedExecutionException e) {
            room.release(permits);
            LOG.debug("{}: task dropped, closing", memberName, e);
        }
    }

    /** Returns how many bytes of peers' messages wait for the event thread; for tests and statistics. */
    int queuedBytes() {
        return maxQueuedBytes - room.availablePermits();
    }

    /**
     * Runs {@code task} on the event thread (inline if already there); the future completes after
     * it, or fails with {@link IllegalStateException} if the loop is shut down.
     */
    CompletableFuture<Void> submit(Runnable task) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (inLoop()) {
            task.run();
            done.complete(null);
            return done;
        }
        try {
            executor.execute(() -> {
                try {
                    task.run();
                    done.complete(null);
                } catch (RuntimeException e) {
                    LOG.error("{}: internal task failed", memberName, e);
                    done.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            done.completeExceptionally(new IllegalStateException(closedMessage.get(), e));
        }
        return done;
    }

    /** Runs {@code task} every {@code periodMillis} on the event thread until shutdown; failures are logged. */
    void every(long periodMillis, String what, Runnable task) {
        executor.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("{}: {} failed", memberName, what, e);
            }
        }, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * Waits for {@code future} of a {@link #submit}ted task, at most {@link #LOCAL_APPLY_MILLIS}.
     *
     * @throws IllegalStateException if the loop was shut down before the task ran
     * @throws SeaportException if the task failed, the wait timed out or was interrupted
     */
    static void await(CompletableFuture<Void> future, String what) {
        try {
            future.get(LOCAL_APPLY_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SeaportException("interrupted while waiting to " + what, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IllegalStateException closedNow) {
                throw closedNow;
            }
            throw new SeaportException("failed to " + what, e.getCause());
        } catch (TimeoutException e) {
            throw new SeaportException("timed out after " + LOCAL_APPLY_MILLIS + " ms waiting to " + what, e);
        }
    }

    /** Stops taking tasks; the queued ones still run, the periodic ones stop. */
    void shutdown() {
        executor.shutdown();
    }

    /** Waits (bounded) for the loop to finish after {@link #shutdown()}. */
    void awaitTermination() {
        Threads.awaitTermination(executor, memberName);
    }
}
