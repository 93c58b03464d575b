package io.seaport.jgroups.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seaport.Registration;
import io.seaport.Seaport;
import io.seaport.SeaportException;
import io.seaport.Service;
import io.seaport.testkit.Await;
import io.seaport.testkit.LocalCluster;
import io.seaport.testkit.LocalClusters;
import io.seaport.testkit.TestPorts;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

final class ServiceAllocationTest {
    private final List<ServerSocket> servers = new ArrayList<>();
    @RegisterExtension
    final LocalClusters clusters = new LocalClusters();
    private LocalCluster cluster;

    @AfterEach
    void closeServers() throws IOException {
        for (ServerSocket server : servers) {
            server.close();
        }
    }

    private synchronized void bind(int port) throws IOException {
        ServerSocket server = new ServerSocket();
        servers.add(server);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    }

    @Test
    void service_withPortStarter_bindsThenPublishesToEveryMember() {
        cluster = clusters.start("ServiceAllocationTest-portStarter", 2);
        Seaport a = cluster.member(0);

        Registration registration = a.service("http@1.0", this::bind);

        assertThat(registration.port()).isBetween(20000, 29999);
        assertThat(registration.service().address()).isEqualTo("127.0.0.1:" + registration.port());
        assertThat(a.query("http")).containsExactly(registration.service());
        Await.until("member 1 sees the service", () -> cluster.member(1).query("http@1.0.0").size() == 1,
                cluster::describe);
        assertThat(servers.get(0).isBound()).isTrue();
    }

    @Test
    void service_withThrowingStarter_releasesPortAndPublishesNothing() {
        int only = TestPorts.freeBlock(1);
        cluster = clusters.start("ServiceAllocationTest-throwing", 1, b -> b.portRange(only, only));
        Seaport a = cluster.member(0);

        assertThatThrownBy(() -> a.service("http@1.0", port -> {
            throw new IOException("cannot start on " + port);
        })).isInstanceOf(SeaportException.class)
                .hasMessageContaining(String.valueOf(only))
                .hasCauseInstanceOf(IOException.class);

        assertThat(a.query("http")).isEmpty();
        // The only port of the range is free again: a second service gets it.
        Registration second = a.service("http@1.0", port -> { });
        assertThat(second.port()).isEqualTo(only);
    }

    @Test
    void service_withReadyStarter_publishesOnlyWhenReadyRuns() throws Exception {
        cluster = clusters.start("ServiceAllocationTest-ready", 1);
        Seaport a = cluster.member(0);
        AtomicReference<Runnable> readyLater = new AtomicReference<>();

        Registration registration = a.service("worker@2", (port, ready) -> readyLater.set(ready));

        assertThat(a.query("worker")).isEmpty();
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            other.submit(readyLater.get()).get(30, TimeUnit.SECONDS);
        } finally {
            other.shutdown();
        }
        assertThat(a.query("worker")).containsExactly(registration.service());
    }

    @Test
    void service_readyStarterThrowsAfterReady_unpublishesAndReleases() {
        int only = TestPorts.freeBlock(1);
        cluster = clusters.start("ServiceAllocationTest-readyThenThrow", 2, b -> b.portRange(only, only));
        Seaport a = cluster.member(0);

        assertThatThrownBy(() -> a.service("worker@1", (port, ready) -> {
            ready.run();
            throw new IllegalStateException("crashed after ready");
        })).isInstanceOf(SeaportException.class).hasCauseInstanceOf(IllegalStateException.class);

        assertThat(a.query("worker")).isEmpty();
        Await.until("member 1 has nothing either", () -> cluster.member(1).query("worker").isEmpty(),
                cluster::describe);
        assertThat(a.allocate("worker@2").port()).isEqualTo(only);
    }

    @Test
    void allocate_thenReady_publishesOnlyAfterReady() {
        cluster = clusters.start("ServiceAllocationTest-allocate", 2);
        Seaport a = cluster.member(0);

        Registration registration = a.allocate("db@3.1.0");
        List<Service> beforeReady = a.query("db");
        registration.ready();
        registration.ready();

        assertThat(beforeReady).isEmpty();
        assertThat(a.query("db")).containsExactly(registration.service());
        Await.until("member 1 sees db once", () -> cluster.member(1).query("db").size() == 1, cluster::describe);
    }

    @Test
    void register_portReservedByAllocator_isRefused() {
        cluster = clusters.start("ServiceAllocationTest-conflict", 2);
        Registration reserved = cluster.member(0).allocate("db@1");
        Await.until("member 1 knows the reservation",
                () -> ((JGroupsSeaport) cluster.member(1)).ports().isAllocated("127.0.0.1", reserved.port()),
                cluster::describe);

        assertThatThrownBy(() -> cluster.member(1).register("other@1", reserved.port()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(String.valueOf(reserved.port()));
        assertThat(cluster.member(1).query("other")).isEmpty();
    }

    @Test
    void service_concurrentlyOnFourMembers_handsOutDistinctBindablePorts() throws Exception {
        cluster = clusters.start("ServiceAllocationTest-concurrent", 4);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Registration>> futures = new ArrayList<>();

        try {
            for (int i = 0; i < 100; i++) {
                Seaport member = cluster.member(i % 4);
                futures.add(pool.submit(() -> member.service("worker@1.0." + futures.size(), this::bind)));
            }
            Set<Integer> ports = new HashSet<>();
            for (Future<Registration> future : futures) {
                ports.add(future.get(60, TimeUnit.SECONDS).port());
            }

            assertThat(ports).as(cluster.describe()).hasSize(100);
            Await.until("every member sees 100 workers",
                    () -> cluster.members().stream().allMatch(m -> m.query("worker").size() == 100), cluster::describe);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void service_afterAllocatorLeaves_nextOldestAllocates() {
        cluster = clusters.start("ServiceAllocationTest-takeover", 3);
        Registration first = cluster.member(1).service("a@1", port -> { });
        cluster.member(0).close();

        Registration second = cluster.member(2).service("b@1", port -> { });
        Registration third = cluster.member(1).service("c@1", port -> { });

        assertThat(Set.of(first.port(), second.port(), third.port())).hasSize(3);
    }

    @Test
    void service_portTakenBeforeTheStarterBinds_startsAgainOnAnotherPort() throws Exception {
        cluster = clusters.start("ServiceAllocationTest-bindRace", 1);
        List<Integer> tried = new ArrayList<>();
        try (ServerSocket server = new ServerSocket()) {

            Registration registration = cluster.member(0).service("raced@1.0.0", port -> {
                tried.add(port);
                if (tried.size() == 1) { // what a process outside the cluster taking the port looks like
                    throw new BindException("Address already in use (port " + port + ")");
                }
                server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            });

            assertThat(tried).hasSize(2).doesNotHaveDuplicates();
            assertThat(registration.port()).isEqualTo(tried.get(1)).isEqualTo(server.getLocalPort());
            assertThat(cluster.member(0).query("raced")).extracting(Service::port).containsExactly(tried.get(1));
        }
    }

    @Test
    void service_starterThatNeverBinds_givesUpAfterThreeTriesPublishingNothing() {
        cluster = clusters.start("ServiceAllocationTest-bindFails", 1);
        List<Integer> tried = new ArrayList<>();

        assertThatThrownBy(() -> cluster.member(0).service("never@1.0.0", port -> {
            tried.add(port);
            throw new IOException("bind failed", new BindException("Address already in use"));
        })).isInstanceOf(SeaportException.class).hasMessageContaining("'never@1.0.0'")
                .hasRootCauseInstanceOf(BindException.class);

        assertThat(tried).hasSize(3);
        assertThat(cluster.member(0).query("never")).isEmpty();
        assertThat(((JGroupsSeaport) cluster.member(0)).published()).isEmpty();
    }
}
