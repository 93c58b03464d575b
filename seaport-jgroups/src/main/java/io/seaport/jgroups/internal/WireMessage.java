package io.seaport.jgroups.internal;

import io.seaport.Health;
import java.util.List;
import java.util.Objects;

/** The messages members exchange; see {@link WireCodec} for their encoding. */
sealed interface WireMessage {

    /**
     * Who sent an owner message, and where it stands in the owner's stream of changes.
     *
     * @param incarnation chosen once per member instance; a higher one replaces the owner's state
     * @param seq the owner's change counter: the change's own number, or for a snapshot the number
     *     of the last change it includes
     * @param member the owner's readable name
     * @param host the owner's advertised host
     */
    record Owner(long incarnation, long seq, String member, String host) {
        public Owner {
            Objects.requireNonNull(member, "member");
            Objects.requireNonNull(host, "host");
        }
    }

    /** Adds or replaces one of the owner's entries. */
    record Put(Owner owner, Entry entry) implements WireMessage {
    }

    /** Removes some of the owner's entries (the owner freed them). */
    record Free(Owner owner, List<String> ids) implements WireMessage {
        public Free {
            ids = List.copyOf(ids);
        }
    }

    /**
     * Consecutive changes of one owner in one message, in the order the owner made them: change
     * {@code i} has sequence number {@code owner.seq() + i}.
     */
    record Batch(Owner owner, List<Change> changes) implements WireMessage {
        public Batch {
            changes = List.copyOf(changes);
            if (changes.isEmpty()) {
                throw new IllegalArgumentException("a batch holds at least one change");
            }
        }

        /** Returns the sequence number of the batch's last change. */
        long lastSeq() {
            return owner.seq() + changes.size() - 1;
        }
    }

    /** One change of a {@link Batch}: a PUT of {@code put}, or a FREE of {@code freedId}. */
    record Change(Entry put, String freedId) {
        public Change {
            if ((put == null) == (freedId == null)) {
                throw new IllegalArgumentException("a change is either a put or a free");
            }
        }

        static Change put(Entry entry) {
            return new Change(Objects.requireNonNull(entry, "entry"), null);
        }

        static Change free(String id) {
            return new Change(null, Objects.requireNonNull(id, "id"));
        }
    }

    /** Changes the health of one of the owner's entries; sent only when it changes. */
    record HealthChange(Owner owner, String id, Health health) implements WireMessage {
        public HealthChange {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(health, "health");
        }
    }

    /**
     * The owner's complete set of entries, or one part of it; the whole replaces whatever a
     * receiver held for the owner. A large snapshot is sent in parts numbered {@code 0..parts-1},
     * in order, all with the same owner header.
     *
     * @param part this part's number, from 0
     * @param parts how many parts the snapshot has, at least 1
     * @param refused on the receiving side, one line per entry the codec could not accept (its id
     *     and why), left out of {@code entries}; always empty when sending
     */
    record Snapshot(Owner owner, List<Entry> entries, int part, int parts, List<String> refused)
            implements WireMessage {
        public Snapshot {
            entries = List.copyOf(entries);
            refused = List.copyOf(refused);
            if (parts < 1 || part < 0 || part >= parts) {
                throw new IllegalArgumentException("part " + part + " of " + parts);
            }
        }

        /** A whole snapshot of {@code entries}, in one part, nothing refused. */
        public Snapshot(Owner owner, List<Entry> entries) {
            this(owner, entries, 0, 1, List.of());
        }

        /** Returns whether this is the last part. */
        boolean last() {
            return part == parts - 1;
        }
    }

    /**
     * Asks a member to send its snapshot to the asker (by unicast): sent by a joiner, after a merge,
     * and again by a member still missing a snapshot.
     */
    record SnapshotRequest() implements WireMessage {
    }

    /** Asks a host's allocator for a free port; answered by a {@link PortGrant}. */
    record PortRequest(long requestId, String host, String bindAddress, int from, int to) implements WireMessage {
    }

    /** The answer to a {@link PortRequest}: a port, or 0 if none is free. */
    record PortGrant(long requestId, int port) implements WireMessage {
    }
}
