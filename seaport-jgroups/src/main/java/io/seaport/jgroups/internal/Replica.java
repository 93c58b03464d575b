package io.seaport.jgroups.internal;

import io.seaport.Health;
import io.seaport.Service;
import io.seaport.ServiceEvent;
import io.seaport.internal.Limits;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jgroups.Address;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This member's copy of the registry: for every owner (a member of the view), the entries it
 * published and the position in its stream of changes that they reflect.
 *
 * <p>Design: owner-authoritative. An entry is identified by its owner (the JGroups address that
 * sent it) and its id: only an owner's own messages change its entries, a snapshot replaces them
 * whole, and an owner's entries must be at the host its messages advertise (an entry elsewhere is
 * refused, and an owner whose messages change host or name within one incarnation is ignored).
 * So a member that sends another member's id changes nothing of that member's entry: it only
 * makes an entry of its own. Two owners publishing one id under one role (only a forger does:
 * ids are ULIDs) are both held, but the index, which keys services by id within a role, shows one
 * at a time: that of the lowest owner address, the same on every member; the other shows when it
 * goes. Two owners' entries at one host:port (after a partition, say) are both held and reported
 * to {@link #onConflict} with a deterministic loser, the younger registration. Each owner message carries the owner's incarnation and sequence number,
 * and one that is not newer than what was applied is ignored, so a late snapshot or change
 * cannot bring back an older state. Confined to the event thread, except the {@link ServiceIndex},
 * {@link PortBook} and host map it keeps up to date for lock-free readers. Every method returns
 * the events its change caused, in order.
 */
final class Replica {
    private static final Logger LOG = LoggerFactory.getLogger(Replica.class);
    private static final int MAX_REFUSALS_LOGGED = 1_000;
    /** The most changes of one owner kept while its snapshot is awaited; beyond, only a newer snapshot helps. */
    static final int MAX_CHANGES_AWAITING_SNAPSHOT = 100_000;

    private static final class OwnerState {
        long incarnation;
        long seq = -1;
        String member;
        String host;
        String site;
        boolean snapshotSeen;
        /** While no snapshot is seen: the owner's changes, to apply again on a snapshot older than them. */
        final List<WireMessage> sinceBase = new ArrayList<>();
        /** The seq up to which a snapshot must reach to be usable with {@link #sinceBase}. */
        long base = -1;
        boolean sinceBaseOverflow;
        boolean floodLogged;
        /** The seq of the snapshot whose parts were applied ahead of it ({@link #snapshotPartAhead}), or -1. */
        long aheadOf = -1;
        final Set<String> refusalsLogged = new HashSet<>(); // bounded by MAX_REFUSALS_LOGGED
        Map<String, Entry> entries = new LinkedHashMap<>(); // replaced only while empty (a newcomer's snapshot)
    }

    /**
     * One owner's published entry, with the service (and parsed role) the index shows for it. Two
     * claims are equal when they claim the same thing: the index holds one service per id within an
     * environment's role, so a claim is its own key in {@link #claims} (no key object per entry).
     */
    private static final class Claim {
        final Address owner;
        final Entry entry;
        final Service service;

        private Claim(Address owner, Entry entry, Service service) {
            this.owner = owner;
            this.entry = entry;
            this.service = service;
        }

        static Claim of(Address owner, Entry entry, OwnerState state) {
            return new Claim(owner, entry, entry.toService(state.member, state.site));
        }

        /** Returns a claim to look up what {@code entry} claims: not to be shown. */
        static Claim key(Entry entry) {
            return new Claim(null, entry, null);
        }

        ServiceIndex.Item item() {
            return new ServiceIndex.Item(service, Roles.role(entry.role(), entry.version()));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Claim other && entry.id().equals(other.entry.id())
                    && entry.role().equals(other.entry.role()) && entry.environment().equals(other.entry.environment());
        }

        @Override
        public int hashCode() {
            return (entry.id().hashCode() * 31 + entry.role().hashCode()) * 31 + entry.environment().hashCode();
        }
    }

    /**
     * Two owners' entries at one host:port, as every member that holds both finds them: the
     * loser is the younger registration (the greater id: ids are time-ordered ULIDs; on equal
     * ids, the greater owner address), the same on every member.
     */
    record PortConflict(Address winnerOwner, String winnerMember, Entry winner,
                        Address loserOwner, String loserMember, Entry loser) {
    }

    private final ServiceIndex index;
    private final PortBook ports;
    private Consumer<PortConflict> conflicts = conflict -> { };
    private final Map<Address, OwnerState> owners = new HashMap<>();
    /**
     * Published entries by what the index keys them by: the claim shown, that of the lowest owner
     * address. One claim per key is the rule; {@link #contested} holds every claim of the keys that
     * two or more owners claim (only a forger reuses an id), so the usual key costs no map of its own.
     */
    private Map<Claim, Claim> claims = new HashMap<>(); // replaced only to size it once for a large snapshot
    /** Every owner's claim of each key claimed by two or more owners, lowest address first. */
    private final Map<Claim, TreeMap<Address, Claim>> contested = new HashMap<>();
    private final ConcurrentHashMap<Address, String> hosts = new ConcurrentHashMap<>();
    private final Function<Address, String> siteOf;

    /** A replica of one site's cluster: every owner is of the {@link io.seaport.Seaport#DEFAULT_SITE}. */
    Replica(ServiceIndex index, PortBook ports) {
        this(index, ports, owner -> io.seaport.Seaport.DEFAULT_SITE);
    }

    /** A replica whose owners' sites {@code siteOf} tells (from their addresses). */
    Replica(ServiceIndex index, PortBook ports, Function<Address, String> siteOf) {
        this.index = index;
        this.ports = ports;
        this.siteOf = siteOf;
    }

    /**
     * Returns the number of the last change of {@code owner}'s incarnation applied on top of a
     * snapshot, or -1 if none is (unknown owner, another incarnation, or a snapshot awaited): a
     * change numbered beyond the next one means changes were lost on the way.
     */
    long appliedSeq(Address owner, long incarnation) {
        OwnerState state = owners.get(owner);
        return state != null && state.incarnation == incarnation && state.snapshotSeen ? state.seq : -1;
    }

    /** Applies a PUT from {@code from}. */
    List<ServiceEvent> put(Address from, WireMessage.Owner owner, Entry entry) {
        List<ServiceEvent> events = new ArrayList<>();
        OwnerState state = stateFor(from, owner, false, events);
        remember(state, new WireMessage.Put(owner, entry));
        if (state != null) {
            putEntry(from, state, owner, entry, events);
        }
        index.publish();
        return events;
    }

    /**
     * Adds or replaces one entry of {@code state}, unless it is not at the owner's host or the
     * owner already holds the most it may.
     */
    private void putEntry(Address from, OwnerState state, WireMessage.Owner owner, Entry entry,
                          List<ServiceEvent> events) {
        if (!atOwnersHost(state, entry)) {
            return; // refused, logged
        }
        if (!state.entries.containsKey(entry.id()) && state.entries.size() >= Limits.MEMBER_ENTRIES) {
            if (!state.floodLogged) { // once per owner: a flood must not flood the log too
                state.floodLogged = true;
                LOG.warn("member {} holds {} registrations, the most one member may hold; refusing its further "
                        + "registrations such as '{}@{}'", owner.member(), state.entries.size(), entry.role(),
                        entry.version());
            }
            return;
        }
        replace(from, state, state.entries.get(entry.id()), entry, ServiceEvent.Reason.FREED, events);
        state.entries.put(entry.id(), entry);
    }

    /** Applies a HEALTH change from {@code from}; an unknown id (freed meanwhile) changes nothing. */
    List<ServiceEvent> health(Address from, WireMessage.Owner owner, String id, Health health) {
        List<ServiceEvent> events = new ArrayList<>();
        OwnerState state = stateFor(from, owner, false, events);
        Entry old = state == null ? null : state.entries.get(id);
        if (old != null) {
            Entry current = old.withHealth(health);
            replace(from, state, old, current, ServiceEvent.Reason.FREED, events);
            state.entries.put(id, current);
        }
        index.publish();
        return events;
    }

    /** Applies a FREE from {@code from}. */
    List<ServiceEvent> free(Address from, WireMessage.Owner owner, List<String> ids) {
        List<ServiceEvent> events = new ArrayList<>();
        OwnerState state = stateFor(from, owner, false, events);
        remember(state, new WireMessage.Free(owner, ids));
        if (state != null) {
            for (String id : ids) {
                Entry old = state.entries.remove(id);
                replace(from, state, old, null, ServiceEvent.Reason.FREED, events);
            }
        }
        index.publish();
        return events;
    }

    /**
     * Applies a BATCH from {@code from}: its changes in order, skipping those not newer than what
     * was applied; readers see the whole batch at once (one {@link ServiceIndex#publish()}).
     */
    List<ServiceEvent> batch(Address from, WireMessage.Batch batch) {
        List<ServiceEvent> events = new ArrayList<>();
        WireMessage.Owner first = batch.owner();
        OwnerState before = owners.get(from);
        long applied = before != null && before.incarnation == first.incarnation() ? before.seq : -1;
        WireMessage.Owner last = new WireMessage.Owner(first.incarnation(), batch.lastSeq(), first.member(),
                first.host());
        OwnerState state = stateFor(from, last, false, events);
        remember(state, batch);
        if (state != null) {
            long seq = first.seq();
            for (WireMessage.Change change : batch.changes()) {
                if (seq++ <= applied) {
                    continue; // already covered by a snapshot
                }
                if (change.put() != null) {
                    putEntry(from, state, last, change.put(), events);
                } else {
                    replace(from, state, state.entries.remove(change.freedId()), null, ServiceEvent.Reason.FREED,
                            events);
                }
            }
        }
        index.publish();
        return events;
    }

    /** Applies a SNAPSHOT from {@code from}: its entries replace the owner's. */
    List<ServiceEvent> snapshot(Address from, WireMessage.Owner owner, List<Entry> entries) {
        return snapshot(from, new WireMessage.Snapshot(owner, entries));
    }

    /**
     * Applies a SNAPSHOT from {@code from}: its entries replace the owner's. Entries the decoder
     * refused are not held (the owner's others are); each is logged once per owner instance.
     */
    List<ServiceEvent> snapshot(Address from, WireMessage.Snapshot snapshot) {
        WireMessage.Owner owner = snapshot.owner();
        List<Entry> entries = snapshot.entries();
        List<ServiceEvent> events = new ArrayList<>();
        OwnerState state = stateFor(from, owner, true, events);
        if (state != null) {
            logRefusals(state, snapshot.refused());
            if (state.entries.isEmpty() && state.sinceBase.isEmpty()) {
                return snapshotOfNewOwner(from, state, entries, events);
            }
            if (state.aheadOf == owner.seq() && state.sinceBase.isEmpty() && !state.sinceBaseOverflow
                    && heldAlready(state, entries)) {
                // Every part was applied ahead (snapshotPartAhead) and nothing changed since: this
                // is what the comparison below would find, without building it.
                state.snapshotSeen = true;
                state.aheadOf = -1;
                index.publish();
                return events;
            }
            Map<String, Entry> incoming = new LinkedHashMap<>(capacityFor(entries.size()));
            for (Entry entry : entries) {
                if (atOwnersHost(state, entry)) {
                    incoming.put(entry.id(), entry);
                }
            }
            // Changes sent after the snapshot was copied may have arrived first (snapshots come by
            // unicast, changes by multicast): apply them on top of it, in their order, before
            // comparing with what is held, so that only real differences make events.
            for (WireMessage change : state.sinceBase) {
                if (change instanceof WireMessage.Put put && put.owner().seq() > state.seq) {
                    if (atOwnersHost(state, put.entry())
                            && (incoming.containsKey(put.entry().id()) || incoming.size() < Limits.MEMBER_ENTRIES)) {
                        incoming.put(put.entry().id(), put.entry());
                    }
                    state.seq = put.owner().seq();
                } else if (change instanceof WireMessage.Free free && free.owner().seq() > state.seq) {
                    free.ids().forEach(incoming::remove);
                    state.seq = free.owner().seq();
                } else if (change instanceof WireMessage.Batch batch && batch.lastSeq() > state.seq) {
                    long seq = batch.owner().seq();
                    for (WireMessage.Change each : batch.changes()) {
                        if (seq > state.seq) {
                            if (each.put() == null) {
                                incoming.remove(each.freedId());
                            } else if (atOwnersHost(state, each.put()) && (incoming.containsKey(each.put().id())
                                    || incoming.size() < Limits.MEMBER_ENTRIES)) {
                                incoming.put(each.put().id(), each.put());
                            }
                            state.seq = seq;
                        }
                        seq++;
                    }
                }
            }
            state.sinceBase.clear();
            state.snapshotSeen = true;
            state.aheadOf = -1;
            // Entries the owner no longer has: it freed them while we did not hear (a partition).
            for (Entry old : List.copyOf(state.entries.values())) {
                if (!incoming.containsKey(old.id())) {
                    state.entries.remove(old.id());
                    replace(from, state, old, null, ServiceEvent.Reason.FREED, events);
                }
            }
            for (Entry entry : incoming.values()) {
                replace(from, state, state.entries.get(entry.id()), entry, ServiceEvent.Reason.FREED, events);
            }
            // One putAll rather than a put per entry: into an empty map (a newcomer's), it sizes the
            // table once. Nothing above reads this owner's entries but by the ids of the loop.
            state.entries.putAll(incoming);
        }
        index.publish();
        return events;
    }

    /**
     * Applies the entries of one part of {@code from}'s snapshot ahead of the whole snapshot, without
     * publishing them, so that the whole, once its last part is in, finds them in place and costs
     * little ({@link #snapshot} still applies it whole, compares and publishes: the result is the
     * same as without this call). For a member that is still joining, which nobody reads yet: a
     * newcomer's large snapshot then builds its replica while the rest of the snapshot is on its way.
     * Does nothing unless the replica holds of this owner nothing but the earlier parts of this very
     * snapshot, and no change of it (a change that arrives meanwhile is left to the whole snapshot).
     */
    List<ServiceEvent> snapshotPartAhead(Address from, WireMessage.Snapshot part) {
        WireMessage.Owner owner = part.owner();
        OwnerState held = owners.get(from);
        if (held != null && (held.snapshotSeen || !held.sinceBase.isEmpty() || held.sinceBaseOverflow
                || held.incarnation != owner.incarnation() || held.seq > owner.seq()
                || !held.entries.isEmpty() && held.aheadOf != owner.seq()
                || held.entries.size() + part.entries().size() > Limits.MEMBER_ENTRIES)) {
            return List.of();
        }
        List<ServiceEvent> events = new ArrayList<>();
        OwnerState state = stateFor(from, owner, true, events);
        if (state == null) {
            return events;
        }
        state.aheadOf = owner.seq();
        if (state.entries.isEmpty()) {
            // Sized once for the whole snapshot, as the parts so far suggest; never beyond what one member may hold.
            int expected = (int) Math.min(Limits.MEMBER_ENTRIES, (long) part.entries().size() * part.parts());
            state.entries = new LinkedHashMap<>(capacityFor(expected));
            reserveClaims(expected);
        }
        for (Entry entry : part.entries()) {
            if (atOwnersHost(state, entry)) {
                replace(from, state, state.entries.get(entry.id()), entry, ServiceEvent.Reason.FREED, events);
                state.entries.put(entry.id(), entry);
            }
        }
        return events;
    }

    /** Returns whether {@code state} holds exactly {@code entries}, each the very instance listed. */
    private static boolean heldAlready(OwnerState state, List<Entry> entries) {
        if (state.entries.size() != entries.size()) {
            return false;
        }
        for (Entry entry : entries) {
            if (state.entries.get(entry.id()) != entry) {
                return false;
            }
        }
        return true;
    }

    /**
     * Applies a snapshot of an owner this replica holds nothing of and no change of which waits to
     * be applied on top: the usual case of a newcomer, which gets one per member. The same result
     * as the general case, with no map of the incoming entries beside the owner's own (one object
     * fewer per entry while the newcomer builds its replica).
     */
    private List<ServiceEvent> snapshotOfNewOwner(Address from, OwnerState state, List<Entry> entries,
                                                  List<ServiceEvent> earlier) {
        List<ServiceEvent> events = new ArrayList<>(earlier.size() + entries.size());
        events.addAll(earlier);
        reserveClaims(entries.size());
        state.entries = new LinkedHashMap<>(capacityFor(entries.size()));
        for (Entry entry : entries) {
            if (atOwnersHost(state, entry)) {
                state.entries.put(entry.id(), entry); // a repeated id: the last one counts, as in the general case
            }
        }
        state.snapshotSeen = true;
        state.aheadOf = -1;
        for (Entry entry : state.entries.values()) {
            replace(from, state, null, entry, ServiceEvent.Reason.FREED, events);
        }
        index.publish();
        return events;
    }

    /**
     * Sizes {@link #claims} once for {@code more} claims when they would more than double it: a
     * newcomer's first large snapshot would otherwise rehash it again and again as it grows.
     */
    private void reserveClaims(int more) {
        if (more > 1_024 && more > claims.size()) {
            Map<Claim, Claim> sized = new HashMap<>(capacityFor(claims.size() + more));
            sized.putAll(claims);
            claims = sized;
        }
    }

    /** Returns the initial capacity of a hash map that holds {@code size} mappings without growing. */
    private static int capacityFor(int size) {
        return (int) Math.min(Integer.MAX_VALUE, (long) size * 4 / 3 + 1);
    }

    private static void logRefusals(OwnerState state, List<String> refused) {
        for (String refusal : refused) {
            if (state.refusalsLogged.size() < MAX_REFUSALS_LOGGED && state.refusalsLogged.add(refusal)) {
                LOG.warn("member {} sent a registration this member cannot accept; it is left out, the member's "
                        + "others are kept: {}", state.member, refusal);
            } else {
                LOG.debug("member {} again sent a registration this member cannot accept: {}", state.member, refusal);
            }
        }
    }

    /** Forgets an owner that left the view; its services go with {@link ServiceEvent.Reason#MEMBER_LEFT}. */
    List<ServiceEvent> drop(Address owner) {
        List<ServiceEvent> events = new ArrayList<>();
        OwnerState state = owners.remove(owner);
        hosts.remove(owner);
        if (state != null) {
            for (Entry old : state.entries.values()) {
                replace(owner, state, old, null, ServiceEvent.Reason.MEMBER_LEFT, events);
            }
        }
        index.publish();
        return events;
    }

    /** Returns the owners this replica holds state for. */
    Set<Address> owners() {
        return Set.copyOf(owners.keySet());
    }

    /** Returns whether a snapshot of {@code owner} has been applied since it was last dropped. */
    boolean hasSnapshot(Address owner) {
        OwnerState state = owners.get(owner);
        return state != null && state.snapshotSeen;
    }

    /**
     * Marks that a fresh snapshot of {@code owner} is due (it came back after a merge): until it
     * arrives, {@link #hasSnapshot} is false and the member asks for it.
     */
    void expectSnapshot(Address owner) {
        OwnerState state = owners.get(owner);
        if (state != null) {
            state.snapshotSeen = false;
            state.base = state.seq;
            state.sinceBase.clear();
            state.sinceBaseOverflow = false;
        }
    }

    /** Returns the advertised host of each known owner; any thread. */
    Map<Address, String> hosts() {
        return hosts;
    }

    /** Returns a one-line summary per owner; event thread only. */
    String describe() {
        StringBuilder out = new StringBuilder();
        owners.forEach((address, state) -> out.append("    ").append(state.member).append(" (").append(address)
                .append(") seq=").append(state.seq).append(" snapshot=").append(state.snapshotSeen)
                .append(" entries=").append(state.entries.values()).append('\n'));
        return out.toString();
    }

    /**
     * Returns the state to apply an owner message to, or null if the message is stale. A higher
     * incarnation means the owner restarted under the same address: its old entries are gone.
     */
    private OwnerState stateFor(Address from, WireMessage.Owner owner, boolean snapshot, List<ServiceEvent> events) {
        OwnerState state = owners.get(from);
        if (state != null && owner.incarnation() != state.incarnation) {
            if (owner.incarnation() < state.incarnation) {
                return null;
            }
            events.addAll(drop(from));
            state = null;
        }
        if (state == null) {
            state = new OwnerState();
            state.site = siteOf.apply(from);
            state.incarnation = owner.incarnation();
            state.base = owner.seq() - 1;
            owners.put(from, state);
        } else if (snapshot ? !usableSnapshot(state, owner.seq()) : owner.seq() <= state.seq) {
            return null;
        } else if (!state.host.equals(owner.host()) || !state.member.equals(owner.member())) {
            if (state.refusalsLogged.size() < MAX_REFUSALS_LOGGED && state.refusalsLogged.add("identity")) {
                LOG.warn("member {} at {} sent a message as {} at {} within one incarnation; ignoring such messages",
                        state.member, state.host, owner.member(), owner.host());
            }
            return null;
        }
        state.seq = owner.seq();
        state.member = owner.member();
        state.host = owner.host();
        hosts.put(from, owner.host());
        return state;
    }

    /**
     * Returns whether a snapshot numbered {@code seq} can be applied: it is not older than what
     * was applied, or, while a snapshot is awaited, it reaches the first change kept since then.
     */
    private static boolean usableSnapshot(OwnerState state, long seq) {
        return seq >= state.seq || (!state.snapshotSeen && !state.sinceBaseOverflow && seq >= state.base);
    }

    /** Keeps an applied change of an owner whose snapshot is awaited, to apply it again after the snapshot. */
    private static void remember(OwnerState state, WireMessage change) {
        if (state == null || state.snapshotSeen || state.sinceBaseOverflow) {
            return;
        }
        if (state.sinceBase.size() >= MAX_CHANGES_AWAITING_SNAPSHOT) {
            state.sinceBase.clear();
            state.sinceBaseOverflow = true;
            return;
        }
        state.sinceBase.add(change);
    }

    /** Returns whether {@code entry} is at its owner's advertised host; logs a refusal once per owner and id. */
    private static boolean atOwnersHost(OwnerState state, Entry entry) {
        if (entry.host().equals(state.host)) {
            return true;
        }
        String refusal = "entry " + entry.id() + " at another host";
        if (state.refusalsLogged.size() < MAX_REFUSALS_LOGGED && state.refusalsLogged.add(refusal)) {
            LOG.warn("member {} advertises host {} but sent entry {} ('{}@{}') at {}:{}; a member may publish only at "
                    + "its own host, so it is refused", state.member, state.host, entry.id(), entry.role(),
                    entry.version(), entry.host(), entry.port());
        }
        return false;
    }

    /**
     * Records that {@code owner}'s {@code old} became {@code current} (either may be null) and emits
     * the events of what the index shows.
     */
    private void replace(Address owner, OwnerState state, Entry old, Entry current, ServiceEvent.Reason reason,
                         List<ServiceEvent> events) {
        if (old != null && old.equals(current)) {
            return;
        }
        if (old != null && current != null && old.published() && current.published()
                && old.withHealth(current.health()).equals(current)) {
            // Only the health changed: the same service, with a HealthChanged rather than Freed + Registered
            // (and none while another owner's entry with this id is the one shown).
            ports.remove(old);
            ports.add(current);
            Claim claim = Claim.of(owner, current, state);
            TreeMap<Address, Claim> all = contested.get(claim);
            if (all != null) {
                all.put(owner, claim);
            }
            Claim shown = claims.get(claim);
            if (shown == null || shown.owner.equals(owner)) {
                setShown(claim);
                index.put(claim.item());
                events.add(new ServiceEvent.HealthChanged(claim.service, old.health()));
            }
            return;
        }
        if (old != null) {
            ports.remove(old);
            if (old.published()) {
                unclaim(owner, Claim.key(old), reason, events);
            }
        }
        if (current != null) {
            if (ports.add(current)) { // the port was held already
                findConflicts(owner, state, current);
            }
            if (current.published()) {
                claim(Claim.of(owner, current, state), events);
            }
        }
    }

    /** Sets what to call, on the event thread, when two owners' entries hold one host:port. */
    void onConflict(Consumer<PortConflict> listener) {
        this.conflicts = listener;
    }

    /** Reports every other owner's entry at {@code current}'s host:port (rare: a scan of the replica). */
    private void findConflicts(Address owner, OwnerState state, Entry current) {
        for (Map.Entry<Address, OwnerState> other : owners.entrySet()) {
            if (other.getKey().equals(owner)) {
                continue;
            }
            for (Entry held : other.getValue().entries.values()) {
                if (held.port() != current.port() || !held.host().equals(current.host())) {
                    continue;
                }
                int age = held.id().compareTo(current.id());
                boolean currentLoses = age < 0 || age == 0 && other.getKey().compareTo(owner) < 0;
                conflicts.accept(currentLoses
                        ? new PortConflict(other.getKey(), other.getValue().member, held, owner, state.member, current)
                        : new PortConflict(owner, state.member, current, other.getKey(), other.getValue().member, held));
            }
        }
    }

    private void claim(Claim claim, List<ServiceEvent> events) {
        Address owner = claim.owner;
        Claim shown = claims.get(claim);
        if (shown == null) {
            claims.put(claim, claim);
            show(claim, events);
            return;
        }
        boolean sameOwner = shown.owner.equals(owner);
        TreeMap<Address, Claim> all = contested.get(claim);
        if (all == null && !sameOwner) {
            all = new TreeMap<>();
            all.put(shown.owner, shown);
            contested.put(Claim.key(shown.entry), all);
        }
        if (all != null) {
            all.put(owner, claim);
        }
        if (!sameOwner && shown.owner.compareTo(owner) < 0) {
            return; // another owner's entry with this id stays shown
        }
        if (!sameOwner) {
            LOG.warn("members {} and {} both publish id {}; showing {}'s", shown.service.member(),
                    claim.service.member(), claim.entry.id(), claim.service.member());
        }
        index.remove(shown.service);
        events.add(new ServiceEvent.Freed(shown.service, ServiceEvent.Reason.FREED));
        setShown(claim);
        show(claim, events);
    }

    /**
     * Makes {@code claim} the one shown for its key. Removed first: a map keeps the key object it
     * has, and the old claim must not stay referenced as the key.
     */
    private void setShown(Claim claim) {
        claims.remove(claim);
        claims.put(claim, claim);
    }

    /** Withdraws {@code owner}'s claim of {@code key} (a {@link Claim#key}); shows the next claimant's, if any. */
    private void unclaim(Address owner, Claim key, ServiceEvent.Reason reason, List<ServiceEvent> events) {
        Claim shown = claims.get(key);
        if (shown == null) {
            return;
        }
        boolean wasShown = shown.owner.equals(owner);
        TreeMap<Address, Claim> all = contested.get(key);
        if (all == null) {
            if (wasShown) {
                claims.remove(key);
                index.remove(shown.service);
                events.add(new ServiceEvent.Freed(shown.service, reason));
            }
            return;
        }
        Claim removed = all.remove(owner);
        if (all.size() < 2) {
            contested.remove(key); // one claim left: claims holds it (shown now, if it was not)
        }
        if (removed == null || !wasShown) {
            return;
        }
        index.remove(removed.service);
        events.add(new ServiceEvent.Freed(removed.service, reason));
        Claim next = all.firstEntry().getValue();
        setShown(next);
        show(next, events);
    }

    private void show(Claim claim, List<ServiceEvent> events) {
        index.put(claim.item());
        events.add(new ServiceEvent.Registered(claim.service));
    }
}
