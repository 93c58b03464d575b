package io.seaport.jgroups.internal;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import org.jgroups.Address;
import org.jgroups.PhysicalAddress;
import org.jgroups.conf.ClassConfigurator;
import org.jgroups.protocols.TCP;

/**
 * JGroups' TCP transport that never leaves a connection open outside its connection table.
 *
 * <p>On every view change TCP drops the connections of peers that are not members: it looks up
 * the members' physical addresses in its address cache, removes every other connection from its
 * table, and then closes each removed one unless the cache, asked again, now lists its peer as a
 * member (JGroups 5.5.7, since JGRP-2949). Discovery fills that cache concurrently, so a joiner
 * whose address arrives between the two lookups has its connection taken out of the table but
 * left open. That connection still delivers what the joiner sends; this member, finding no
 * connection, opens a new one for each send, and the joiner refuses every one of them for as long
 * as it keeps its own (of two connections between a pair, the greater address keeps its own). So
 * everything this member sends the joiner, its snapshot, acknowledgements, retransmissions, is
 * lost for good. Seen with 32 members joining at once in one JVM: two members each waited minutes
 * for the other's snapshot, whose repeated answers never arrived.
 *
 * <p>Here each connection is judged once: kept if its peer is a member by either lookup, else
 * removed and closed, so none is left open outside the table. It keeps TCP's protocol id: peers
 * running stock TCP (a user's XML stack) understand it. Thread-safety: as {@link TCP}.
 */
final class MemberConnectionsTcp extends TCP {

    MemberConnectionsTcp() {
        setId(ClassConfigurator.getProtocolId(TCP.class));
    }

    /** Keeps the connections of members, closes every other one; called by TCP on each view change. */
    @Override
    public void retainAll(Collection<Address> memberAddresses) {
        if (srv == null) {
            return;
        }
        Set<Address> keep = new HashSet<>(memberAddresses);
        srv.forAllConnections((peer, connection) -> {
            if (!keep.contains(peer) && peer instanceof PhysicalAddress physical && is_member.test(physical)) {
                keep.add(peer);
            }
        });
        // No predicate: whatever is not kept is closed, also a connection opened since the scan above.
        srv.retainAll(keep, null);
    }

    /** Returns whether this transport holds an established connection to {@code peer}'s physical address. */
    boolean connectedTo(Address physical) {
        return srv != null && srv.connectionEstablishedTo(physical);
    }
}
