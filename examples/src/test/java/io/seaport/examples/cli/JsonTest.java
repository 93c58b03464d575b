package io.seaport.examples.cli;

import io.seaport.Health;
import static org.assertj.core.api.Assertions.assertThat;

import io.seaport.Service;
import io.seaport.ServiceEvent;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class JsonTest {

    @Test
    void quote_specialCharacters_areEscaped() {
        String text = "a\"b\\c\nd\te\u0001f\u2028g/h é";

        String quoted = Json.quote(text);

        assertThat(quoted).isEqualTo("\"a\\\"b\\\\c\\nd\\te\\u0001f\\u2028g/h é\"");
    }

    @Test
    void array_twoServices_oneObjectPerLineInOrder() {
        Service web = new Service("01JD0000000000000000000000", "web", "1.2.0", "127.0.0.1", 20001,
                Map.of("zone", "a \"quoted\""), "m1", "default", Health.PASSING);
        Service db = new Service("not-a-ulid", "db", "3.2.2", "::1", 5984, Map.of(), "m2", "default", Health.DRAINING);

        String json = Json.array(List.of(web, db));

        assertThat(json).isEqualTo("[\n"
                + "  {\"role\":\"web\",\"version\":\"1.2.0\",\"host\":\"127.0.0.1\",\"port\":20001,"
                + "\"address\":\"127.0.0.1:20001\",\"member\":\"m1\",\"environment\":\"default\","
                + "\"health\":\"passing\",\"id\":\"01JD0000000000000000000000\",\"registered\":\"2024-11-18T15:59:22.112Z\","
                + "\"metadata\":{\"zone\":\"a \\\"quoted\\\"\"}},\n"
                + "  {\"role\":\"db\",\"version\":\"3.2.2\",\"host\":\"::1\",\"port\":5984,"
                + "\"address\":\"[::1]:5984\",\"member\":\"m2\",\"environment\":\"default\","
                + "\"health\":\"draining\",\"id\":\"not-a-ulid\",\"registered\":null,\"metadata\":{}}\n"
                + "]");
    }

    @Test
    void array_empty_isEmptyArray() {
        String json = Json.array(List.of());

        assertThat(json).isEqualTo("[]");
    }

    @Test
    void event_freedByMemberLeaving_namesEventAndReason() {
        Service web = new Service("x", "web", "1.0.0", "127.0.0.1", 80, Map.of(), "m1", "default", Health.PASSING);

        String json = Json.event(new ServiceEvent.Freed(web, ServiceEvent.Reason.MEMBER_LEFT));

        assertThat(json).startsWith("{\"event\":\"freed\",\"reason\":\"member_left\",\"service\":{\"role\":\"web\"")
                .endsWith("}}");
    }

    @Test
    void event_healthChanged_namesPreviousAndNewHealth() {
        Service web = new Service("x", "web", "1.0.0", "127.0.0.1", 80, Map.of(), "m1", "default", Health.FAILING);

        String json = Json.event(new ServiceEvent.HealthChanged(web, Health.PASSING));

        assertThat(json).startsWith("{\"event\":\"health\",\"previous\":\"passing\",\"service\":{")
                .contains("\"health\":\"failing\"");
    }
}
