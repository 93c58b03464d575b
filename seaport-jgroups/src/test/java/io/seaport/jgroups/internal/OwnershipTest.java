package io.seaport.jgroups.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.seaport.Registration;
import io.seaport.Seaport;
import io.seaport.Service;
import io.seaport.testkit.Await;
import io.seaport.testkit.LocalCluster;
import io.seaport.testkit.LocalClusters;
import java.util.List;
import java.util.Map;
import org.jgroups.BytesMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A member that holds the cluster's key but sends crafted messages cannot change another member's
 * entries: entries are identified by (owner, id), and an owner publishes only at its own host.
 */
final class OwnershipTest {
    @RegisterExtension
    final LocalClusters clusters = new LocalClusters();

    /** Sends {@code message} on {@code hostile}'s channel, as the member's own code would not. */
    private static void sendAs(JGroupsSeaport hostile, WireMessage message) throws Exception {
        hostile.channel().send(new BytesMessage(null, WireCodec.encodeUnchecked(message)));
    }

    private static WireMessage.Owner owner(JGroupsSeaport member, long seq) {
        return new WireMessage.Owner(Long.MAX_VALUE, seq, member.member(), "127.0.0.1");
    }

    @Test
    void forgedPutFreeAndSnapshot_ofAnotherMembersId_changeNothingOfIt() throws Exception {
        LocalCluster cluster = clusters.start("OwnershipTest-forged", 3);
        clusters.uncheckedAfterTest(cluster, "the hostile member's forged entry is in the others' replicas, "
                + "not in its own");
        JGroupsSeaport a = (JGroupsSeaport) cluster.member(0);
        JGroupsSeaport b = (JGroupsSeaport) cluster.member(1);
        JGroupsSeaport hostile = (JGroupsSeaport) cluster.member(2);
        Registration web = a.register("web@1.0.0", 20010);
        Service genuine = web.service();
        Await.until("every member sees a's web", () -> cluster.members().stream()
                .allMatch(m -> m.query("web").equals(List.of(genuine))), cluster::describe);
        String id = genuine.id();

        sendAs(hostile, new WireMessage.Put(owner(hostile, 1), new Entry(id, "default", "web", "1.0.0",
                "10.9.9.9", 6666, Map.of(), true, false)));
        sendAs(hostile, new WireMessage.Free(owner(hostile, 2), List.of(id)));
        sendAs(hostile, new WireMessage.Snapshot(owner(hostile, 3), List.of()));
        sendAs(hostile, new WireMessage.Put(owner(hostile, 4), new Entry(id, "default", "evil", "1.0.0",
                "127.0.0.1", 6667, Map.of(), true, false)));
        Await.until("b applied the hostile member's last message", () -> b.query("evil").size() == 1,
                cluster::describe);

        for (Seaport member : List.of(a, b)) {
            assertThat(member.query("web")).as("web on %s", member.member()).containsExactly(genuine);
            assertThat(member.services()).noneMatch(s -> s.host().equals("10.9.9.9"));
        }
        web.close();
        Await.until("the true owner still frees its entry everywhere",
                () -> a.query("web").isEmpty() && b.query("web").isEmpty(), cluster::describe);
    }

    @Test
    void forgedPut_sameIdAndRoleAtOwnHost_everyMemberShowsTheSameOneAndTheGenuineReturns() throws Exception {
        LocalCluster cluster = clusters.start("OwnershipTest-sameRole", 3);
        JGroupsSeaport a = (JGroupsSeaport) cluster.member(0);
        JGroupsSeaport hostile = (JGroupsSeaport) cluster.member(2);
        Service genuine = a.register("web@1.0.0", 20011).service();
        Await.until("every member sees a's web", () -> cluster.members().stream()
                .allMatch(m -> m.query("web").equals(List.of(genuine))), cluster::describe);
        Entry marker = new Entry("01ARZ3NDEKTSV4RRFFQ69G5FAZ", "default", "marker", "1.0.0", "127.0.0.1", 6669,
                Map.of(), true, false);

        sendAs(hostile, new WireMessage.Put(owner(hostile, 1), new Entry(genuine.id(), "default", "web", "1.0.0",
                "127.0.0.1", 6668, Map.of(), true, false)));
        sendAs(hostile, new WireMessage.Put(owner(hostile, 2), marker)); // one sender's messages apply in order
        List<Seaport> honest = List.of(a, cluster.member(1)); // the hostile member never applies its own messages
        Await.until("the honest members applied the forged entry", () -> honest.stream()
                .allMatch(m -> m.query("marker").size() == 1), cluster::describe);
        List<Service> shown = a.query("web");
        boolean sameEverywhere = honest.stream().allMatch(m -> m.query("web").equals(shown));
        sendAs(hostile, new WireMessage.Free(owner(hostile, 3), List.of(genuine.id(), marker.id())));

        assertThat(shown).hasSize(1);
        assertThat(sameEverywhere).as("the honest members show the same one of the two").isTrue();
        Await.until("every member shows the genuine entry again", () -> cluster.members().stream()
                .allMatch(m -> m.query("web").equals(List.of(genuine)) && m.query("marker").isEmpty()),
                cluster::describe);
    }
}
