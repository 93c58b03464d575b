package io.seaport.jgroups.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.seaport.Seaport;
import io.seaport.testkit.LocalCluster;
import org.jgroups.JChannel;
import org.jgroups.protocols.PingHeader;
import org.jgroups.protocols.TCP;
import org.jgroups.protocols.TCPPING;
import org.jgroups.stack.ProtocolStack;
import org.junit.jupiter.api.Test;

/**
 * A discovery request travels below JGroups' reliable layers: if one is lost, nothing resends it.
 * A joiner must still find the running member and join its cluster, not found one of its own.
 */
final class LostDiscoveryTest {

    @Test
    void firstDiscoveryRequestLost_joinerStillJoinsTheRunningMember() throws Exception {
        try (LocalCluster cluster = LocalCluster.start("LostDiscoveryTest", 1)) {
            cluster.member(0).register("web@1.0.0", 8080);
            JChannel channel = ((JGroupsSeaport) cluster.member(0)).channel();
            short pingId = channel.getProtocolStack().findProtocol(TCPPING.class).getId();
            DropFirst dropper = new DropFirst(1, message -> message.getHeader(pingId) instanceof PingHeader header
                    && header.type() == PingHeader.GET_MBRS_REQ);
            channel.getProtocolStack().insertProtocol(dropper, ProtocolStack.Position.ABOVE, TCP.class);

            Seaport joiner = cluster.add();

            assertThat(dropper.dropped()).as("discovery requests dropped").isEqualTo(1);
            assertThat(((JGroupsSeaport) joiner).channel().getView().size()).isEqualTo(2);
            assertThat(joiner.query("web")).singleElement()
                    .satisfies(service -> assertThat(service.port()).isEqualTo(8080));
        }
    }
}
