package io.seaport.jgroups.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.seaport.PortStarter;
import io.seaport.Registration;
import io.seaport.Service;
import io.seaport.testkit.Await;
import io.seaport.testkit.LocalCluster;
import io.seaport.testkit.LocalClusters;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jgroups.protocols.DISCARD;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * After a partition, two allocators of one host handed out the same port: once merged, the
 * younger registration loses. A {@code service()} loser moves to a fresh port through its starter;
 * {@code register()} conflicts stay (reported to both owners).
 */
final class PortConflictTest {
    @RegisterExtension
    final LocalClusters clusters = new LocalClusters();

    /** Returns a port p such that p and p + 1 are free on loopback now. */
    private static int freePortPair() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port;
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = probe.getLocalPort();
            }
            if (port < 65535 && PortAllocator.canBind(InetAddress.getLoopbackAddress(), port + 1)) {
                return port;
            }
        }
        throw new AssertionError("no two free consecutive ports found");
    }

    @Test
    void merge_twoServicesOnOneHostPort_theYoungerMovesThroughItsStarter() throws Exception {
        int port = freePortPair();
        LocalCluster cluster = clusters.start("PortConflictTest-service", 2, b -> b.portRange(port, port));
        JGroupsSeaport lonely = (JGroupsSeaport) cluster.add(b -> b.portRange(port, port + 1));
        List<JGroupsSeaport> members = cluster.members().stream().map(JGroupsSeaport.class::cast).toList();
        List<DISCARD> discards = PartitionTest.insertDiscard(members);
        PartitionTest.split(members, discards);
        Await.until("the views split into {0,1} and {2}", () -> PartitionTest.viewSize(members.get(0)) == 2
                && PartitionTest.viewSize(lonely) == 1, cluster::describe);
        List<Integer> olderStarts = new CopyOnWriteArrayList<>();
        List<Integer> youngerStarts = new CopyOnWriteArrayList<>();
        // The starters record their port and bind nothing, so each side's bind test passes.
        PortStarter recordOlder = olderStarts::add;
        PortStarter recordYounger = youngerStarts::add;
        Registration older = members.get(1).service("older@1", recordOlder);
        Registration younger;
        try (ServerSocket blocker = new ServerSocket()) {
            blocker.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port + 1)); // leaves only `port`
            younger = lonely.service("younger@1", recordYounger);
        }
        assertThat(younger.port()).isEqualTo(older.port()).isEqualTo(port);

        for (DISCARD discard : discards) {
            discard.resetIgnoredMembers();
        }

        Await.until("the younger service moved to the other port everywhere", () -> members.stream()
                .allMatch(m -> m.query("younger").stream().map(Service::port).toList().equals(List.of(port + 1))
                        && m.query("older").stream().map(Service::port).toList().equals(List.of(port))),
                cluster::describe);
        assertThat(youngerStarts).containsExactly(port, port + 1);
        assertThat(olderStarts).containsExactly(port);
        assertThat(younger.port()).isEqualTo(port + 1);
        assertThat(younger.service().id()).isEqualTo(lonely.query("younger").get(0).id());
    }
}
