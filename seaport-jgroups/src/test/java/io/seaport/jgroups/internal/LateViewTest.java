package io.seaport.jgroups.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.seaport.testkit.Await;
import io.seaport.testkit.LocalCluster;
import io.seaport.testkit.LocalClusters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jgroups.Address;
import org.jgroups.Message;
import org.jgroups.conf.ClassConfigurator;
import org.jgroups.protocols.pbcast.GMS;
import org.jgroups.protocols.pbcast.NAKACK2;
import org.jgroups.protocols.pbcast.NakAckHeader2;
import org.jgroups.stack.Protocol;
import org.jgroups.stack.ProtocolStack;
import org.jgroups.util.MessageBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A member that installs a joiner's view late (a loaded JVM: the coordinator admits the joiner after
 * 2 s without that member's acknowledgement) still gets its registrations to the joiner. Found by
 * {@code ManyMembersIT}: the late member answered the joiner's snapshot request before the view,
 * then registered, and its multicast went to its old view only.
 */
final class LateViewTest {
    @RegisterExtension
    final LocalClusters clusters = new LocalClusters();

    @Test
    void memberInstallsTheJoinersViewLate_itsRegistrationMadeMeanwhileReachesTheJoiner() throws Exception {
        LocalCluster cluster = clusters.start("LateViewTest-register", 2);
        JGroupsSeaport coordinator = coordinatorOf(cluster);
        JGroupsSeaport late = cluster.members().stream().map(JGroupsSeaport.class::cast)
                .filter(member -> member != coordinator).findFirst().orElseThrow();
        HoldViews hold = new HoldViews();
        SeeLastSeqnoResends resends = new SeeLastSeqnoResends();
        ProtocolStack stack = late.channel().getProtocolStack();
        stack.insertProtocol(hold, ProtocolStack.Position.BELOW, GMS.class);
        stack.insertProtocol(resends, ProtocolStack.Position.BELOW, NAKACK2.class);
        // NAKACK2 resends a member's last seqno once, to its view at that time; whether that happens
        // before or after the view is released is timing, so it is off: the repair must not need it.
        stack.<NAKACK2>findProtocol(NAKACK2.class).setResendLastSeqno(false);

        JGroupsSeaport joiner = (JGroupsSeaport) cluster.add(); // admitted without late's acknowledgement
        assertThat(joiner.channel().getView().size()).isEqualTo(3);
        assertThat(late.channel().getView().size()).as("late has not installed the joiner's view").isEqualTo(2);
        late.register("late@1", 1001);
        Await.until("the coordinator has late's registration", () -> !coordinator.query("late").isEmpty(),
                cluster::describe);
        // The joiner's snapshot request (a multicast, dropped by late as from a non-member) would be
        // retransmitted once late learns the joiner's last seqno, and answered again by chance: the
        // joiner resends that seqno once, so the view is held until that resend was dropped too.
        Address joinerAddress = joiner.channel().getAddress();
        Await.until("the joiner resent its last seqno (dropped by late)", () -> resends.from(joinerAddress),
                cluster::describe);

        hold.release();
        Await.until("late installed the view with the joiner", () -> late.channel().getView().size() == 3,
                cluster::describe);
        // Without the fix, nothing repairs it until STABLE's gossip (tens of seconds, if at all).
        Await.until("the joiner has late's registration", Duration.ofSeconds(15),
                () -> !joiner.query("late").isEmpty(), cluster::describe);
    }

    private static JGroupsSeaport coordinatorOf(LocalCluster cluster) {
        return cluster.members().stream().map(JGroupsSeaport.class::cast)
                .filter(member -> member.channel().getAddress().equals(member.channel().getView().getCoord()))
                .findFirst().orElseThrow();
    }

    /** Notes who sent NAKACK2's "highest seqno" resends, on their way up. */
    private static final class SeeLastSeqnoResends extends Protocol {
        private final short nakackId = ClassConfigurator.getProtocolId(NAKACK2.class);
        private final Set<Address> senders = ConcurrentHashMap.newKeySet();

        boolean from(Address sender) {
            return senders.contains(sender);
        }

        private void see(Message message) {
            NakAckHeader2 header = message.getHeader(nakackId);
            if (header != null && header.getType() == NakAckHeader2.HIGHEST_SEQNO) {
                senders.add(message.getSrc());
            }
        }

        @Override
        public Object up(Message message) {
            see(message);
            return up_prot.up(message);
        }

        @Override
        public void up(MessageBatch batch) {
            batch.forEach(this::see);
            up_prot.up(batch);
        }
    }

    /** Holds every GMS message on its way up (so views) until released: this member installs views late. */
    private static final class HoldViews extends Protocol {
        private final short gmsId = ClassConfigurator.getProtocolId(GMS.class);
        private final List<Message> held = new ArrayList<>();
        private boolean holding = true;

        @Override
        public Object up(Message message) {
            synchronized (this) {
                if (holding && message.getHeader(gmsId) != null) {
                    held.add(message);
                    return null;
                }
            }
            return up_prot.up(message);
        }

        @Override
        public void up(MessageBatch batch) {
            synchronized (this) {
                if (holding) {
                    for (Iterator<Message> it = batch.iterator(); it.hasNext(); ) {
                        Message message = it.next();
                        if (message.getHeader(gmsId) != null) {
                            held.add(message);
                            it.remove();
                        }
                    }
                }
            }
            if (!batch.isEmpty()) {
                up_prot.up(batch);
            }
        }

        void release() {
            List<Message> released;
            synchronized (this) {
                holding = false;
                released = List.copyOf(held);
                held.clear();
            }
            released.forEach(up_prot::up);
        }
    }
}
