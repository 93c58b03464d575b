package io.seaport.examples.cli;

import io.seaport.Health;
import static org.assertj.core.api.Assertions.assertThat;

import io.seaport.Service;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class ServiceTableTest {

    @Test
    void format_services_alignsColumnsUnderHeader() {
        String id = "01M80XGMZ24KQ1EXK43D854GE7"; // a ULID, as Seaport mints them
        Service web = new Service(id, "http server", "0.0.0", "127.0.0.1", 20001, Map.of(), "member-a", "default", Health.PASSING);
        Service db = new Service(id, "db", "10.2.0", "127.0.0.1", 5984, Map.of(), "b", "default", Health.FAILING);
        Instant now = web.registered().orElseThrow().plusSeconds(75);

        String table = ServiceTable.format(List.of(web, db), now);

        assertThat(table).isEqualTo(String.join("\n",
                "ROLE         VERSION  ADDRESS          HEALTH   MEMBER    AGE",
                "http server  0.0.0    127.0.0.1:20001  passing  member-a  1m15s",
                "db           10.2.0   127.0.0.1:5984   failing  b         1m15s"));
    }

    @Test
    void format_withMetadata_addsMetaColumn() {
        Service web = new Service("no-ulid", "web", "1.0.0", "h", 1, Map.of("b", "2", "a", "1"), "m", "default", Health.PASSING);

        String table = ServiceTable.format(List.of(web), Instant.now());

        assertThat(table.lines()).containsExactly(
                "ROLE  VERSION  ADDRESS  HEALTH   MEMBER  AGE  META",
                "web   1.0.0    h:1      passing  m       ?    a=1,b=2");
    }

    @Test
    void format_servicesOfSeveralSites_addsSiteColumn() {
        Service here = new Service("no-ulid", "web", "1.0.0", "h", 1, Map.of("a", "1"), "m", "default",
                Health.PASSING, "east");
        Service there = new Service("no-ulid2", "web", "2.0.0", "k", 2, Map.of(), "n", "default",
                Health.PASSING, "west");

        String table = ServiceTable.format(List.of(here, there), Instant.now());

        assertThat(table.lines()).containsExactly(
                "ROLE  VERSION  ADDRESS  HEALTH   MEMBER  AGE  SITE  META",
                "web   1.0.0    h:1      passing  m       ?    east  a=1",
                "web   2.0.0    k:2      passing  n       ?    west");
    }

    @Test
    void age_acrossUnits_isShortAndNeverNegative() {
        assertThat(ServiceTable.age(Duration.ofSeconds(-3))).isEqualTo("0s");
        assertThat(ServiceTable.age(Duration.ofSeconds(59))).isEqualTo("59s");
        assertThat(ServiceTable.age(Duration.ofSeconds(3 * 60 + 5))).isEqualTo("3m05s");
        assertThat(ServiceTable.age(Duration.ofMinutes(127))).isEqualTo("2h07m");
        assertThat(ServiceTable.age(Duration.ofHours(123))).isEqualTo("5d03h");
    }
}
