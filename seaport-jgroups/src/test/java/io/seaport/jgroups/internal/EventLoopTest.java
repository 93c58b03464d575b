package io.seaport.jgroups.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.seaport.testkit.Await;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The event loop's bound on peers' messages waiting for the event thread. */
final class EventLoopTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private final EventLoop loop = new EventLoop("EventLoopTest", () -> "closed", 1_000);

    @AfterEach
    void shutdown() {
        loop.shutdown();
        loop.awaitTermination();
    }

    @Test
    void stalledEventThread_blocksReceiverAtTheBound_thenRunsEverythingInOrder() throws Exception {
        CountDownLatch stall = new CountDownLatch(1);
        List<Integer> ran = new CopyOnWriteArrayList<>();
        loop.execute(() -> awaitQuietly(stall));
        Thread receiver = new Thread(() -> {
            for (int i = 0; i < 5; i++) {
                int n = i;
                loop.executeBounded(400, () -> ran.add(n));
            }
        }, "EventLoopTest-receiver");
        receiver.start();

        // Two messages of 400 bytes fit in 1,000; the third waits for room.
        Await.until("the receiver to block on the third message", TIMEOUT,
                () -> receiver.getState() == Thread.State.TIMED_WAITING && loop.queuedBytes() == 800,
                () -> receiver.getState() + ", queued " + loop.queuedBytes());
        assertThat(ran).isEmpty();

        stall.countDown();
        receiver.join(TIMEOUT.toMillis());
        Await.until("every message to run", TIMEOUT, () -> ran.size() == 5, ran::toString);
        assertThat(ran).containsExactly(0, 1, 2, 3, 4);
        assertThat(loop.queuedBytes()).isZero();
    }

    @Test
    void messageLargerThanTheBound_waitsForAnEmptyQueue_andStillRuns() {
        CountDownLatch ran = new CountDownLatch(1);
        loop.executeBounded(5_000, ran::countDown);
        Await.until("the large message to run", TIMEOUT, () -> ran.getCount() == 0, () -> "not yet");
    }

    @Test
    void shutdownWhileReceiverWaits_releasesTheReceiverWithoutRunningItsMessage() throws Exception {
        CountDownLatch stall = new CountDownLatch(1);
        List<String> ran = new CopyOnWriteArrayList<>();
        loop.execute(() -> awaitQuietly(stall));
        loop.executeBounded(1_000, () -> ran.add("first"));
        Thread receiver = new Thread(() -> loop.executeBounded(1, () -> ran.add("second")), "EventLoopTest-receiver");
        receiver.start();
        Await.until("the receiver to block", TIMEOUT, () -> receiver.getState() == Thread.State.TIMED_WAITING,
                () -> receiver.getState().toString());

        loop.shutdown();
        receiver.join(TIMEOUT.toMillis());
        stall.countDown();
        loop.awaitTermination();

        assertThat(receiver.isAlive()).isFalse();
        assertThat(ran).containsExactly("first");
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
