package io.seaport.jgroups.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seaport.SeaportException;
import io.seaport.internal.Limits;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The own-changes stream over a recording outbox and a real event loop: batching, order, close, limits. */
final class OwnChangesTest {
    private final RecordingOutbox recorded = new RecordingOutbox();
    private final AtomicBoolean putsFailToApply = new AtomicBoolean();
    private final EventLoop loop = new EventLoop("m", () -> "m is closed");
    private final ExecutorService completions = Executors.newSingleThreadExecutor();
    private final List<WireMessage> appliedLocally = new CopyOnWriteArrayList<>();
    private final ExecutorService sender = Executors.newSingleThreadExecutor();
    private final OwnChanges own = new OwnChanges("m", "127.0.0.1", 1, recorded, loop, sender, message -> {
        if (putsFailToApply.get() && message instanceof WireMessage.Put) {
            throw new IllegalStateException("the replica refused it");
        }
        appliedLocally.add(message);
    }, completions, () -> "m is closed");

    @AfterEach
    void stop() {
        loop.shutdown();
        loop.awaitTermination();
        completions.shutdownNow();
        sender.shutdownNow();
    }

    private static Entry entry(int i) {
        return new Entry("id" + i, "default", "http", "1.0.0", "127.0.0.1", 1 + i % 65_000, Map.of(), true, false);
    }

    /** Holds the sender thread until the returned latch is counted down, so that changes pile up. */
    private CountDownLatch holdSender() throws InterruptedException {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        sender.execute(() -> {
            running.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();
        return release;
    }

    @Test
    void putAsync_queuedWhileSenderBusy_sentAsOneBatchInCallOrder() throws Exception {
        CountDownLatch release = holdSender();
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            futures.add(own.putAsync(entry(i)));
        }
        assertThat(recorded.sent()).isEmpty();

        release.countDown();
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        assertThat(recorded.sent()).singleElement().satisfies(sent -> {
            WireMessage.Batch batch = (WireMessage.Batch) sent.message();
            assertThat(batch.owner().seq()).isEqualTo(1);
            assertThat(batch.changes()).extracting(change -> change.put().id())
                    .containsExactlyElementsOf(IntStream.range(0, 100).mapToObj(i -> "id" + i).toList());
        });
        assertThat(appliedLocally).containsExactly(recorded.sent().get(0).message());
    }

    @Test
    void putAsync_moreThanOneMessageHolds_splitIntoConsecutivelyNumberedBatches() throws Exception {
        CountDownLatch release = holdSender();
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        int count = OwnChanges.MAX_BATCH + 10;
        for (int i = 0; i < count; i++) {
            futures.add(own.putAsync(entry(i)));
        }

        release.countDown();
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        List<WireMessage.Batch> batches = recorded.sent().stream().map(s -> (WireMessage.Batch) s.message()).toList();
        assertThat(batches).hasSize(2);
        assertThat(batches.get(0).owner().seq()).isEqualTo(1);
        assertThat(batches.get(0).changes()).hasSize(OwnChanges.MAX_BATCH);
        assertThat(batches.get(1).owner().seq()).isEqualTo(OwnChanges.MAX_BATCH + 1);
        assertThat(batches.get(1).changes()).hasSize(10);
        assertThat(batches.get(1).changes().get(9).put().id()).isEqualTo("id" + (count - 1));
    }

    @Test
    void putAsync_whileASendIsStalled_neitherCallersNorTheEventLoopWait() throws Exception {
        recorded.stallMulticasts();
        CompletableFuture<Void> first = own.putAsync(entry(0));
        assertThat(recorded.awaitMulticastStalled()).as("the first change reached the outbox").isTrue();

        CompletableFuture<Void> second = CompletableFuture.supplyAsync(() -> own.putAsync(entry(1)))
                .get(30, TimeUnit.SECONDS); // queuing needs only the lock, not the send
        loop.submit(() -> { }).get(30, TimeUnit.SECONDS); // the event loop is free
        WireMessage.Snapshot snapshot = own.snapshot(); // and so is a snapshot

        assertThat(first).isNotDone();
        assertThat(snapshot.owner().seq()).isEqualTo(1);
        recorded.releaseMulticasts();
        CompletableFuture.allOf(first, second).get(30, TimeUnit.SECONDS);
        assertThat(recorded.sent()).extracting(sent -> ((WireMessage.Put) sent.message()).entry().id())
                .containsExactly("id0", "id1");
    }

    @Test
    void put_alone_sentAsPlainPutAndAppliedBeforeItReturns() {
        own.put(entry(1));

        assertThat(recorded.sent()).singleElement()
                .isEqualTo(new RecordingOutbox.Sent(null, new WireMessage.Put(
                        new WireMessage.Owner(1, 1, "m", "127.0.0.1"), entry(1))));
        assertThat(appliedLocally).hasSize(1);
    }

    @Test
    void close_withQueuedChanges_failsThemWithIllegalStateAndFreesOnlyWhatWasSent() throws Exception {
        own.put(entry(0));
        CountDownLatch release = holdSender();
        CompletableFuture<Void> queued = own.putAsync(entry(1));

        own.close(true);
        release.countDown();

        assertThatThrownBy(() -> queued.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(IllegalStateException.class).hasMessageContaining("m is closed");
        List<WireMessage> sent = recorded.sent().stream().map(RecordingOutbox.Sent::message).toList();
        assertThat(sent).hasSize(2);
        assertThat(sent.get(1)).isEqualTo(new WireMessage.Free(new WireMessage.Owner(1, 2, "m", "127.0.0.1"),
                List.of("id0")));
        assertThatThrownBy(() -> own.putAsync(entry(2))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void putAsync_sendFails_futureFailsAndTheEntryIsNotKept() throws Exception {
        recorded.failing(true);
        CompletableFuture<Void> failed = own.putAsync(entry(1));

        assertThatThrownBy(() -> failed.get(30, TimeUnit.SECONDS)).cause().isInstanceOf(SeaportException.class);
        recorded.failing(false);
        own.put(entry(2));
        own.close(true);

        List<WireMessage> sent = recorded.sent().stream().map(RecordingOutbox.Sent::message).toList();
        assertThat(sent.get(0)).isEqualTo(new WireMessage.Put(new WireMessage.Owner(1, 1, "m", "127.0.0.1"), entry(2)));
        assertThat(sent.get(1)).isEqualTo(new WireMessage.Free(new WireMessage.Owner(1, 2, "m", "127.0.0.1"),
                List.of("id2")));
        assertThat(appliedLocally).first().isEqualTo(sent.get(0));
    }

    @Test
    void putAsync_beyondMemberLimitCountingQueuedChanges_throwsFromTheCall() throws Exception {
        CountDownLatch release = holdSender();
        int limit = Limits.MEMBER_ENTRIES;
        CompletableFuture<Void> last = null;
        for (int i = 0; i < limit; i++) {
            last = own.putAsync(new Entry("id" + i, "default", "r", "1.0.0", "127.0.0.1", 1 + i % 65_000,
                    Map.of(), true, false));
        }

        assertThatThrownBy(() -> own.putAsync(entry(limit))).isInstanceOf(SeaportException.class)
                .hasMessageContaining("already holds " + limit + " registrations");
        release.countDown();
        last.get(60, TimeUnit.SECONDS);
        assertThat(recorded.sent()).allSatisfy(s -> assertThat(s.message()).isInstanceOf(WireMessage.Batch.class));
    }

    @Test
    void put_failsAfterItsMulticast_newEntryIsFreedAgain() {
        putsFailToApply.set(true);

        assertThatThrownBy(() -> own.put(entry(1))).isInstanceOf(SeaportException.class);

        assertThat(recorded.sent()).extracting(RecordingOutbox.Sent::message)
                .hasExactlyElementsOfTypes(WireMessage.Put.class, WireMessage.Free.class);
        assertThat(((WireMessage.Free) recorded.sent().get(1).message()).ids()).containsExactly("id1");
    }

    @Test
    void registrationClose_freeCannotBeSent_staysOpenAndAnotherCloseFreesIt() {
        own.put(entry(1));
        LocalRegistration registration = new LocalRegistration(own, "m", entry(1), true);
        recorded.failing(true);

        assertThatThrownBy(registration::close).isInstanceOf(SeaportException.class);
        recorded.failing(false);
        registration.close();
        registration.close();
        own.close(true);

        List<WireMessage> sent = recorded.sent().stream().map(RecordingOutbox.Sent::message).toList();
        assertThat(sent).hasExactlyElementsOfTypes(WireMessage.Put.class, WireMessage.Free.class);
        assertThat(((WireMessage.Free) sent.get(1)).ids()).containsExactly("id1");
    }
}
