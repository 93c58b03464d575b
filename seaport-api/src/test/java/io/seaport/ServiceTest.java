package io.seaport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class ServiceTest {

    @Test
    void address_ipv4AndName_isHostColonPort() {
        assertThat(service("127.0.0.1", 8080).address()).isEqualTo("127.0.0.1:8080");
        assertThat(service("db1", 5984).address()).isEqualTo("db1:5984");
    }

    @Test
    void address_ipv6_isBracketed() {
        assertThat(service("::1", 8080).address()).isEqualTo("[::1]:8080");
        assertThat(service("fd00::5", 443).address()).isEqualTo("[fd00::5]:443");
    }

    @Test
    void metadata_isAnImmutableSortedCopy() {
        Map<String, String> meta = new HashMap<>(Map.of("zone", "b", "app", "shop"));

        Service service = new Service("id", "http", "1.0.0", "h", 1, meta, "m", "default", Health.PASSING);
        meta.put("late", "x");

        assertThat(service.metadata()).containsExactly(Map.entry("app", "shop"), Map.entry("zone", "b"));
        assertThatThrownBy(() -> service.metadata().put("a", "b")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(new Service("id", "http", "1.0.0", "h", 1, null, "m", "e", Health.PASSING).metadata()).isEmpty();
    }

    @Test
    void registered_seaportId_isTheMillisecondItWasMinted() {
        Service service = new Service("01M80XGMZ24KQ1EXK43D854GE7", "http", "1.0.0", "h", 1, null, "m", "e", Health.PASSING);

        assertThat(service.registered()).contains(java.time.Instant.parse("2026-11-22T06:01:24.194Z"));
        assertThat(new Service("not-a-ulid", "http", "1.0.0", "h", 1, null, "m", "e", Health.PASSING).registered()).isEmpty();
    }

    @Test
    void constructor_portOutOfRange_refused() {
        assertThatThrownBy(() -> service("h", 0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("was 0");
        assertThatThrownBy(() -> service("h", 65536)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("was 65536");
    }

    @Test
    void roleAtVersion_joinsNameAndVersion() {
        assertThat(service("h", 1).roleAtVersion()).isEqualTo("http@1.0.0");
    }

    private static Service service(String host, int port) {
        return new Service("01ARZ3NDEKTSV4RRFFQ69G5FAV", "http", "1.0.0", host, port, Map.of(), "member-1", "default", Health.PASSING);
    }
}
