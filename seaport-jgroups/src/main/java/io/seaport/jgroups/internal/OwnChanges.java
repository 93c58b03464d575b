package io.seaport.jgroups.internal;

import io.seaport.Health;
import io.seaport.SeaportException;
import io.seaport.internal.Limits;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This member's own entries and its stream of changes to them: changes are queued by any thread,
 * and the event loop sends what is queued in one message (a {@link WireMessage.Batch}, a plain
 * PUT or FREE for a lone change, a HEALTH for a change of health) and applies it to the local
 * replica, numbered in one order.
 *
 * <p>Design note (group commit). A change is queued under {@code lock}, which also updates
 * {@code entries}, the member's entries as its callers see them (queued changes included), so
 * limits and frees see every earlier call at once. The first change queued into an empty queue
 * schedules a {@link #flush} on this member's sender thread ({@code seaport-send-*}): the flush
 * takes everything queued and numbers it under {@code lock}, then multicasts it with only
 * {@code sendLock} held (one order on the wire, the numbers and the calls), and hands the sent
 * messages to the event loop, which applies them to the local replica and completes the waiting
 * futures. So neither callers (they only need {@code lock}, never held across a send) nor the
 * event loop wait while JGroups' flow control holds a send back. While one flush sends, new
 * changes pile up for the next: the busier the callers, the bigger the batches. A snapshot is
 * copied under {@code lock} with the changes numbered so far, so it matches the number it
 * carries, and is sent by {@link SnapshotSender} outside the lock. Futures of {@link #putAsync}
 * complete on {@code completions} (user code may be chained to them and must never run on the
 * event thread); those of the blocking calls complete on the event thread, which only wakes the
 * waiting caller. Lock order: {@code sendLock}, then {@code lock}. Thread-safe.
 */
final class OwnChanges {
    private static final Logger LOG = LoggerFactory.getLogger(OwnChanges.class);

    /** The most changes sent in one message; more queued changes go in several messages of one flush. */
    static final int MAX_BATCH = 4096;

    /**
     * A queued change: a put of {@code put}, a free of {@code id} (put and health null) or a health
     * change of {@code id} to {@code health}, and the entry it replaced.
     */
    private record Pending(Entry put, String id, Health health, Entry previous, CompletableFuture<Void> done,
                           boolean async) {
        static Pending put(Entry entry, Entry previous, CompletableFuture<Void> done, boolean async) {
            return new Pending(entry, entry.id(), null, previous, done, async);
        }

        static Pending free(String id, Entry previous, CompletableFuture<Void> done, boolean async) {
            return new Pending(null, id, null, previous, done, async);
        }

        WireMessage.Change change() {
            return put != null ? WireMessage.Change.put(put) : WireMessage.Change.free(id);
        }
    }

    /** A message sent, and how many queued changes it carries. */
    private record Sent(WireMessage message, int changes) {
    }

    private final String memberName;
    private final String host;
    private final long incarnation;
    private final Outbox outbox;
    private final EventLoop loop;
    private final Consumer<WireMessage> applyLocally;
    private final Executor completions;
    private final Supplier<String> closedMessage;
    private final Object lock = new Object();
    private final Object sendLock = new Object(); // held while numbering and sending: one order on the wire
    private final ExecutorService sender;
    private final Map<String, Entry> entries = new LinkedHashMap<>(); // guarded by lock
    private List<Pending> queued = new ArrayList<>(); // guarded by lock
    private boolean flushScheduled; // guarded by lock
    private long seq; // guarded by lock: the number of the last change taken for sending
    private boolean closed; // guarded by lock

    /**
     * @param sender the single thread that sends; this stream shuts it down when it closes
     * @param applyLocally applies an own message to the local replica; called on the event thread
     * @param completions runs the completion of {@link #putAsync} futures, in order
     */
    OwnChanges(String memberName, String host, long incarnation, Outbox outbox, EventLoop loop,
               ExecutorService sender, Consumer<WireMessage> applyLocally, Executor completions, Supplier<String> closedMessage) {
        this.memberName = memberName;
        this.host = host;
        this.incarnation = incarnation;
        this.outbox = outbox;
        this.loop = loop;
        this.applyLocally = applyLocally;
        this.completions = completions;
        this.closedMessage = closedMessage;
        this.sender = sender;
    }

    /**
     * Publishes or replaces one of this member's entries and waits until the local replica has it.
     *
     * @throws IllegalStateException if this member is closed
     * @throws SeaportException if the member holds too many entries, or the change cannot be sent
     *     or applied in time; a new entry is then freed again (best effort), so that no published
     *     entry is left without a handle
     */
    void put(Entry entry) {
        boolean added;
        CompletableFuture<Void> applied;
        synchronized (lock) {
            added = !entries.containsKey(entry.id());
            applied = queuePut(entry, false);
        }
        flushIfInLoop();
        try {
            EventLoop.await(applied, "publish " + entry.role() + "@" + entry.version());
        } catch (RuntimeException e) {
            if (added) {
                // The caller gets no handle for an entry the cluster may already list: take it back
                // (a no-op if it was never sent: an unsent change is undone, a closed member frees all).
                try {
                    free(entry.id());
                } catch (RuntimeException freeFailed) {
                    e.addSuppressed(freeFailed);
                }
            }
            throw e;
        }
    }

    /**
     * Queues a put of one of this member's entries; the future completes (on the completions
     * executor) once the local replica has it, or fails with {@link IllegalStateException} if this
     * member closes first, or with {@link SeaportException} if the change cannot be sent.
     *
     * @throws IllegalStateException if this member is closed
     * @throws SeaportException if the member holds too many entries
     */
    CompletableFuture<Void> putAsync(Entry entry) {
        CompletableFuture<Void> applied;
        synchronized (lock) {
            boolean added = !entries.containsKey(entry.id());
            applied = queuePut(entry, true);
            if (added) {
                // Sent but not applied: the caller gets no handle, so take the entry back.
                applied.whenComplete((ok, failure) -> {
                    if (failure instanceof SeaportException) {
                        freeLater(entry.id());
                    }
                });
            }
        }
        return applied;
    }

    /** Queues a free of {@code id} without waiting for it; no-op once closed or if not held. */
    private void freeLater(String id) {
        synchronized (lock) {
            if (!closed && entries.containsKey(id)) {
                queue(Pending.free(id, entries.remove(id), new CompletableFuture<>(), true));
            }
        }
    }

    /**
     * Changes the health of one of this member's entries and waits until the local replica has it;
     * sends nothing if the entry is gone (freed) or already has that health. Queued like every
     * other change, so it never overtakes the PUT of its entry.
     *
     * @throws IllegalStateException if this member is closed
     */
    void health(String id, Health health) {
        CompletableFuture<Void> applied = new CompletableFuture<>();
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException(closedMessage.get());
            }
            Entry entry = entries.get(id);
            if (entry == null || entry.health() == health) {
                return;
            }
            queue(new Pending(null, id, health, entries.put(id, entry.withHealth(health)), applied, false));
        }
        flushIfInLoop();
        EventLoop.await(applied, "set the health of " + id + " to " + health);
    }

    /**
     * Frees one of this member's entries and waits until the local replica has dropped it; no-op
     * once closed or if the entry is not held.
     *
     * @throws SeaportException if the FREE cannot be sent; the entry is then still held
     */
    void free(String id) {
        CompletableFuture<Void> applied = new CompletableFuture<>();
        synchronized (lock) {
            if (closed || !entries.containsKey(id)) {
                return; // close() freed it already
            }
            queue(Pending.free(id, entries.remove(id), applied, false));
        }
        flushIfInLoop();
        EventLoop.await(applied, "free " + id);
    }

    private CompletableFuture<Void> queuePut(Entry entry, boolean async) {
        CompletableFuture<Void> applied = new CompletableFuture<>();
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException(closedMessage.get());
            }
            if (!entries.containsKey(entry.id()) && entries.size() >= Limits.MEMBER_ENTRIES) {
                throw new SeaportException(memberName + " already holds " + entries.size()
                        + " registrations, the most one member may hold; close some before adding '"
                        + entry.role() + "@" + entry.version() + "'");
            }
            queue(Pending.put(entry, entries.put(entry.id(), entry), applied, async));
        }
        return applied;
    }

    private void queue(Pending pending) {
        queued.add(pending);
        if (!flushScheduled) {
            flushScheduled = true;
            try {
                sender.execute(() -> {
                    try {
                        flush(false);
                    } catch (RuntimeException e) {
                        LOG.error("{}: sending its own changes failed", memberName, e);
                    }
                });
            } catch (RejectedExecutionException e) {
                // Closing: close() takes what is queued and fails it as closed.
                LOG.debug("{}: change queued while closing; it will fail as closed", memberName, e);
            }
        }
    }

    /**
     * A blocking call made on the event thread cannot wait for an apply queued behind it: send and
     * apply now. (No caller of Seaport's own does this; user code never runs on the event thread.)
     */
    private void flushIfInLoop() {
        if (loop.inLoop()) {
            flush(true);
        }
    }

    /**
     * Sends everything queued, then applies it to the local replica: here if {@code applyHere} (on
     * the event thread), else by a task handed to the event loop while {@code sendLock} is still
     * held, so applies run in the order of the numbers.
     */
    private void flush(boolean applyHere) {
        synchronized (sendLock) {
            List<Pending> taken;
            long first;
            synchronized (lock) {
                taken = takeQueued();
                first = seq;
                seq += taken.size(); // a snapshot taken from now on includes them
            }
            if (taken.isEmpty()) {
                return;
            }
            List<Sent> sent = send(taken, first);
            if (applyHere) {
                applySent(taken, sent);
            } else {
                loop.execute(() -> applySent(taken, sent));
            }
        }
    }

    /** Takes the queue; the caller holds the lock. */
    private List<Pending> takeQueued() {
        flushScheduled = false;
        List<Pending> taken = queued;
        queued = new ArrayList<>();
        return taken;
    }

    /**
     * Numbers and multicasts {@code batch}: runs of puts and frees in BATCH messages of at most
     * {@link #MAX_BATCH} changes (a lone one as a plain PUT or FREE), each health change as a HEALTH
     * message. Returns what was sent; if a send fails, the changes not sent are undone and their
     * futures failed. The caller holds {@code sendLock}, not {@code lock}; {@code first} is the
     * number before the batch's first change.
     */
    private List<Sent> send(List<Pending> batch, long first) {
        List<Sent> sent = new ArrayList<>();
        long next = first;
        int from = 0;
        while (from < batch.size()) {
            WireMessage message;
            int count;
            Pending head = batch.get(from);
            if (head.health() != null) {
                message = new WireMessage.HealthChange(owner(next + 1), head.id(), head.health());
                count = 1;
            } else {
                int to = from;
                while (to < batch.size() && to - from < MAX_BATCH && batch.get(to).health() == null) {
                    to++;
                }
                count = to - from;
                if (count == 1) {
                    message = head.put() != null ? new WireMessage.Put(owner(next + 1), head.put())
                            : new WireMessage.Free(owner(next + 1), List.of(head.id()));
                } else {
                    List<WireMessage.Change> changes = new ArrayList<>(count);
                    for (Pending pending : batch.subList(from, to)) {
                        changes.add(pending.change());
                    }
                    message = new WireMessage.Batch(owner(next + 1), changes);
                }
            }
            try {
                outbox.multicast(WireCodec.encode(message), false);
            } catch (RuntimeException e) {
                // Messages already sent stay sent and numbered; the rest never happened.
                synchronized (lock) {
                    undoLocked(batch.subList(from, batch.size()), e);
                    seq = next;
                }
                return sent;
            }
            next += count;
            sent.add(new Sent(message, count));
            from += count;
        }
        return sent;
    }

    /** Reverts {@code unsent} in {@code entries}, newest first, and fails their futures; the caller holds the lock. */
    private void undoLocked(List<Pending> unsent, RuntimeException cause) {
        revertLocked(unsent);
        for (Pending pending : unsent) {
            pending.done().completeExceptionally(cause);
        }
    }

    /** Reverts {@code changes} in {@code entries}, newest first; the caller holds the lock. */
    private void revertLocked(List<Pending> changes) {
        for (int i = changes.size() - 1; i >= 0; i--) {
            Pending pending = changes.get(i);
            if (pending.previous() != null) {
                entries.put(pending.id(), pending.previous());
            } else {
                entries.remove(pending.id());
            }
        }
    }

    /** Applies sent messages to the local replica and completes the futures of their changes; event thread. */
    private void applySent(List<Pending> taken, List<Sent> sent) {
        List<CompletableFuture<Void>> async = new ArrayList<>();
        int from = 0;
        for (Sent each : sent) {
            RuntimeException failed = null;
            try {
                applyLocally.accept(each.message());
            } catch (RuntimeException e) {
                LOG.error("{}: applying its own change to its replica failed", memberName, e);
                failed = e;
            }
            for (Pending pending : taken.subList(from, from + each.changes())) {
                if (failed != null) {
                    pending.done().completeExceptionally(new SeaportException("the change was sent but this "
                            + "member's replica could not apply it", failed));
                } else if (pending.async()) {
                    async.add(pending.done());
                } else {
                    pending.done().complete(null);
                }
            }
            from += each.changes();
        }
        if (!async.isEmpty()) {
            completions.execute(() -> async.forEach(future -> future.complete(null)));
        }
    }

    /**
     * Closes this stream: fails the changes still queued (they were never sent), then frees every
     * own entry in one FREE, multicast with RSVP so that peers see {@code Freed(FREED)} rather than
     * {@code MEMBER_LEFT}, unless {@code connected} is false. Returns false if it was closed
     * already. Does not wait for the local replica.
     */
    boolean close(boolean connected) {
        List<Pending> unsent;
        sender.shutdown();
        synchronized (sendLock) { // after the flush under way, if any: the FREE is numbered last
            synchronized (lock) {
                if (closed) {
                    return false;
                }
                closed = true;
                unsent = takeQueued();
                revertLocked(unsent); // never sent: peers never saw them
                List<String> ids = List.copyOf(entries.keySet());
                entries.clear();
                if (!ids.isEmpty()) {
                    WireMessage.Free free = new WireMessage.Free(owner(++seq), ids);
                    try {
                        if (connected) {
                            outbox.multicast(WireCodec.encode(free), true);
                        }
                    } catch (RuntimeException e) {
                        LOG.warn("{} could not tell the cluster that it frees {} registrations; peers will drop them "
                                + "when it leaves the view", memberName, ids.size(), e);
                    }
                    loop.submit(() -> applyLocally.accept(free));
                }
            }
        }
        failClosed(unsent);
        Threads.awaitTermination(sender, memberName);
        return true;
    }

    /** Marks this stream closed without sending anything (the member never joined, or is shutting down). */
    void abandon() {
        List<Pending> unsent;
        sender.shutdown();
        synchronized (lock) {
            closed = true;
            unsent = takeQueued();
        }
        failClosed(unsent);
        Threads.awaitTermination(sender, memberName);
    }

    private void failClosed(List<Pending> unsent) {
        if (!unsent.isEmpty()) {
            IllegalStateException closedNow = new IllegalStateException(closedMessage.get()
                    + "; the registration was not sent");
            for (Pending pending : unsent) {
                pending.done().completeExceptionally(closedNow);
            }
        }
    }

    /** Throws {@link IllegalStateException} if this member is closed. */
    void ensureOpen() {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException(closedMessage.get());
            }
        }
    }

    /**
     * Returns this member's entries as numbered so far and the number of the last change numbered,
     * consistent with each other (changes still queued are left out: their numbers come later);
     * empty once closed. Holds the lock only to copy, never across a send.
     */
    WireMessage.Snapshot snapshot() {
        synchronized (lock) {
            if (closed) {
                return new WireMessage.Snapshot(owner(seq), List.of());
            }
            if (queued.isEmpty()) {
                return new WireMessage.Snapshot(owner(seq), List.copyOf(entries.values())); // one array copy
            }
            Map<String, Entry> sent = new LinkedHashMap<>(entries);
            for (int i = queued.size() - 1; i >= 0; i--) {
                Pending pending = queued.get(i);
                if (pending.previous() != null) {
                    sent.put(pending.id(), pending.previous());
                } else {
                    sent.remove(pending.id());
                }
            }
            return new WireMessage.Snapshot(owner(seq), List.copyOf(sent.values()));
        }
    }

    /** Returns whether this stream is closed. */
    boolean isClosed() {
        synchronized (lock) {
            return closed;
        }
    }

    private WireMessage.Owner owner(long number) {
        return new WireMessage.Owner(incarnation, number, memberName, host);
    }
}
