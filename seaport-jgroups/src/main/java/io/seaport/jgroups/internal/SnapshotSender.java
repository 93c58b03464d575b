package io.seaport.jgroups.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.jgroups.Address;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends what the event loop must not send itself: this member's snapshot to each member that asks
 * for it, by unicast and in parts of at most {@link #PART_ENTRIES} entries, and snapshot requests.
 *
 * <p>Design note. One thread ({@code seaport-snapshots-<member>}) sends, so a peer whose flow
 * control stalls a send stalls neither the event loop nor {@code register}/{@code free} (the
 * snapshot is copied under the own-changes lock and sent outside it). At most one snapshot is in
 * flight per asker: a request from a member whose snapshot is queued or being sent is dropped,
 * since that snapshot answers it; so re-asks cannot pile up work. The queue therefore holds at
 * most one snapshot task per member of the view, plus requests, which are dropped beyond
 * {@link #MAX_QUEUED_REQUESTS}. Thread-safe.
 */
final class SnapshotSender {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotSender.class);

    /** The most entries in one part of a snapshot: about 100 KB of typical entries. */
    static final int PART_ENTRIES = 1_000;
    /** The most snapshot requests waiting to be sent; more are dropped (the asker asks again). */
    static final int MAX_QUEUED_REQUESTS = 4_096;

    private final String memberName;
    private final Outbox outbox;
    private final Supplier<WireMessage.Snapshot> snapshot;
    private final ExecutorService sends;
    private final Set<Address> inFlight = ConcurrentHashMap.newKeySet();
    private final Set<Address> asking = ConcurrentHashMap.newKeySet();

    /**
     * @param snapshot returns this member's current snapshot, in one part (copied under the
     *     own-changes lock)
     */
    SnapshotSender(String memberName, Outbox outbox, Supplier<WireMessage.Snapshot> snapshot) {
        this.memberName = memberName;
        this.outbox = outbox;
        this.snapshot = snapshot;
        this.sends = Executors.newSingleThreadExecutor(Threads.named("seaport-snapshots-" + memberName, true));
    }

    /** Sends this member's snapshot to {@code asker}, unless one is already queued or on its way there. */
    void sendTo(Address asker) {
        if (!inFlight.add(asker)) {
            LOG.debug("{}: a snapshot for {} is on its way already", memberName, asker);
            return;
        }
        submit(() -> {
            try {
                send(asker);
            } finally {
                inFlight.remove(asker);
            }
        }, () -> inFlight.remove(asker));
    }

    /** Asks {@code member} for its snapshot, unless a request to it is queued already. */
    void ask(Address member) {
        if (asking.size() >= MAX_QUEUED_REQUESTS || !asking.add(member)) {
            return;
        }
        submit(() -> {
            asking.remove(member);
            outbox.send(member, WireCodec.encode(new WireMessage.SnapshotRequest()));
        }, () -> asking.remove(member));
    }

    /** Stops sending; queued work is dropped. */
    void shutdown() {
        sends.shutdownNow();
    }

    /** Waits (bounded) for the sending thread to stop after {@link #shutdown()}. */
    void awaitTermination() {
        Threads.awaitTermination(sends, memberName);
    }

    private void send(Address asker) {
        WireMessage.Snapshot whole = snapshot.get();
        List<Entry> entries = whole.entries();
        int parts = Math.max(1, (entries.size() + PART_ENTRIES - 1) / PART_ENTRIES);
        for (int part = 0; part < parts; part++) {
            List<Entry> slice = new ArrayList<>(entries.subList(part * PART_ENTRIES,
                    Math.min(entries.size(), (part + 1) * PART_ENTRIES)));
            outbox.send(asker, WireCodec.encode(new WireMessage.Snapshot(whole.owner(), slice, part, parts, List.of())));
        }
        LOG.debug("{} sent its snapshot of {} entries in {} parts to {}", memberName, entries.size(), parts, asker);
    }

    private void submit(Runnable task, Runnable onRejected) {
        try {
            sends.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.debug("{}: a snapshot send failed; the asker will ask again", memberName, e);
                }
            });
        } catch (RejectedExecutionException e) {
            onRejected.run();
            LOG.debug("{}: snapshot send dropped, closing", memberName, e);
        }
    }
}
