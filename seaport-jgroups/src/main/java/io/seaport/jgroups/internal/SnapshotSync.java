package io.seaport.jgroups.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jgroups.Address;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who owes this member a snapshot: the view's members whose snapshot the replica has not applied
 * (since they were first seen, or since they came back in a merge). Asks each again when it is
 * overdue, and completes {@link #joined()} once every member's snapshot is in.
 *
 * <p>Design note. A multicast sent while a joiner is being admitted can be lost to that joiner for
 * good (its digest starts after it), so answering the joiner's first request is not enough: every
 * {@link #CHECK_MILLIS} the event loop calls {@link #askOverdue()}, which asks a member whose
 * snapshot has been missing for {@link #CHECK_MILLIS}, and again every {@link #RETRY_MILLIS} after
 * the last request or the last part received ({@link #progress}) while it stays missing, so a
 * large snapshot on its way is not asked for again. Time comes from the injected {@link Ticker}. Confined to the event thread,
 * except {@link #joined()} and {@link #missing()}, which any thread may read.
 */
final class SnapshotSync {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotSync.class);

    /** How often the event loop checks, and how long a snapshot may be missing before it is asked for. */
    static final long CHECK_MILLIS = 250;
    /** How long to wait for an answer before asking the same member again. */
    static final long RETRY_MILLIS = 1_000;

    private static final class Wait {
        final long since;
        long asked;
        boolean everAsked;

        Wait(long since) {
            this.since = since;
        }
    }

    private final String memberName;
    private final Replica replica;
    private final Supplier<Address> self;
    private final Ticker ticker;
    private final Consumer<Address> ask;
    private final CompletableFuture<Void> joined = new CompletableFuture<>();
    private final Map<Address, Wait> waits = new HashMap<>();
    private List<Address> members = List.of();
    /** Members of other sites (bridged clusters): asked like the view's members, never awaited by {@link #joined()}. */
    private Set<Address> remote = Set.of();
    private volatile String missing = "";

    /**
     * @param ask has a snapshot request sent to one member without blocking; may throw
     *     {@link RuntimeException} (logged)
     */
    SnapshotSync(String memberName, Replica replica, Supplier<Address> self, Ticker ticker, Consumer<Address> ask) {
        this.memberName = memberName;
        this.replica = replica;
        this.self = self;
        this.ticker = ticker;
        this.ask = ask;
    }

    /** Returns the members of the last view applied. */
    List<Address> members() {
        return members;
    }

    /**
     * Takes a new view's members; after a merge, a fresh snapshot is due from every other member,
     * asked for at once. Call {@link #checkJoined()} once the view is applied.
     *
     * <p>Every member, not only those of the other subgroups: JGroups installs a merge with a digest
     * gathered from the subgroups' coordinators, and a member whose own count of some sender's
     * messages is behind that digest starts its window for that sender at the digest (NAKACK2's
     * {@code mergeDigest}), so the messages in between never reach it, although sender and receiver
     * were in one subgroup all along. Seen with 32 members joining at once: four members lacked, for
     * good, the registration a member of their own subgroup made just before a merge. A later change
     * of that sender shows the gap ({@code JGroupsSeaport}), but a lost last change shows nothing.
     */
    void viewChanged(List<Address> view, boolean merge) {
        members = List.copyOf(view);
        waits.keySet().removeIf(member -> !members.contains(member) && !remote.contains(member));
        if (merge) {
            Address me = self.get();
            long now = ticker.read();
            for (Address member : members) {
                if (!member.equals(me)) {
                    replica.expectSnapshot(member);
                    Wait wait = new Wait(now);
                    waits.put(member, wait);
                    askNow(member, wait, now);
                }
            }
        }
    }

    /**
     * Takes the members of the other sites: each whose snapshot the replica lacks is asked for it
     * as a member of the view is, but {@link #joined()} does not wait for them.
     */
    void remoteMembers(Set<Address> members) {
        remote = Set.copyOf(members);
        waits.keySet().removeIf(member -> !this.members.contains(member) && !remote.contains(member));
    }

    /** Expects a fresh snapshot of {@code member} (changes of it may have been lost) and asks for it now. */
    void expect(Address member) {
        replica.expectSnapshot(member);
        long now = ticker.read();
        Wait wait = new Wait(now);
        waits.put(member, wait);
        askNow(member, wait, now);
    }

    /** Notes that part of {@code member}'s snapshot arrived: it is on its way, so asking again can wait. */
    void progress(Address member) {
        Wait wait = waits.get(member);
        if (wait != null) {
            wait.asked = ticker.read();
            wait.everAsked = true;
        }
    }

    /** Asks every member whose snapshot is overdue, at most once per {@link #RETRY_MILLIS} each. */
    void askOverdue() {
        long now = ticker.read();
        Address me = self.get();
        List<Address> everyone = new ArrayList<>(members);
        everyone.addAll(remote);
        for (Address member : everyone) {
            if (member.equals(me) || replica.hasSnapshot(member)) {
                waits.remove(member);
                continue;
            }
            Wait wait = waits.computeIfAbsent(member, m -> new Wait(now));
            boolean overdue = now - wait.since >= TimeUnit.MILLISECONDS.toNanos(CHECK_MILLIS);
            boolean askedLongAgo = !wait.everAsked || now - wait.asked >= TimeUnit.MILLISECONDS.toNanos(RETRY_MILLIS);
            if (overdue && askedLongAgo) {
                askNow(member, wait, now);
            }
        }
    }

    private void askNow(Address member, Wait wait, long now) {
        wait.asked = now;
        wait.everAsked = true;
        try {
            ask.accept(member);
        } catch (RuntimeException e) {
            LOG.debug("{}: cannot ask {} for its snapshot", memberName, member, e);
        }
    }

    /** Completes {@link #joined()} if the replica holds a snapshot of every other member of the view. */
    void checkJoined() {
        if (joined.isDone() || members.isEmpty()) {
            return;
        }
        Address me = self.get();
        List<Address> absent = new ArrayList<>();
        for (Address member : members) {
            if (!member.equals(me) && !replica.hasSnapshot(member)) {
                absent.add(member);
            }
        }
        missing = absent.toString();
        if (absent.isEmpty()) {
            joined.complete(null);
        }
    }

    /** Returns the future that completes once the replica is complete for the first time; any thread. */
    CompletableFuture<Void> joined() {
        return joined;
    }

    /** Returns the members whose snapshot was missing at the last check, for messages; any thread. */
    String missing() {
        return missing;
    }
}
