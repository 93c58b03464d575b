package io.seaport.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seaport.benchmarks.HostsScenarios.Layout;
import java.util.List;
import org.junit.jupiter.api.Test;

final class HostsLayoutTest {

    @Test
    void parseAll_hostsAndHostsTimesMembers_givesEachLayout() {
        List<Layout> layouts = Layout.parseAll("8,16, 16x2");

        assertThat(layouts).containsExactly(new Layout(8, 1), new Layout(16, 1), new Layout(16, 2));
        assertThat(layouts.get(2).members()).isEqualTo(32);
        assertThat(layouts.get(2).label()).isEqualTo("32 members on 16 hosts (2 per host)");
        assertThat(layouts.get(0).label()).isEqualTo("8 members on 8 hosts");
    }

    @Test
    void parseAll_notALayout_quotesTheOption() {
        assertThatThrownBy(() -> Layout.parseAll("8,sixteen"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'8,sixteen'");
        assertThatThrownBy(() -> Layout.parseAll("8,"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'8,'");
    }

    @Test
    void layout_moreMembersPerHostThanTheTransportSpanLeavesForTheWarmJoin_isRefused() {
        assertThatThrownBy(() -> Layout.parseAll("4x11"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("were 4 and 11");
        assertThatThrownBy(() -> new Layout(0, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
