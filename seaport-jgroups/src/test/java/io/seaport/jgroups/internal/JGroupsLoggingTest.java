package io.seaport.jgroups.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.jgroups.protocols.FD_SOCK2;
import org.jgroups.protocols.TCP;
import org.junit.jupiter.api.Test;

/** JGroups' messages from Seaport's protocol subclasses go where a setting for {@code org.jgroups} reaches them. */
final class JGroupsLoggingTest {

    @Test
    void category_subclassOfAJGroupsProtocol_isTheJGroupsClass() {
        assertThat(JGroupsLogging.category(MemberConnectionsTcp.class)).isEqualTo(TCP.class.getName());
        assertThat(JGroupsLogging.category(BoundedFdSock.class)).isEqualTo(FD_SOCK2.class.getName());
        assertThat(JGroupsLogging.category(TCP.class)).isEqualTo(TCP.class.getName());
    }

    @Test
    void category_classOutsideJGroups_isItsOwnName() {
        assertThat(JGroupsLogging.category(Replica.class)).isEqualTo(Replica.class.getName());
    }
}
