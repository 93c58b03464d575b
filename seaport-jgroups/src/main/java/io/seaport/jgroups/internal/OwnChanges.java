package io.seaport.jgroups.internal;

import io.seaport.Health;
import io.seaport.SeaportException;
import io.seaport.internal.Limits;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This member's own entries and its stream of changes to them: each PUT or FREE takes the next
 * sequence number, is multicast, and is handed to the local replica, all in one order.
 *
 * <p>Design note. Every change is made under one lock ({@code lock}): the number is taken, the
 * change is multicast and queued for the local replica (through {@code applyLocally}, which
 * queues on the event loop and must not block), so the order on the wire, in the local replica
 * and in the sequence numbers is one. A snapshot is copied under the same lock, so it is always
 * consistent with the number it carries, and sent by {@link SnapshotSender} outside it: a peer
 * that stalls a send never stalls {@code register} or {@code free} through this lock, and the
 * event loop never takes it. The caller then waits, outside the lock, for the local
 * replica to have applied the change, so a query right after {@code register} sees it.
 * Thread-safe.
 */
final class OwnChanges {
    private static final Logger LOG = LoggerFactory.getLogger(OwnChanges.class);

    private final String memberName;
    private final String host;
    private final long incarnation;
    private final Outbox outbox;
    private final Function<WireMessage, CompletableFuture<Void>> applyLocally;
    private final Supplier<String> closedMessage;
    private final Object lock = new Object();
    private final Map<String, Entry> entries = new LinkedHashMap<>(); // guarded by lock
    private long seq; // guarded by lock
    private boolean closed; // guarded by lock

    /**
     * @param applyLocally queues an own message for the local replica (on the event loop) and
     *     returns when it is applied; called under this object's lock, so it must only enqueue
     */
    OwnChanges(String memberName, String host, long incarnation, Outbox outbox,
               Function<WireMessage, CompletableFuture<Void>> applyLocally, Supplier<String> closedMessage) {
        this.memberName = memberName;
        this.host = host;
        this.incarnation = incarnation;
        this.outbox = outbox;
        this.applyLocally = applyLocally;
        this.closedMessage = closedMessage;
    }

    /**
     * Publishes or replaces one of this member's entries and waits until the local replica has it.
     *
     * @throws IllegalStateException if this member is closed
     * @throws SeaportException if the member holds too many entries, or the change cannot be sent
     *     or applied in time; a new entry is then freed again (best effort), so that no
     *     published entry is left without a handle
     */
    void put(Entry entry) {
        CompletableFuture<Void> applied;
        boolean added;
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException(closedMessage.get());
            }
            if (!entries.containsKey(entry.id()) && entries.size() >= Limits.MEMBER_ENTRIES) {
                throw new SeaportException(memberName + " already holds " + entries.size()
                        + " registrations, the most one member may hold; close some before adding '"
                        + entry.role() + "@" + entry.version() + "'");
            }
            WireMessage.Put put = new WireMessage.Put(owner(seq + 1), entry);
            outbox.multicast(WireCodec.encode(put), false);
            seq++;
            added = entries.put(entry.id(), entry) == null;
            applied = applyLocally.apply(put);
        }
        try {
            EventLoop.await(applied, "publish " + entry.role() + "@" + entry.version());
        } catch (RuntimeException e) {
            if (added) {
                // The caller gets no handle for an entry the cluster may already list: take it back.
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
     * Changes the health of one of this member's entries and waits until the local replica has it;
     * sends nothing if the entry is gone (freed) or already has that health.
     *
     * @throws IllegalStateException if this member is closed
     */
    void health(String id, Health health) {
        CompletableFuture<Void> applied;
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException(closedMessage.get());
            }
            Entry entry = entries.get(id);
            if (entry == null || entry.health() == health) {
                return;
            }
            WireMessage.HealthChange change = new WireMessage.HealthChange(owner(seq + 1), id, health);
            outbox.multicast(WireCodec.encode(change), false);
            seq++;
            entries.put(id, entry.withHealth(health));
            applied = applyLocally.apply(change);
        }
        EventLoop.await(applied, "set the health of " + id + " to " + health);
    }

    /**
     * Frees one of this member's entries and waits until the local replica has dropped it; no-op
     * once closed or if the entry is not held.
     *
     * @throws SeaportException if the FREE cannot be sent; the entry is then still held
     */
    void free(String id) {
        CompletableFuture<Void> applied;
        synchronized (lock) {
            if (closed || !entries.containsKey(id)) {
                return; // close() freed it already
            }
            WireMessage.Free free = new WireMessage.Free(owner(seq + 1), List.of(id));
            outbox.multicast(WireCodec.encode(free), false);
            seq++;
            entries.remove(id);
            applied = applyLocally.apply(free);
        }
        EventLoop.await(applied, "free " + id);
    }

    /**
     * Closes this stream: frees every own entry in one FREE, multicast with RSVP so that peers
     * see {@code Freed(FREED)} rather than {@code MEMBER_LEFT}, unless {@code connected} is false.
     * Returns false if it was closed already. Does not wait for the local replica.
     */
    boolean close(boolean connected) {
        synchronized (lock) {
            if (closed) {
                return false;
            }
            closed = true;
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
                applyLocally.apply(free);
            }
            return true;
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

    /** Marks this stream closed without sending anything (the member never joined). */
    void abandon() {
        synchronized (lock) {
            closed = true;
        }
    }

    /**
     * Returns this member's entries and the number of the last change they include, consistent
     * with each other; empty once closed. Holds the lock only to copy, never across a send.
     */
    WireMessage.Snapshot snapshot() {
        synchronized (lock) {
            return new WireMessage.Snapshot(owner(seq), closed ? List.of() : List.copyOf(entries.values()));
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
