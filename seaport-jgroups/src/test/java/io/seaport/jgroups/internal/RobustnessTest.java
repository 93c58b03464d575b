package io.seaport.jgroups.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.seaport.Service;
import io.seaport.testkit.Await;
import io.seaport.testkit.LocalCluster;
import io.seaport.testkit.LocalClusters;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jgroups.BytesMessage;
import org.jgroups.JChannel;
import org.jgroups.ObjectMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

final class RobustnessTest {
    @RegisterExtension
    final LocalClusters clusters = new LocalClusters();

    @Test
    void receive_garbageAndForgedMessages_droppedAndReplicaIntact() throws Exception {
        LocalCluster cluster = clusters.start("RobustnessTest-garbage", 2);
        JGroupsSeaport a = (JGroupsSeaport) cluster.member(0);
        JGroupsSeaport b = (JGroupsSeaport) cluster.member(1);
        a.register("http@1", 1001);
        Await.until("b sees http", () -> b.query("http").size() == 1, cluster::describe);
        List<Service> before = b.query("http");
        JChannel rogue = a.channel();
        Random random = new Random(99);

        for (int i = 0; i < 200; i++) {
            byte[] garbage = new byte[random.nextInt(64)];
            random.nextBytes(garbage);
            rogue.send(new BytesMessage(null, garbage));
        }
        rogue.send(new ObjectMessage(null, "not bytes"));
        // Well-formed but stale: an old sequence number must not undo the registration.
        rogue.send(new BytesMessage(null, WireCodec.encode(new WireMessage.Snapshot(
                new WireMessage.Owner(Long.MIN_VALUE, 0, a.member(), "127.0.0.1"), List.of()))));
        a.register("after@1", 1002, Map.of("k", "v"));

        Await.until("b still applies a's changes", () -> b.query("after").size() == 1, cluster::describe);
        assertThat(b.query("http")).isEqualTo(before);
    }

    @Test
    void receive_snapshotWithOneUndecodableEntry_keepsTheOthers() throws Exception {
        LocalCluster cluster = clusters.start("RobustnessTest-oneBadEntry", 2);
        clusters.uncheckedAfterTest(cluster, "a's channel sent a snapshot a's own replica does not hold");
        JGroupsSeaport a = (JGroupsSeaport) cluster.member(0);
        JGroupsSeaport b = (JGroupsSeaport) cluster.member(1);
        Entry plain = new Entry("01ARZ3NDEKTSV4RRFFQ69G5FAY", "default", "plain", "1.0.0", "127.0.0.1", 20003,
                Map.of(), true, false);
        Entry tooLong = new Entry("01ARZ3NDEKTSV4RRFFQ69G5FAX", "default", "web", "1.0.0-" + "a".repeat(300),
                "127.0.0.1", 20004, Map.of(), true, false);
        // As a peer with other limits (or a hostile one) would send it: a newer incarnation of a.
        byte[] snapshot = WireCodec.encodeUnchecked(new WireMessage.Snapshot(
                new WireMessage.Owner(Long.MAX_VALUE, 1, a.member(), "127.0.0.1"), List.of(tooLong, plain)));

        a.channel().send(new BytesMessage(null, snapshot));

        Await.until("b holds the decodable entry", () -> b.query("plain").size() == 1, cluster::describe);
        assertThat(b.query("web")).isEmpty();
    }
}
