package io.seaport.jgroups.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.seaport.testkit.Await;
import io.seaport.testkit.LocalCluster;
import io.seaport.testkit.LocalClusters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jgroups.Address;
import org.jgroups.JChannel;
import org.jgroups.Message;
import org.jgroups.ViewId;
import org.jgroups.protocols.DISCARD;
import org.jgroups.protocols.FD_ALL3;
import org.jgroups.protocols.TCP;
import org.jgroups.stack.Protocol;
import org.jgroups.stack.ProtocolStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link ScaledFdAll}: in a view of six, the first three members hear everyone's heartbeats and the
 * other three heartbeat to those three only, and the view holds; a member that hangs with its sockets open (everything it sends and receives dropped) is
 * excluded whether it is an ordinary member (the coordinator judges it) or the coordinator (the
 * next member judges it).
 */
final class WatchedHeartbeatsTest {
    private static final Duration EXCLUDED = Duration.ofSeconds(60);

    @RegisterExtension
    final LocalClusters clusters = new LocalClusters();

    @Test
    void idleSix_keepTheirView_whileOnlyTheWatchersHearEveryone() throws Exception {
        LocalCluster cluster = clusters.start("WatchedHeartbeatsTest-idle", 6);
        List<JGroupsSeaport> members = members(cluster);
        awaitOneView(members, 6, cluster);
        ViewId view = members.get(0).channel().getView().getViewId();
        List<Address> watchers = members.subList(0, 3).stream().map(m -> m.channel().getAddress()).toList();
        HeartbeatDestinations watcher = record(members.get(1));
        HeartbeatDestinations ordinary = record(members.get(4));

        Await.until("five heartbeat rounds of a watcher and of an ordinary member", EXCLUDED,
                () -> watcher.destinations.size() >= 5 && ordinary.destinations.size() >= 5 * 3,
                () -> "watcher sent to " + watcher.destinations + ", ordinary member to " + ordinary.destinations);

        assertThat(watcher.destinations).as("a watcher multicasts").containsOnlyNulls();
        assertThat(ordinary.destinations).as("an ordinary member tells the three watchers only")
                .isSubsetOf(watchers).containsAll(watchers);
        for (JGroupsSeaport member : members) {
            assertThat(member.channel().getView().getViewId()).as(member.memberName()).isEqualTo(view);
        }
    }

    @Test
    void hungOrdinaryMember_isExcludedByTheCoordinator() throws Exception {
        LocalCluster cluster = clusters.start("WatchedHeartbeatsTest-member", 6);
        List<JGroupsSeaport> members = members(cluster);
        awaitOneView(members, 6, cluster);

        hang(cluster, members.get(5));

        awaitExcluded(members.subList(0, 5), members.get(5), cluster);
    }

    @Test
    void hungCoordinator_isExcludedByTheNextMember() throws Exception {
        LocalCluster cluster = clusters.start("WatchedHeartbeatsTest-coordinator", 6);
        List<JGroupsSeaport> members = members(cluster);
        awaitOneView(members, 6, cluster);

        hang(cluster, members.get(0));

        awaitExcluded(members.subList(1, 6), members.get(0), cluster);
        assertThat(members.get(1).channel().getView().getCoord()).isEqualTo(members.get(1).channel().getAddress());
    }

    private static List<JGroupsSeaport> members(LocalCluster cluster) {
        return cluster.members().stream().map(JGroupsSeaport.class::cast).toList();
    }

    private static FD_ALL3 fd(JGroupsSeaport member) {
        return member.channel().getProtocolStack().findProtocol(FD_ALL3.class);
    }

    /** Awaits one view of {@code size} on every member, ordered as the members joined. */
    private static void awaitOneView(List<JGroupsSeaport> members, int size, LocalCluster cluster) {
        Await.until("one view of " + size + " in join order", EXCLUDED, () -> members.stream().allMatch(
                m -> m.channel().getView().getMembers().equals(members.stream().map(o -> o.channel().getAddress())
                        .toList())), cluster::describe);
        assertThat(members.get(0).channel().getView().size()).isEqualTo(size);
    }

    /** Records the destination of each heartbeat {@code member} sends (null: to all), right above its transport. */
    private static HeartbeatDestinations record(JGroupsSeaport member) throws Exception {
        HeartbeatDestinations recorder = new HeartbeatDestinations(fd(member).getId());
        member.channel().getProtocolStack().insertProtocol(recorder, ProtocolStack.Position.ABOVE, TCP.class);
        return recorder;
    }

    /** A test protocol: the destinations of the heartbeats that pass it on their way down. */
    private static final class HeartbeatDestinations extends Protocol {
        final List<Address> destinations = Collections.synchronizedList(new ArrayList<>());
        private final short heartbeatId;

        HeartbeatDestinations(short heartbeatId) {
            this.heartbeatId = heartbeatId;
        }

        @Override
        public Object down(Message message) {
            if (message.getHeader(heartbeatId) != null) {
                destinations.add(message.getDest());
            }
            return down_prot.down(message);
        }
    }

    /** Drops everything {@code member} sends and receives, right above its transport: its sockets stay open. */
    private static void hang(LocalCluster cluster, JGroupsSeaport member) throws Exception {
        JChannel channel = member.channel();
        DISCARD discard = new DISCARD();
        discard.setAddress(channel.getAddress());
        channel.getProtocolStack().insertProtocol(discard, ProtocolStack.Position.ABOVE, TCP.class);
        discard.discardAll(true);
        cluster.crashed(member);
    }

    private static void awaitExcluded(List<JGroupsSeaport> survivors, JGroupsSeaport hung, LocalCluster cluster) {
        Address gone = hung.channel().getAddress();
        Await.until(hung.memberName() + " excluded from every survivor's view", EXCLUDED,
                () -> survivors.stream().allMatch(m -> m.channel().getView().size() == survivors.size()
                        && !m.channel().getView().containsMember(gone)), cluster::describe);
    }
}
