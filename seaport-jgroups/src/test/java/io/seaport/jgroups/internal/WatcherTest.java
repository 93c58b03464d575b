package io.seaport.jgroups.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.seaport.Health;
import io.seaport.Service;
import io.seaport.ServiceEvent;
import io.seaport.testkit.Await;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

final class WatcherTest {

    @Test
    void offer_listenerNeverReturns_subscriptionClosedAtTheBoundAndOthersCarryOn() throws Exception {
        ExecutorService pool = Executors.newCachedThreadPool();
        CountDownLatch never = new CountDownLatch(1);
        List<Watcher> closed = new CopyOnWriteArrayList<>();
        List<ServiceEvent> seenByOther = new CopyOnWriteArrayList<>();
        Watcher stuck = new Watcher("default", null, event -> {
            try {
                never.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, pool, closed::add);
        Watcher other = new Watcher("default", null, seenByOther::add, pool, w -> { });
        Service service = new Service("01ARZ3NDEKTSV4RRFFQ69G5FAV", "web", "1.0.0", "127.0.0.1", 1, Map.of(), "m",
                "default", Health.PASSING);
        ServiceEvent event = new ServiceEvent.Registered(service);

        try {
            for (int i = 0; i <= Watcher.MAX_QUEUED + 1; i++) {
                stuck.offer(event);
            }
            for (int i = 0; i < 1_000; i++) {
                other.offer(event);
            }

            assertThat(closed).containsExactly(stuck);
            Await.until("the other listener got every event", () -> seenByOther.size() == 1_000,
                    () -> seenByOther.size() + " events");
        } finally {
            never.countDown();
            pool.shutdown();
        }
    }
}
