package io.seaport.jgroups.internal;

import io.seaport.Service;
import io.seaport.ServiceEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jgroups.Address;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This member's copy of the registry: for every owner (a member of the view), the entries it
 * published and the position in its stream of changes that they reflect.
 *
 * <p>Design: owner-authoritative. Only an owner's own messages change its entries; a snapshot
 * replaces them whole. Each owner message carries the owner's incarnation and sequence number,
 * and one that is not newer than what was applied is ignored, so a late snapshot or change
 * cannot bring back an older state. Confined to the event thread, except the {@link ServiceIndex},
 * {@link PortBook} and host map it keeps up to date for lock-free readers. Every method returns
 * the events its change caused, in order.
 */
final class Replica {
    private static final Logger LOG = LoggerFactory.getLogger(Replica.class);

    private static final class OwnerState {
        long incarnation;
        long seq = -1;
        String member;
        String host;
        boolean snapshotSeen;
        boolean floodLogged;
        final Map<String, Entry> entries = new LinkedHashMap<>();
    }

    private final ServiceIndex index;
    private final PortBook ports;
    private final Map<Address, OwnerState> owners = new HashMap<>();
    private final ConcurrentHashMap<Address, String> hosts = new ConcurrentHashMap<>();

    Replica(ServiceIndex index, PortBook ports) {
        this.index = index;
        this.ports = ports;
    }

    /** Applies a PUT from {@code from}. */
    List<ServiceEvent> put(Address from, WireMessage.Owner owner, Entry entry) {
        List<ServiceEvent> events = new ArrayList<>();
        OwnerState state = stateFor(from, owner, false, events);
        if (state != null) {
            putEntry(state, owner, entry, events);
        }
        index.publish();
        return events;
    }

    /** Adds or replaces one entry of {@code state}, unless the owner already holds the most it may. */
    private void putEntry(OwnerState state, WireMessage.Owner owner, Entry entry, List<ServiceEvent> events) {
        if (!state.entries.containsKey(entry.id()) && state.entries.size() >= WireCodec.Limits.MEMBER_ENTRIES) {
            if (!state.floodLogged) { // once per owner: a flood must not flood the log too
                state.floodLogged = true;
                LOG.warn("member {} holds {} registrations, the most one member may hold; refusing its further "
                        + "registrations such as '{}@{}'", owner.member(), state.entries.size(), entry.role(),
                        entry.version());
            }
            return;
        }
        replace(state, state.entries.get(entry.id()), entry, ServiceEvent.Reason.FREED, events);
        state.entries.put(entry.id(), entry);
    }

    /** Applies a FREE from {@code from}. */
    List<ServiceEvent> free(Address from, WireMessage.Owner owner, List<String> ids) {
        List<ServiceEvent> events = new ArrayList<>();
        OwnerState state = stateFor(from, owner, false, events);
        if (state != null) {
            for (String id : ids) {
                Entry old = state.entries.remove(id);
                replace(state, old, null, ServiceEvent.Reason.FREED, events);
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
        if (state != null) {
            long seq = first.seq();
            for (WireMessage.Change change : batch.changes()) {
                if (seq++ <= applied) {
                    continue; // already covered by a snapshot
                }
                if (change.put() != null) {
                    putEntry(state, last, change.put(), events);
                } else {
                    replace(state, state.entries.remove(change.freedId()), null, ServiceEvent.Reason.FREED, events);
                }
            }
        }
        index.publish();
        return events;
    }

    /** Applies a SNAPSHOT from {@code from}: its entries replace the owner's. */
    List<ServiceEvent> snapshot(Address from, WireMessage.Owner owner, List<Entry> entries) {
        List<ServiceEvent> events = new ArrayList<>();
        OwnerState state = stateFor(from, owner, true, events);
        if (state != null) {
            state.snapshotSeen = true;
            Map<String, Entry> incoming = new LinkedHashMap<>();
            for (Entry entry : entries) {
                incoming.put(entry.id(), entry);
            }
            // Entries the owner no longer has: it freed them while we did not hear (a partition).
            for (Entry old : List.copyOf(state.entries.values())) {
                if (!incoming.containsKey(old.id())) {
                    state.entries.remove(old.id());
                    replace(state, old, null, ServiceEvent.Reason.FREED, events);
                }
            }
            for (Entry entry : incoming.values()) {
                replace(state, state.entries.get(entry.id()), entry, ServiceEvent.Reason.FREED, events);
                state.entries.put(entry.id(), entry);
            }
        }
        index.publish();
        return events;
    }

    /** Forgets an owner that left the view; its services go with {@link ServiceEvent.Reason#MEMBER_LEFT}. */
    List<ServiceEvent> drop(Address owner) {
        List<ServiceEvent> events = new ArrayList<>();
        OwnerState state = owners.remove(owner);
        hosts.remove(owner);
        if (state != null) {
            for (Entry old : state.entries.values()) {
                replace(state, old, null, ServiceEvent.Reason.MEMBER_LEFT, events);
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
            state.incarnation = owner.incarnation();
            owners.put(from, state);
        } else if (snapshot ? owner.seq() < state.seq : owner.seq() <= state.seq) {
            return null;
        }
        state.seq = owner.seq();
        state.member = owner.member();
        state.host = owner.host();
        hosts.put(from, owner.host());
        return state;
    }

    /** Records that {@code old} became {@code current} (either may be null) and emits the events. */
    private void replace(OwnerState state, Entry old, Entry current, ServiceEvent.Reason reason,
                         List<ServiceEvent> events) {
        if (old != null && old.equals(current)) {
            return;
        }
        if (old != null) {
            ports.remove(old);
            if (old.published()) {
                Service service = old.toService(state.member);
                index.remove(service);
                events.add(new ServiceEvent.Freed(service, reason));
            }
        }
        if (current != null) {
            ports.add(current);
            if (current.published()) {
                Service service = current.toService(state.member);
                index.put(new ServiceIndex.Item(service, Roles.role(current.role(), current.version())));
                events.add(new ServiceEvent.Registered(service));
            }
        }
    }
}
