package io.seaport.jgroups.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.seaport.Service;
import io.seaport.testkit.Await;
import io.seaport.testkit.LocalCluster;
import java.time.Duration;
import java.util.Set;
import org.jgroups.Address;
import org.jgroups.JChannel;
import org.jgroups.PhysicalAddress;
import org.junit.jupiter.api.Test;

/**
 * A view change whose address lookup misses a member (its address still on its way from discovery,
 * common while many members join) must not leave that member's connection open outside the
 * transport's table: stock TCP did, and then everything sent to that member was lost for good.
 */
final class MemberConnectionsTcpTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void viewChangeLookupMissesAMember_itsConnectionStaysInTheTableAndCarriesTraffic() {
        try (LocalCluster cluster = LocalCluster.start("MemberConnectionsTcpTest", 2)) {
            JGroupsSeaport a = (JGroupsSeaport) cluster.member(0);
            JGroupsSeaport b = (JGroupsSeaport) cluster.member(1);
            a.register("before@1.0.0", 7001); // a multicasts to b: a holds a connection to b
            Await.until("b sees a's registration", WAIT, () -> !b.query("before").isEmpty(),
                    () -> "b: " + b.query("before"));
            MemberConnectionsTcp transport = (MemberConnectionsTcp) a.channel().getProtocolStack().getTransport();
            PhysicalAddress bAddress = physicalAddress(a.channel(), b.channel().getAddress());
            assertThat(transport.connectedTo(bAddress)).as("a's connection to b before").isTrue();

            transport.retainAll(Set.of()); // what TCP does on a view change when no member's address was found

            assertThat(transport.connectedTo(bAddress)).as("a's connection to b, still in the table").isTrue();
            a.register("after@1.0.0", 7002);
            b.register("back@1.0.0", 7003);
            Await.until("b sees a's new registration", WAIT, () -> ports(b, "after").equals(Set.of(7002)),
                    () -> "b sees " + ports(b, "after"));
            Await.until("a sees b's new registration", WAIT, () -> ports(a, "back").equals(Set.of(7003)),
                    () -> "a sees " + ports(a, "back"));
        }
    }

    private static PhysicalAddress physicalAddress(JChannel channel, Address member) {
        return channel.getProtocolStack().getTransport().getPhysicalAddressFromCache(member);
    }

    private static Set<Integer> ports(JGroupsSeaport member, String role) {
        return Set.copyOf(member.query(role).stream().map(Service::port).toList());
    }
}
