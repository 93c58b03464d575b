package io.seaport.jgroups.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.seaport.Service;
import io.seaport.testkit.Await;
import io.seaport.testkit.LocalCluster;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.jgroups.Address;
import org.jgroups.protocols.pbcast.NAKACK2;
import org.jgroups.stack.ProtocolStack;
import org.junit.jupiter.api.Test;

/**
 * A change of a member that JGroups never delivers (a merge can start a receiver's window past
 * messages it did not get) shows as a gap in the owner's numbering at its next change: the
 * receiver then asks for the owner's snapshot and holds the lost change too.
 */
final class LostChangeTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void ownersChangeNeverDelivered_nextChangeShowsTheGap_receiverCatchesUpFromTheSnapshot() throws Exception {
        try (LocalCluster cluster = LocalCluster.start("LostChangeTest", 2)) {
            JGroupsSeaport receiver = (JGroupsSeaport) cluster.member(0);
            JGroupsSeaport owner = (JGroupsSeaport) cluster.member(1);
            Address ownerAddress = owner.channel().getAddress();
            DropFirst dropper = new DropFirst(1, message -> message.getDest() == null
                    && ownerAddress.equals(message.getSrc()) && message.hasArray() && message.getLength() > 1
                    && message.getArray()[message.getOffset() + 1] == WireCodec.PUT);
            receiver.channel().getProtocolStack().insertProtocol(dropper, ProtocolStack.Position.ABOVE, NAKACK2.class);
            // Until the receiver holds the owner's snapshot it asks for it anyway: wait, so that only
            // the gap can help.
            Await.until("the receiver holds the owner's snapshot", WAIT, () -> receiver.describeReplica().lines()
                    .anyMatch(line -> line.contains(owner.memberName()) && line.contains("snapshot=true")),
                    receiver::describeReplica);

            owner.register("app@1.0.0", 7001); // delivered by NAKACK2, then dropped: as if skipped by a merge
            Await.until("the owner's first registration dropped at the receiver", WAIT,
                    () -> dropper.dropped() == 1, () -> "dropped " + dropper.dropped());
            owner.register("app@1.0.0", 7002);

            Await.until("the receiver holds both registrations", WAIT, () -> ports(receiver).equals(Set.of(7001, 7002)),
                    () -> "the receiver sees " + ports(receiver));
            assertThat(dropper.dropped()).as("changes dropped").isEqualTo(1);
        }
    }

    private static Set<Integer> ports(JGroupsSeaport member) {
        return member.query("app").stream().map(Service::port).collect(Collectors.toCollection(TreeSet::new));
    }
}
