package io.seaport.jgroups.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.seaport.Service;
import io.seaport.testkit.Await;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

final class CrossHostResolutionIT {
    private static final int PROBE_PORT = 9000;

    @RegisterExtension
    final HostCluster hosts = new HostCluster();

    @Test
    void register_onHostA_resolvesOnOtherHostsToAsAddressAndReachesAsServer() {
        List<Node> nodes = hosts.start("resolve", 3);
        Node a = nodes.get(0);
        Node b = nodes.get(1);
        Node c = nodes.get(2);
        hosts.startProbeServer(a, PROBE_PORT);

        Service registered = a.member().register("probe@1.0.0", PROBE_PORT);
        Await.until("probe@1.0.0 on b and c",
                () -> !b.member().query("probe").isEmpty() && !c.member().query("probe").isEmpty(), hosts::describe);
        List<Service> onB = b.member().query("probe");
        List<Service> onC = c.member().query("probe");
        String reply = hosts.probe(b.host(), onB.get(0).host(), onB.get(0).port());

        String expectedAddress = a.host().address() + ":" + PROBE_PORT;
        assertThat(registered.address()).isEqualTo(expectedAddress);
        assertThat(onB).extracting(Service::address).containsExactly(expectedAddress);
        assertThat(onC).extracting(Service::address).containsExactly(expectedAddress);
        assertThat(onB.get(0).member()).isEqualTo(a.member().member());
        assertThat(reply).isEqualTo("received hello from " + a.host().address());
        for (Node node : nodes) {
            assertThat(node.registered().values()).as("services started by " + node)
                    .allSatisfy(s -> assertThat(s.host()).isEqualTo(node.host().address()));
        }
    }
}
