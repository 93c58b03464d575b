package io.seaport.jgroups.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.seaport.Seaport;
import io.seaport.ServiceEvent;
import io.seaport.testkit.Await;
import io.seaport.testkit.LocalCluster;
import io.seaport.testkit.LocalClusters;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jgroups.Address;
import org.jgroups.JChannel;
import org.jgroups.protocols.DISCARD;
import org.jgroups.protocols.TCP;
import org.jgroups.stack.ProtocolStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Splits a cluster of three in this JVM with JGroups' DISCARD protocol right above the transport,
 * then heals it: MERGE3 merges the views and the snapshots put every registration back everywhere.
 */
final class PartitionTest {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionTest.class);
    @RegisterExtension
    final LocalClusters clusters = new LocalClusters();

    @Test
    void partition_thenHeal_everyRegistrationIsOnEveryMemberAgain() throws Exception {
        LocalCluster cluster = clusters.start("PartitionTest-heal", 3);
        List<JGroupsSeaport> members = cluster.members().stream().map(JGroupsSeaport.class::cast).toList();
        members.get(0).register("a@1", 1001);
        members.get(2).register("c@1", 1003);
        Await.until("everyone sees a and c", () -> everyoneSees(members, "a", "c"), cluster::describe);
        List<ServiceEvent> eventsOnC = new CopyOnWriteArrayList<>();
        members.get(2).watch("a", eventsOnC::add);
        List<DISCARD> discards = insertDiscard(members);

        long splitAt = System.nanoTime();
        split(members, discards);
        Await.until("the views split into {0,1} and {2}",
                () -> viewSize(members.get(0)) == 2 && viewSize(members.get(2)) == 1, cluster::describe);
        LOG.info("measured: split seen in views after {} ms", (System.nanoTime() - splitAt) / 1_000_000);
        Await.until("member 2 dropped member 0's registration", () -> members.get(2).query("a").isEmpty(),
                cluster::describe);
        members.get(1).register("b@1", 1002); // made while member 2 cannot hear it
        members.get(2).register("c@2", 1004); // made while members 0 and 1 cannot hear it
        long healAt = System.nanoTime();
        for (DISCARD discard : discards) {
            discard.resetIgnoredMembers();
        }

        Await.until("one view of three again", () -> members.stream().allMatch(m -> viewSize(m) == 3),
                cluster::describe);
        Await.until("every registration on every member", () -> everyoneSees(members, "a", "b", "c")
                && members.stream().allMatch(m -> m.query("c").size() == 2), cluster::describe);
        LOG.info("measured: registrations everywhere {} ms after healing", (System.nanoTime() - healAt) / 1_000_000);
        assertThat(eventsOnC).extracting(e -> e.getClass().getSimpleName())
                .containsExactly("Registered", "Freed", "Registered");
        assertThat(((ServiceEvent.Freed) eventsOnC.get(1)).reason()).isEqualTo(ServiceEvent.Reason.MEMBER_LEFT);
        assertThat(members.get(2).statistics().merges()).isPositive();
        assertThat(members.get(2).statistics().freed().get(ServiceEvent.Reason.MEMBER_LEFT)).isPositive();
    }

    private static boolean everyoneSees(List<JGroupsSeaport> members, String... roles) {
        for (Seaport member : members) {
            for (String role : roles) {
                if (member.query(role).isEmpty()) {
                    return false;
                }
            }
        }
        return true;
    }

    static int viewSize(JGroupsSeaport member) {
        return member.channel().getView().size();
    }

    static List<DISCARD> insertDiscard(List<JGroupsSeaport> members) throws Exception {
        List<DISCARD> discards = new CopyOnWriteArrayList<>();
        for (JGroupsSeaport member : members) {
            DISCARD discard = new DISCARD();
            JChannel channel = member.channel();
            discard.setAddress(channel.getAddress());
            channel.getProtocolStack().insertProtocol(discard, ProtocolStack.Position.ABOVE, TCP.class);
            discards.add(discard);
        }
        return discards;
    }

    /** Cuts member 2 off from members 0 and 1, both ways. */
    static void split(List<JGroupsSeaport> members, List<DISCARD> discards) {
        Address a = members.get(0).channel().getAddress();
        Address b = members.get(1).channel().getAddress();
        Address c = members.get(2).channel().getAddress();
        discards.get(0).addIgnoreMember(c);
        discards.get(1).addIgnoreMember(c);
        discards.get(2).addIgnoredMembers(a, b);
    }
}
