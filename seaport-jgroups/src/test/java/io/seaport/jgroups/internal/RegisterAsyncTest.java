package io.seaport.jgroups.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seaport.Registration;
import io.seaport.Seaport;
import io.seaport.Service;
import io.seaport.ServiceEvent;
import io.seaport.testkit.Await;
import io.seaport.testkit.LocalCluster;
import io.seaport.testkit.LocalClusters;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code registerAsync} and the batched write path it shares with {@code register}, over real members. */
final class RegisterAsyncTest {
    @RegisterExtension
    final LocalClusters clusters = new LocalClusters();

    @Test
    void registerAsync_manyFromOneThread_everyMemberAppliesThemInCallOrder() throws Exception {
        LocalCluster cluster = clusters.start("RegisterAsyncTest-order", 3);
        List<List<Integer>> seen = new ArrayList<>();
        for (int m = 1; m < 3; m++) {
            List<Integer> ports = new CopyOnWriteArrayList<>();
            cluster.member(m).watch("http", event -> ports.add(event.service().port()));
            seen.add(ports);
        }
        int count = 5_000;

        List<CompletableFuture<Registration>> futures = new ArrayList<>();
        for (int port = 1; port <= count; port++) {
            futures.add(cluster.member(0).registerAsync("http@1", port, Map.of("n", Integer.toString(port))));
        }

        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        List<Integer> expected = java.util.stream.IntStream.rangeClosed(1, count).boxed().toList();
        assertThat(futures).extracting(f -> f.join().port()).containsExactlyElementsOf(expected);
        for (List<Integer> ports : seen) {
            Await.until("every registration seen", () -> ports.size() >= count, cluster::describe);
            assertThat(ports).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void registerAsync_completed_ownReplicaHoldsTheEntry() throws Exception {
        LocalCluster cluster = clusters.start("RegisterAsyncTest-own", 1);
        Seaport seaport = cluster.member(0);
        List<CompletableFuture<Boolean>> heldWhenCompleted = new ArrayList<>();

        for (int i = 0; i < 200; i++) {
            String role = "svc" + i;
            heldWhenCompleted.add(seaport.registerAsync(role + "@1.2", 1000 + i)
                    .thenApply(registration -> seaport.query(role).contains(registration.service())));
        }

        for (CompletableFuture<Boolean> held : heldWhenCompleted) {
            assertThat(held.get(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void registerAsync_badInputOrClosed_throwsFromTheCallAndRegistersNothing() {
        LocalCluster cluster = clusters.start("RegisterAsyncTest-bad", 1);
        Seaport seaport = cluster.member(0);
        List<ThrowingCallable> bad = List.of(
                () -> seaport.registerAsync("", 80),
                () -> seaport.registerAsync("http@not-a-version", 80),
                () -> seaport.registerAsync("http@1", 0),
                () -> seaport.registerAsync("http@1", 65536),
                () -> seaport.registerAsync("http@1", 80, Map.of("k", "v".repeat(4097))));

        for (ThrowingCallable call : bad) {
            assertThatThrownBy(call).isInstanceOf(IllegalArgumentException.class).message().isNotBlank();
        }
        assertThat(seaport.services()).isEmpty();
        assertThatThrownBy(() -> seaport.registerAsync("http@1", 80, null)).isInstanceOf(NullPointerException.class);
        seaport.close();
        assertThatThrownBy(() -> seaport.registerAsync("http@1", 80)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void close_whileRegistrationsInFlight_futuresEndAndPeersKeepNothingOfIt() throws Exception {
        LocalCluster cluster = clusters.start("RegisterAsyncTest-close", 2);
        Seaport closing = cluster.member(0);
        Seaport peer = cluster.member(1);
        List<ServiceEvent> events = new CopyOnWriteArrayList<>();
        peer.watchAll(events::add);
        List<CompletableFuture<Registration>> futures = new ArrayList<>();
        for (int port = 1; port <= 20_000; port++) {
            futures.add(closing.registerAsync("http@1", port));
        }

        closing.close();

        int failed = 0;
        for (CompletableFuture<Registration> future : futures) {
            assertThat(future).isDone();
            if (future.isCompletedExceptionally()) {
                failed++;
                assertThatThrownBy(future::join).isInstanceOf(CompletionException.class)
                        .cause().isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
            }
        }
        Await.until("the closed member gone from the peer's view",
                () -> ((JGroupsSeaport) peer).channel().getView().size() == 1, cluster::describe);
        // Events reach a watcher in the order they were applied: once the marker is seen, so is all before it.
        Registration marker = peer.register("http-marker", 1);
        Await.until("marker seen", () -> events.stream().anyMatch(e -> e.service().equals(marker.service())),
                events::toString);
        assertThat(peer.query("http")).isEmpty();
        Set<String> registered = new HashSet<>();
        Set<String> freed = new HashSet<>();
        for (ServiceEvent event : events) {
            if (event.service().equals(marker.service())) {
                continue;
            }
            if (event instanceof ServiceEvent.Registered) {
                registered.add(event.service().id());
            } else {
                freed.add(event.service().id());
            }
        }
        assertThat(freed).isEqualTo(registered);
        assertThat(registered).hasSize(futures.size() - failed); // every completed one was sent, no other
    }

    @Test
    void register_fromManyThreads_everyMemberHoldsEveryOne() throws Exception {
        LocalCluster cluster = clusters.start("RegisterAsyncTest-threads", 2);
        ExecutorService writers = Executors.newFixedThreadPool(8);
        try {
            List<Future<Service>> registered = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                int port = 1 + i;
                registered.add(writers.submit(() -> cluster.member(0).register("db@2", port).service()));
            }

            Set<Service> services = new HashSet<>();
            for (Future<Service> future : registered) {
                services.add(future.get(60, TimeUnit.SECONDS));
            }
            Await.until("peer holds all", () -> cluster.member(1).query("db").size() == services.size(),
                    cluster::describe);
            assertThat(new HashSet<>(cluster.member(1).query("db"))).isEqualTo(services);
            assertThat(new HashSet<>(cluster.member(0).query("db"))).isEqualTo(services);
        } finally {
            writers.shutdownNow();
        }
    }
}
