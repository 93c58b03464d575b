package io.seaport.jgroups.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.seaport.Seaport;
import io.seaport.testkit.LocalCluster;
import java.util.concurrent.atomic.AtomicInteger;
import org.jgroups.JChannel;
import org.jgroups.Message;
import org.jgroups.protocols.PingHeader;
import org.jgroups.protocols.TCP;
import org.jgroups.protocols.TCPPING;
import org.jgroups.stack.Protocol;
import org.jgroups.stack.ProtocolStack;
import org.jgroups.util.MessageBatch;
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
            DropDiscoveryRequests dropper = new DropDiscoveryRequests(pingId, 1);
            channel.getProtocolStack().insertProtocol(dropper, ProtocolStack.Position.ABOVE, TCP.class);

            Seaport joiner = cluster.add();

            assertThat(dropper.dropped.get()).as("discovery requests dropped").isEqualTo(1);
            assertThat(((JGroupsSeaport) joiner).channel().getView().size()).isEqualTo(2);
            assertThat(joiner.query("web")).singleElement()
                    .satisfies(service -> assertThat(service.port()).isEqualTo(8080));
        }
    }

    /** Drops the first {@code count} discovery requests that arrive; passes everything else up. */
    private static final class DropDiscoveryRequests extends Protocol {
        private final short pingId;
        private final int count;
        final AtomicInteger dropped = new AtomicInteger();

        DropDiscoveryRequests(short pingId, int count) {
            this.pingId = pingId;
            this.count = count;
        }

        @Override
        public Object up(Message message) {
            return drop(message) ? null : up_prot.up(message);
        }

        @Override
        public void up(MessageBatch batch) {
            batch.removeIf(this::drop, true);
            if (!batch.isEmpty()) {
                up_prot.up(batch);
            }
        }

        private boolean drop(Message message) {
            if (message.getHeader(pingId) instanceof PingHeader header && header.type() == PingHeader.GET_MBRS_REQ) {
                return dropped.getAndUpdate(n -> n < count ? n + 1 : n) < count;
            }
            return false;
        }
    }
}
