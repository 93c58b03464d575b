package io.seaport.jgroups.internal;

import io.seaport.internal.Limits;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jgroups.Address;

/**
 * Puts the parts of each member's snapshot back together. A sender's unicasts arrive in order, so
 * parts arrive as {@code 0, 1, ... parts-1}; a part out of that order (one was lost, or a newer
 * snapshot started) drops what was gathered, and the asker asks again. Memory: one snapshot in
 * assembly per sender, of at most {@link Limits#MEMBER_ENTRIES} entries. Confined to the event thread.
 */
final class SnapshotParts {
    private record Key(long incarnation, long seq, int parts) {
        static Key of(WireMessage.Snapshot part) {
            return new Key(part.owner().incarnation(), part.owner().seq(), part.parts());
        }
    }

    private static final class Assembly {
        final Key key;
        int next;
        final List<Entry> entries = new ArrayList<>();
        final List<String> refused = new ArrayList<>();

        Assembly(Key key) {
            this.key = key;
        }
    }

    private final Map<Address, Assembly> assemblies = new HashMap<>();

    /** Returns the whole snapshot once {@code part} completes it, or null while parts are missing. */
    WireMessage.Snapshot add(Address from, WireMessage.Snapshot part) {
        if (part.parts() == 1) {
            assemblies.remove(from);
            return part;
        }
        Key key = Key.of(part);
        Assembly assembly = assemblies.get(from);
        if (part.part() == 0) {
            assembly = new Assembly(key);
            assemblies.put(from, assembly);
        } else if (assembly == null || !assembly.key.equals(key) || assembly.next != part.part()) {
            assemblies.remove(from);
            return null;
        }
        if (assembly.entries.size() + part.entries().size() > Limits.MEMBER_ENTRIES) {
            assemblies.remove(from);
            return null;
        }
        assembly.entries.addAll(part.entries());
        assembly.refused.addAll(part.refused());
        assembly.next++;
        if (!part.last()) {
            return null;
        }
        assemblies.remove(from);
        return new WireMessage.Snapshot(part.owner(), assembly.entries, 0, 1, assembly.refused);
    }

    /** Returns whether {@code part}, just {@link #add}ed, was taken into {@code from}'s snapshot in assembly. */
    boolean took(Address from, WireMessage.Snapshot part) {
        Assembly assembly = assemblies.get(from);
        return assembly != null && assembly.key.equals(Key.of(part)) && assembly.next == part.part() + 1;
    }

    /** Forgets the assemblies of senders not in {@code members}. */
    void retain(Collection<Address> members) {
        assemblies.keySet().retainAll(members);
    }
}
