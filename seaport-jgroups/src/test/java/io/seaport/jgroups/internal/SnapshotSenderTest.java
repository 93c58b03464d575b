package io.seaport.jgroups.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.seaport.testkit.Await;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jgroups.Address;
import org.jgroups.util.UUID;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Snapshots go by unicast to the asker, one in flight per asker, in parts, never under the own-changes lock. */
final class SnapshotSenderTest {
    private final RecordingOutbox outbox = new RecordingOutbox();
    private final EventLoop loop = new EventLoop("me", () -> "closed");
    private final OwnChanges own = new OwnChanges("me", "127.0.0.1", 1, outbox, loop,
            Executors.newSingleThreadExecutor(), message -> { }, Runnable::run,
            () -> "closed");
    private final Set<Address> view = ConcurrentHashMap.newKeySet();
    private final SnapshotSender sender = new SnapshotSender("me", outbox, own::snapshot, view::contains);
    private final Address asker = UUID.randomUUID();

    @BeforeEach
    void admitTheAsker() {
        view.add(asker);
    }

    @AfterEach
    void stop() {
        outbox.releaseUnicasts();
        sender.shutdown();
        sender.awaitTermination();
        loop.shutdown();
        loop.awaitTermination();
    }

    private static Entry entry(int i) {
        return new Entry(String.format("01ARZ3NDEKTSV4RRFF%08d", i), "default", "web", "1.0.0", "127.0.0.1",
                20000 + i % 10000, Map.of(), true, false);
    }

    private List<Address> snapshotTargets() {
        return outbox.sent().stream().filter(sent -> sent.message() instanceof WireMessage.Snapshot)
                .map(RecordingOutbox.Sent::target).toList();
    }

    private List<WireMessage.Snapshot> snapshotsSent() {
        List<WireMessage.Snapshot> snapshots = new ArrayList<>();
        for (RecordingOutbox.Sent sent : outbox.sent()) {
            if (sent.message() instanceof WireMessage.Snapshot snapshot) {
                assertThat(sent.target()).as("snapshots go by unicast to the asker").isEqualTo(asker);
                snapshots.add(snapshot);
            }
        }
        return snapshots;
    }

    @Test
    void sendTo_whileAPeerStallsTheSend_ownChangesCarryOn() throws Exception {
        own.put(entry(1));
        outbox.stallUnicasts();
        sender.sendTo(asker);

        CompletableFuture<Void> put = CompletableFuture.runAsync(() -> own.put(entry(2)));

        put.get(30, TimeUnit.SECONDS); // before: the snapshot was sent under the lock put needs
        outbox.releaseUnicasts();
        Await.until("the stalled snapshot went out", () -> snapshotsSent().size() == 1, outbox::toString);
    }

    @Test
    void sendTo_askedAgainWhileQueued_sendsOneSnapshot() {
        own.put(entry(1));
        outbox.stallUnicasts();
        Address first = UUID.randomUUID();
        view.add(first);
        sender.sendTo(first); // holds the sending thread, so the asker's snapshot stays queued

        for (int i = 0; i < 5; i++) {
            sender.sendTo(asker);
        }
        outbox.releaseUnicasts();
        Await.until("both snapshots went out", () -> snapshotTargets().size() == 2, () -> outbox.sent().toString());
        sender.shutdown();
        sender.awaitTermination();

        assertThat(snapshotTargets()).containsExactly(first, asker);
    }

    @Test
    void sendTo_askedAgainWhileASnapshotIsOnItsWay_sendsOneFreshSnapshotAfterIt() throws Exception {
        own.put(entry(1));
        outbox.stallUnicasts();
        sender.sendTo(asker);
        assertThat(outbox.awaitUnicastStalled()).as("the first snapshot copied and on its way").isTrue();
        own.put(entry(2)); // a change the snapshot on its way does not hold

        for (int i = 0; i < 5; i++) {
            sender.sendTo(asker);
        }
        outbox.releaseUnicasts();
        Await.until("a second snapshot went out", () -> snapshotsSent().size() == 2, outbox::toString);
        sender.shutdown();
        sender.awaitTermination();

        assertThat(snapshotsSent()).hasSize(2);
        assertThat(snapshotsSent().get(0).entries()).extracting(Entry::id).containsExactly(entry(1).id());
        assertThat(snapshotsSent().get(1).entries()).extracting(Entry::id)
                .containsExactly(entry(1).id(), entry(2).id());
    }

    @Test
    void sendTo_largeSnapshot_goesInPartsThatReassembleToTheWhole() {
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < 2 * SnapshotSender.PART_ENTRIES + 500; i++) {
            entries.add(entry(i));
            own.put(entry(i));
        }

        sender.sendTo(asker);
        Await.until("every part went out", () -> snapshotsSent().size() == 3, outbox::toString);
        SnapshotParts parts = new SnapshotParts();
        List<WireMessage.Snapshot> sent = snapshotsSent();
        WireMessage.Snapshot whole = null;
        for (WireMessage.Snapshot part : sent) {
            whole = parts.add(asker, part);
        }

        assertThat(sent).extracting(s -> s.entries().size())
                .containsExactly(SnapshotSender.PART_ENTRIES, SnapshotSender.PART_ENTRIES, 500);
        assertThat(whole).isNotNull();
        assertThat(whole.entries()).isEqualTo(entries);
        assertThat(whole.owner().seq()).isEqualTo(entries.size());
    }

    @Test
    void add_partMissing_dropsTheAssemblyInsteadOfApplyingPartOfIt() {
        WireMessage.Owner owner = new WireMessage.Owner(1, 9, "peer", "127.0.0.1");
        SnapshotParts parts = new SnapshotParts();

        WireMessage.Snapshot first = parts.add(asker, new WireMessage.Snapshot(owner, List.of(entry(1)), 0, 3, List.of()));
        WireMessage.Snapshot third = parts.add(asker, new WireMessage.Snapshot(owner, List.of(entry(3)), 2, 3, List.of()));

        assertThat(first).isNull();
        assertThat(third).isNull();
    }

    @Test
    void viewChanged_askerAnsweredBeforeItWasInTheView_getsAFreshSnapshotOnceAdmitted() {
        view.remove(asker);
        sender.sendTo(asker);
        Await.until("the early answer went out", () -> snapshotsSent().size() == 1, outbox::toString);
        own.put(entry(1)); // multicast to a view without the asker: it never reaches it

        sender.viewChanged(); // a view still without the asker: nothing to send yet
        view.add(asker);
        sender.viewChanged();
        Await.until("a fresh snapshot went out", () -> snapshotsSent().size() == 2, outbox::toString);
        sender.viewChanged(); // already answered since it was admitted
        sender.shutdown();
        sender.awaitTermination();

        assertThat(snapshotsSent()).extracting(s -> s.entries().size()).containsExactly(0, 1);
    }

    @Test
    void viewChanged_askerAnsweredWhileInTheView_isNotSentAnotherSnapshot() {
        sender.sendTo(asker);
        Await.until("the answer went out", () -> snapshotsSent().size() == 1, outbox::toString);

        sender.viewChanged();
        sender.shutdown();
        sender.awaitTermination();

        assertThat(snapshotsSent()).hasSize(1);
    }
}
