package io.seaport.jgroups.internal;

import io.seaport.SeaportException;
import io.seaport.internal.Limits;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This member's own entries and its stream of changes to them: changes are queued by any thread,
 * and the event loop sends what is queued in one message (a {@link WireMessage.Batch}, or a plain
 * PUT or FREE for a lone change) and applies it to the local replica, numbered in one order.
 *
 * <p>Design note (group commit). A change is queued under {@code lock}, which also updates
 * {@code entries}, the member's entries as its callers see them (queued changes included), so
 * limits and frees see every earlier call at once. The first change queued into an empty queue
 * schedules a {@link #flush()} on the event loop; the flush takes everything queued, numbers it,
 * multicasts it (still under the lock, so the order on the wire, the numbers and the calls agree),
 * then applies it to the local replica on the event thread and completes the waiting futures.
 * While one flush sends, new changes pile up for the next: the busier the callers, the bigger the
 * batches. A snapshot is taken on the event loop after sending whatever is queued, so it matches
 * the number it carries. Futures of {@link #putAsync} complete on {@code completions} (user code
 * may be chained to them and must never run on the event thread); those of the blocking calls
 * complete on the event thread, which only wakes the waiting caller. Thread-safe.
 */
final class OwnChanges {
    private static final Logger LOG = LoggerFactory.getLogger(OwnChanges.class);

    /** The most changes sent in one message; more queued changes go in several messages of one flush. */
    static final int MAX_BATCH = 4096;

    /** A queued change: a put of {@code put} or a free of {@code freedId}, and what it replaced. */
    private record Pending(Entry put, String freedId, Entry previous, CompletableFuture<Void> done, boolean async) {
        WireMessage.Change change() {
            return put != null ? WireMessage.Change.put(put) : WireMessage.Change.free(freedId);
        }

        String id() {
            return put != null ? put.id() : freedId;
        }
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
    private final Map<String, Entry> entries = new LinkedHashMap<>(); // guarded by lock
    private List<Pending> queued = new ArrayList<>(); // guarded by lock
    private boolean flushScheduled; // guarded by lock
    private long seq; // guarded by lock: the number of the last change sent
    private boolean closed; // guarded by lock

    /**
     * @param applyLocally applies an own message to the local replica; called on the event thread
     * @param completions runs the completion of {@link #putAsync} futures, in order
     */
    OwnChanges(String memberName, String host, long incarnation, Outbox outbox, EventLoop loop,
               Consumer<WireMessage> applyLocally, Executor completions, Supplier<String> closedMessage) {
        this.memberName = memberName;
        this.host = host;
        this.incarnation = incarnation;
        this.outbox = outbox;
        this.loop = loop;
        this.applyLocally = applyLocally;
        this.completions = completions;
        this.closedMessage = closedMessage;
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
                queue(new Pending(null, id, entries.remove(id), new CompletableFuture<>(), true));
            }
        }
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
            queue(new Pending(null, id, entries.remove(id), applied, false));
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
            queue(new Pending(entry, null, entries.put(entry.id(), entry), applied, async));
        }
        return applied;
    }

    private void queue(Pending pending) {
        queued.add(pending);
        if (!flushScheduled) {
            flushScheduled = true;
            loop.execute(this::flush);
        }
    }

    /** A blocking call made on the event thread cannot wait for a flush queued behind it: flush now. */
    private void flushIfInLoop() {
        if (loop.inLoop()) {
            flush();
        }
    }

    /** Sends everything queued and applies it locally; event thread only. */
    void flush() {
        List<Pending> sent;
        List<WireMessage> messages;
        synchronized (lock) {
            sent = takeQueued();
            messages = sendLocked(sent);
        }
        applySent(sent, messages);
    }

    /** Takes the queue; the caller holds the lock. */
    private List<Pending> takeQueued() {
        flushScheduled = false;
        List<Pending> taken = queued;
        queued = new ArrayList<>();
        return taken;
    }

    /**
     * Numbers and multicasts {@code batch}, in messages of at most {@link #MAX_BATCH} changes;
     * returns the messages sent, or none (the changes undone, their futures failed) if sending
     * fails. The caller holds the lock.
     */
    private List<WireMessage> sendLocked(List<Pending> batch) {
        List<WireMessage> messages = new ArrayList<>();
        long next = seq;
        for (int from = 0; from < batch.size(); from += MAX_BATCH) {
            List<Pending> part = batch.subList(from, Math.min(batch.size(), from + MAX_BATCH));
            WireMessage message;
            if (part.size() == 1 && part.get(0).put() != null) {
                message = new WireMessage.Put(owner(next + 1), part.get(0).put());
            } else if (part.size() == 1) {
                message = new WireMessage.Free(owner(next + 1), List.of(part.get(0).freedId()));
            } else {
                List<WireMessage.Change> changes = new ArrayList<>(part.size());
                for (Pending pending : part) {
                    changes.add(pending.change());
                }
                message = new WireMessage.Batch(owner(next + 1), changes);
            }
            try {
                outbox.multicast(WireCodec.encode(message), false);
            } catch (RuntimeException e) {
                // Messages already sent stay sent and numbered; the rest never happened.
                undoLocked(batch.subList(from, batch.size()), e);
                seq = next;
                return messages;
            }
            next += part.size();
            messages.add(message);
        }
        seq = next;
        return messages;
    }

    /** Reverts {@code unsent} in {@code entries}, newest first, and fails their futures; the caller holds the lock. */
    private void undoLocked(List<Pending> unsent, RuntimeException cause) {
        for (int i = unsent.size() - 1; i >= 0; i--) {
            Pending pending = unsent.get(i);
            if (pending.previous() != null) {
                entries.put(pending.id(), pending.previous());
            } else {
                entries.remove(pending.id());
            }
        }
        for (Pending pending : unsent) {
            pending.done().completeExceptionally(cause);
        }
    }

    /** Applies sent messages to the local replica and completes the futures of their changes; event thread. */
    private void applySent(List<Pending> sent, List<WireMessage> messages) {
        if (messages.isEmpty()) {
            return;
        }
        List<CompletableFuture<Void>> async = new ArrayList<>();
        int from = 0;
        for (WireMessage message : messages) {
            int count = message instanceof WireMessage.Batch batch ? batch.changes().size() : 1;
            RuntimeException failed = null;
            try {
                applyLocally.accept(message);
            } catch (RuntimeException e) {
                LOG.error("{}: applying its own change to its replica failed", memberName, e);
                failed = e;
            }
            for (Pending pending : sent.subList(from, from + count)) {
                if (failed != null) {
                    pending.done().completeExceptionally(new SeaportException("the change was sent but this "
                            + "member's replica could not apply it", failed));
                } else if (pending.async()) {
                    async.add(pending.done());
                } else {
                    pending.done().complete(null);
                }
            }
            from += count;
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
        synchronized (lock) {
            if (closed) {
                return false;
            }
            closed = true;
            unsent = takeQueued();
            for (int i = unsent.size() - 1; i >= 0; i--) { // never sent: peers never saw them
                Pending pending = unsent.get(i);
                if (pending.previous() != null) {
                    entries.put(pending.id(), pending.previous());
                } else {
                    entries.remove(pending.id());
                }
            }
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
        failClosed(unsent);
        return true;
    }

    /** Marks this stream closed without sending anything (the member never joined, or is shutting down). */
    void abandon() {
        List<Pending> unsent;
        synchronized (lock) {
            closed = true;
            unsent = takeQueued();
        }
        failClosed(unsent);
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

    /**
     * Sends what is queued, then multicasts a snapshot of this member's entries; event thread only.
     * A failure is logged, not thrown.
     */
    void sendSnapshot() {
        List<Pending> sent;
        List<WireMessage> messages;
        synchronized (lock) {
            if (closed) {
                return;
            }
            sent = takeQueued();
            messages = sendLocked(sent);
            try {
                outbox.multicast(WireCodec.encode(new WireMessage.Snapshot(owner(seq), List.copyOf(entries.values()))),
                        false);
            } catch (RuntimeException e) {
                LOG.warn("{} could not send its snapshot; peers miss its registrations until the next view",
                        memberName, e);
            }
        }
        applySent(sent, messages);
    }

    private WireMessage.Owner owner(long number) {
        return new WireMessage.Owner(incarnation, number, memberName, host);
    }
}
