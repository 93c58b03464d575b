package io.seaport.jgroups.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.seaport.Health;
import io.seaport.ServiceEvent;
import io.seaport.RoleRange;
import io.seaport.internal.Limits;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jgroups.Address;
import org.jgroups.util.UUID;
import org.junit.jupiter.api.Test;

final class ReplicaTest {
    private final ServiceIndex index = new ServiceIndex();
    private final PortBook ports = new PortBook();
    private final Replica replica = new Replica(index, ports);
    private final Address owner = UUID.randomUUID();

    private static WireMessage.Owner owner(long incarnation, long seq) {
        return new WireMessage.Owner(incarnation, seq, "m", "127.0.0.1");
    }

    private static Entry entry(String id, int port) {
        return new Entry(id, "default", "http", "1.0.0", "127.0.0.1", port, Map.of(), true, false);
    }

    @Test
    void snapshot_olderThanAppliedChanges_isIgnored() {
        replica.put(owner, owner(1, 5), entry("a", 1001));

        List<ServiceEvent> events = replica.snapshot(owner, owner(1, 4), List.of());

        assertThat(events).isEmpty();
        assertThat(index.query("default", RoleRange.parse("http"))).hasSize(1);
    }

    @Test
    void change_notNewerThanSnapshot_isIgnored() {
        replica.snapshot(owner, owner(1, 5), List.of(entry("a", 1001)));

        List<ServiceEvent> events = replica.free(owner, owner(1, 5), List.of("a"));

        assertThat(events).isEmpty();
        assertThat(index.query("default", RoleRange.parse("http"))).hasSize(1);
    }

    @Test
    void snapshot_newer_emitsOnlyTheDifferences() {
        replica.put(owner, owner(1, 1), entry("a", 1001));
        replica.put(owner, owner(1, 2), entry("b", 1002));

        List<ServiceEvent> events = replica.snapshot(owner, owner(1, 4), List.of(entry("b", 1002), entry("c", 1003)));

        assertThat(events).hasSize(2);
        assertThat(events.get(0)).isInstanceOf(ServiceEvent.Freed.class);
        assertThat(events.get(0).service().id()).isEqualTo("a");
        assertThat(((ServiceEvent.Freed) events.get(0)).reason()).isEqualTo(ServiceEvent.Reason.FREED);
        assertThat(events.get(1)).isInstanceOf(ServiceEvent.Registered.class);
        assertThat(events.get(1).service().id()).isEqualTo("c");
        assertThat(ports.isUsed("127.0.0.1", 1001)).isFalse();
        assertThat(ports.isUsed("127.0.0.1", 1003)).isTrue();
    }

    @Test
    void message_ofOlderIncarnation_isIgnored_andNewerIncarnationReplacesState() {
        replica.put(owner, owner(2, 1), entry("a", 1001));

        List<ServiceEvent> stale = replica.put(owner, owner(1, 9), entry("old", 1009));
        List<ServiceEvent> restarted = replica.put(owner, owner(3, 1), entry("new", 1010));

        assertThat(stale).isEmpty();
        assertThat(restarted).extracting(e -> e.service().id()).containsExactly("a", "new");
        assertThat(index.query("default", RoleRange.parse("http"))).extracting(s -> s.id()).containsExactly("new");
    }

    @Test
    void drop_emitsMemberLeftForEveryPublishedEntry() {
        replica.put(owner, owner(1, 1), entry("a", 1001));
        replica.put(owner, owner(1, 2), new Entry("r", "default", "http", "1.0.0", "127.0.0.1", 1002, Map.of(),
                false, true));

        List<ServiceEvent> events = replica.drop(owner);

        assertThat(events).singleElement().isEqualTo(new ServiceEvent.Freed(entry("a", 1001).toService("m"),
                ServiceEvent.Reason.MEMBER_LEFT));
        assertThat(ports.isUsed("127.0.0.1", 1002)).isFalse();
        assertThat(replica.owners()).isEmpty();
    }

    @Test
    void put_beyondOneMembersLimit_isRefusedWhileItsOtherChangesStillApply() {
        int limit = Limits.MEMBER_ENTRIES;
        for (int i = 0; i < limit; i++) {
            replica.put(owner, owner(1, i), new Entry("id" + i, "default", "r" + i, "1.0.0", "127.0.0.1",
                    1 + i % 65_000, Map.of(), true, false));
        }

        List<ServiceEvent> flood = replica.put(owner, owner(1, limit), new Entry("flood", "default", "flood",
                "1.0.0", "127.0.0.1", 9, Map.of(), true, false));
        List<ServiceEvent> moved = replica.put(owner, owner(1, limit + 1), new Entry("id0", "default", "r0",
                "1.0.0", "127.0.0.1", 65_001, Map.of(), true, false));
        List<ServiceEvent> freed = replica.free(owner, owner(1, limit + 2), List.of("id1"));

        assertThat(flood).isEmpty();
        assertThat(index.query("default", RoleRange.parse("flood"))).isEmpty();
        assertThat(moved).hasSize(2);
        assertThat(index.query("default", RoleRange.parse("r0"))).extracting(s -> s.port()).containsExactly(65_001);
        assertThat(freed).hasSize(1);
        assertThat(index.services("default")).hasSize(limit - 1);
    }

    @Test
    void batch_partlyCoveredBySnapshot_appliesOnlyTheNewerChangesInOrder() {
        replica.snapshot(owner, owner(1, 2), List.of(entry("a", 1001), entry("b", 1002)));
        WireMessage.Batch batch = new WireMessage.Batch(owner(1, 2), List.of(
                WireMessage.Change.free("a"),                 // seq 2: covered by the snapshot
                WireMessage.Change.free("b"),                 // seq 3
                WireMessage.Change.put(entry("c", 1003)),     // seq 4
                WireMessage.Change.put(entry("c", 1004))));   // seq 5: replaces c

        List<ServiceEvent> events = replica.batch(owner, batch);

        assertThat(events).extracting(e -> e.getClass().getSimpleName() + " " + e.service().id() + ":"
                + e.service().port())
                .containsExactly("Freed b:1002", "Registered c:1003", "Freed c:1003", "Registered c:1004");
        assertThat(index.query("default", RoleRange.parse("http"))).extracting(s -> s.id() + ":" + s.port())
                .containsExactly("a:1001", "c:1004");
        assertThat(replica.batch(owner, batch)).isEmpty();
    }

    @Test
    void snapshot_olderThanChangesReceivedWhileAwaited_appliesTheSnapshotThenThoseChanges() {
        // The snapshot (unicast) was copied at seq 5; the PUT of seq 6 (multicast) arrived first.
        replica.put(owner, owner(1, 6), entry("b", 1002));

        replica.snapshot(owner, owner(1, 5), List.of(entry("a", 1001)));

        assertThat(replica.hasSnapshot(owner)).isTrue();
        assertThat(index.query("default", RoleRange.parse("http"))).extracting(s -> s.id()).containsExactlyInAnyOrder("a", "b");
        assertThat(replica.free(owner, owner(1, 6), List.of("b"))).as("seq 6 counts as applied").isEmpty();
    }

    @Test
    void snapshot_olderThanWhatWasAppliedBeforeItWasAwaited_isIgnored() {
        replica.snapshot(owner, owner(1, 5), List.of(entry("a", 1001)));
        replica.expectSnapshot(owner);

        List<ServiceEvent> events = replica.snapshot(owner, owner(1, 4), List.of());

        assertThat(events).isEmpty();
        assertThat(replica.hasSnapshot(owner)).isFalse();
    }

    @Test
    void put_sameIdByThreeOwners_showsTheLowestAddressUntilItGoesThenTheNext() {
        List<Address> byAddress = new ArrayList<>(List.of(UUID.randomUUID(), UUID.randomUUID(),
                UUID.randomUUID()));
        byAddress.sort(null);
        Address low = byAddress.get(0);
        Address middle = byAddress.get(1);
        Address high = byAddress.get(2);
        replica.put(middle, new WireMessage.Owner(1, 1, "middle", "127.0.0.1"), entry("same", 1001));
        List<ServiceEvent> lowArrives = replica.put(low, new WireMessage.Owner(1, 1, "low", "127.0.0.1"),
                entry("same", 1002));
        List<ServiceEvent> highArrives = replica.put(high, new WireMessage.Owner(1, 1, "high", "127.0.0.1"),
                entry("same", 1003));

        List<ServiceEvent> hiddenHealth = replica.health(high, new WireMessage.Owner(1, 2, "high", "127.0.0.1"),
                "same", Health.FAILING);
        List<ServiceEvent> lowGoes = replica.free(low, new WireMessage.Owner(1, 2, "low", "127.0.0.1"),
                List.of("same"));
        List<ServiceEvent> middleGoes = replica.drop(middle);
        List<ServiceEvent> highGoes = replica.free(high, new WireMessage.Owner(1, 3, "high", "127.0.0.1"),
                List.of("same"));

        assertThat(lowArrives).extracting(e -> e.getClass().getSimpleName() + " " + e.service().member())
                .containsExactly("Freed middle", "Registered low");
        assertThat(highArrives).isEmpty();
        assertThat(hiddenHealth).isEmpty();
        assertThat(lowGoes).extracting(e -> e.getClass().getSimpleName() + " " + e.service().member())
                .containsExactly("Freed low", "Registered middle");
        assertThat(middleGoes).extracting(e -> e.getClass().getSimpleName() + " " + e.service().member())
                .containsExactly("Freed middle", "Registered high");
        assertThat(middleGoes.get(1).service().health()).isEqualTo(Health.FAILING);
        assertThat(highGoes).extracting(e -> e.getClass().getSimpleName() + " " + e.service().member())
                .containsExactly("Freed high");
        assertThat(index.all()).isEmpty();
    }

    @Test
    void snapshotPartAhead_thenWhole_sameReplicaAndEventsAsTheWholeAlone() {
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            entries.add(entry("e" + i, 2000 + i));
        }
        List<WireMessage.Snapshot> parts = List.of(
                new WireMessage.Snapshot(owner(1, 9), entries.subList(0, 10), 0, 3, List.of()),
                new WireMessage.Snapshot(owner(1, 9), entries.subList(10, 20), 1, 3, List.of()));
        ServiceIndex alone = new ServiceIndex();
        List<ServiceEvent> aloneEvents = new Replica(alone, new PortBook()).snapshot(owner, owner(1, 9), entries);

        List<ServiceEvent> events = new ArrayList<>();
        for (WireMessage.Snapshot part : parts) {
            events.addAll(replica.snapshotPartAhead(owner, part));
        }
        boolean seenBeforeTheWhole = replica.hasSnapshot(owner);
        events.addAll(replica.snapshot(owner, owner(1, 9), entries));

        assertThat(seenBeforeTheWhole).isFalse();
        assertThat(events).containsExactlyElementsOf(aloneEvents);
        assertThat(index.query("default", RoleRange.parse("http")))
                .containsExactlyElementsOf(alone.query("default", RoleRange.parse("http")));
        assertThat(replica.hasSnapshot(owner)).isTrue();
    }

    @Test
    void snapshotPartAhead_everyPartThenWhole_sameReplicaAndEventsAsTheWholeAlone() {
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            entries.add(entry("e" + i, 2000 + i));
        }
        ServiceIndex alone = new ServiceIndex();
        List<ServiceEvent> aloneEvents = new Replica(alone, new PortBook()).snapshot(owner, owner(1, 9), entries);

        List<ServiceEvent> events = new ArrayList<>(replica.snapshotPartAhead(owner,
                new WireMessage.Snapshot(owner(1, 9), entries.subList(0, 10), 0, 2, List.of())));
        events.addAll(replica.snapshotPartAhead(owner,
                new WireMessage.Snapshot(owner(1, 9), entries.subList(10, 20), 1, 2, List.of())));
        boolean publishedBeforeTheWhole = !index.query("default", RoleRange.parse("http")).isEmpty();
        events.addAll(replica.snapshot(owner, owner(1, 9), entries));

        assertThat(publishedBeforeTheWhole).isFalse();
        assertThat(events).containsExactlyElementsOf(aloneEvents);
        assertThat(index.query("default", RoleRange.parse("http")))
                .containsExactlyElementsOf(alone.query("default", RoleRange.parse("http")));
        assertThat(replica.hasSnapshot(owner)).isTrue();
        assertThat(replica.appliedSeq(owner, 1)).isEqualTo(9);
    }

    @Test
    void snapshotPartAhead_changeArrivesBetweenParts_wholeSnapshotEndsWithTheChangeApplied() {
        List<Entry> entries = List.of(entry("a", 2001), entry("b", 2002), entry("c", 2003));
        replica.snapshotPartAhead(owner, new WireMessage.Snapshot(owner(1, 9), entries.subList(0, 2), 0, 2, List.of()));

        replica.free(owner, owner(1, 10), List.of("a")); // sent after the snapshot was copied
        List<ServiceEvent> ignoredPart = replica.snapshotPartAhead(owner,
                new WireMessage.Snapshot(owner(1, 9), entries.subList(2, 3), 1, 2, List.of()));
        replica.snapshot(owner, owner(1, 9), entries);

        assertThat(ignoredPart).isEmpty();
        assertThat(index.query("default", RoleRange.parse("http"))).extracting(s -> s.id())
                .containsExactlyInAnyOrder("b", "c");
        assertThat(ports.isUsed("127.0.0.1", 2001)).isFalse();
        assertThat(replica.appliedSeq(owner, 1)).isEqualTo(10);
    }
}
