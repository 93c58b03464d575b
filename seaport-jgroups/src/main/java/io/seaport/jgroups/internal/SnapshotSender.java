package io.seaport.jgroups.internal;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Predicate;
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
 * flight per asker. A request from a member whose snapshot is queued is dropped, since that
 * snapshot, copied when its turn comes, answers it. A request that arrives while the asker's
 * snapshot is being sent (already copied) is remembered, and one fresh snapshot follows once that
 * send is done, however many such requests came: the copy on its way may predate a change the asker
 * can no longer get any other way (it was multicast to a view without the asker, as under a merge
 * after a partition), so dropping the request could leave the asker without that change for good.
 * Re-asks therefore cannot pile up work: the queue holds at most one snapshot task per member of
 * the view, plus requests, which are dropped beyond {@link #MAX_QUEUED_REQUESTS}.
 *
 * <p>A member may be asked by a joiner before it has installed the view that admits the joiner (the
 * coordinator admits a joiner after at most 2 s without every member's view acknowledgement). Such
 * an answer can go stale for good: a change this member makes before installing that view is
 * multicast to its old view only, so the joiner never receives it, and JGroups' NAKACK2 does not
 * reveal the gap if that change is this member's last message (it resends the last seqno once,
 * also to the old view). So an asker answered while it was not in this member's view is
 * remembered, and {@link #viewChanged()} sends it a fresh snapshot once a view admits it: every
 * change made after that view was installed does reach it. Thread-safe.
 */
final class SnapshotSender {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotSender.class);

    /** The most entries in one part of a snapshot: about 100 KB of typical entries. */
    static final int PART_ENTRIES = 1_000;
    /** The most snapshot requests waiting to be sent; more are dropped (the asker asks again). */
    static final int MAX_QUEUED_REQUESTS = 4_096;
    /** The most askers remembered as answered before they were in this member's view; the oldest go first. */
    static final int MAX_EARLY_ASKERS = 4_096;

    private final String memberName;
    private final Outbox outbox;
    private final Supplier<WireMessage.Snapshot> snapshot;
    private final ExecutorService sends;
    /** Askers with a snapshot queued or being sent; TRUE once asked again after the one being sent was copied. */
    private final Map<Address, Boolean> inFlight = new ConcurrentHashMap<>();
    private final Set<Address> asking = ConcurrentHashMap.newKeySet();
    private final Predicate<Address> inView;
    /** Askers answered while not in this member's view; confined to the sending thread. */
    private final Set<Address> answeredEarly = new LinkedHashSet<>();

    /**
     * @param snapshot returns this member's current snapshot, in one part (copied under the
     *     own-changes lock)
     * @param inView tells whether an address is in the view this member has installed (its
     *     multicasts reach exactly those members)
     */
    SnapshotSender(String memberName, Outbox outbox, Supplier<WireMessage.Snapshot> snapshot,
            Predicate<Address> inView) {
        this.memberName = memberName;
        this.outbox = outbox;
        this.snapshot = snapshot;
        this.inView = inView;
        this.sends = Executors.newSingleThreadExecutor(Threads.named("seaport-snapshots-" + memberName, true));
    }

    /**
     * Sends this member's snapshot to {@code asker}: now, or after the one being sent there (a fresh
     * copy), or not at all if one is queued and not yet copied.
     */
    void sendTo(Address asker) {
        boolean[] start = {false};
        inFlight.compute(asker, (address, askedAgain) -> {
            start[0] = askedAgain == null;
            return askedAgain == null ? Boolean.FALSE : Boolean.TRUE;
        });
        if (!start[0]) {
            LOG.debug("{}: a snapshot for {} is queued or on its way; a fresh one follows one on its way", memberName,
                    asker);
            return;
        }
        submit(() -> sendUntilAnswered(asker), () -> inFlight.remove(asker));
    }

    /** Sends snapshots to {@code asker} until none was asked for after the last one was copied. */
    private void sendUntilAnswered(Address asker) {
        try {
            do {
                inFlight.put(asker, Boolean.FALSE); // asks from here on are answered by the copy below, or the next
                send(asker);
            } while (!inFlight.remove(asker, Boolean.FALSE));
        } catch (RuntimeException e) {
            inFlight.remove(asker);
            throw e;
        }
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

    /**
     * Sends a fresh snapshot to each asker answered before it was in this member's view and now in
     * it. Call after a new view is installed (the check runs on the sending thread, after every
     * answer already queued).
     */
    void viewChanged() {
        submit(() -> {
            for (Iterator<Address> it = answeredEarly.iterator(); it.hasNext(); ) {
                Address asker = it.next();
                if (inView.test(asker)) {
                    it.remove();
                    LOG.debug("{}: {} was answered before it was in the view; sending it a fresh snapshot",
                            memberName, asker);
                    sendTo(asker);
                }
            }
        }, () -> { });
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
        // Checked before the copy: if the asker is in the view now, every later change reaches it.
        if (!inView.test(asker)) {
            rememberEarly(asker);
        }
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

    private void rememberEarly(Address asker) {
        answeredEarly.remove(asker);
        if (answeredEarly.size() >= MAX_EARLY_ASKERS) {
            Iterator<Address> oldest = answeredEarly.iterator();
            oldest.next();
            oldest.remove();
        }
        answeredEarly.add(asker);
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
