package io.seaport.jgroups.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.seaport.Seaport;
import io.seaport.testkit.Await;
import io.seaport.testkit.LocalCluster;
import io.seaport.testkit.TestPorts;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jgroups.protocols.FD_SOCK2;
import org.junit.jupiter.api.Test;

/**
 * The failure-detection side socket listens at transport port + 100 or one of the ports after it.
 * On a host with many members those ports may be taken by other sockets; a member must still start.
 */
final class SideSocketPortsTest {

    @Test
    void firstFourSidePortsTaken_memberStillStartsAndReplicates() throws Exception {
        int base = TestPorts.clusterBasePort();
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        List<ServerSocket> taken = new ArrayList<>();
        try {
            for (int port = base + 100; port <= base + 103; port++) { // FD_SOCK2's default range for the first member
                taken.add(new ServerSocket(port, 1, loopback));
            }
            try (LocalCluster cluster = LocalCluster.start("SideSocketPortsTest", 2,
                    builder -> builder.bindPort(base).peers("127.0.0.1:" + base))) {
                FD_SOCK2 side = ((JGroupsSeaport) cluster.member(0)).channel().getProtocolStack()
                        .findProtocol(FD_SOCK2.class);
                assertThat(side.getActualBindPort()).isBetween(base + 104, base + 100 + BoundedFdSock.PORT_RANGE);

                cluster.member(0).register("web@1.0.0", 8080);
                Seaport other = cluster.member(1);
                Await.until("web seen on the other member", Duration.ofSeconds(60),
                        () -> other.query("web").size() == 1, cluster::describe);
            }
        } finally {
            for (ServerSocket socket : taken) {
                socket.close();
            }
        }
    }
}
