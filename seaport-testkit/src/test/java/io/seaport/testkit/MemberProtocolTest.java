package io.seaport.testkit;

import io.seaport.Health;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seaport.Service;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class MemberProtocolTest {

    @Test
    void words_ofQuotedWords_roundTripsBlanksQuotesAndBackslashes() {
        List<String> original = List.of("service", "http server", "say \"hi\"", "back\\slash", "", "plain");

        String line = String.join(" ", original.stream().map(MemberProtocol::quote).toList());

        assertThat(MemberProtocol.words(line)).isEqualTo(original);
    }

    @Test
    void words_withUnclosedQuote_isRefusedQuotingTheLine() {
        assertThatThrownBy(() -> MemberProtocol.words("query \"http"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'query \"http'");
    }

    @Test
    void decodeService_ofEncodedService_returnsAnEqualService() {
        Service service = new Service("id-1", "http server", "1.2.3-beta.1", "::1", 8080,
                Map.of("a b", "c=d&e", "path", "/x y"), "member 1", "prod env", Health.PASSING);

        String word = MemberProtocol.encode(service);

        assertThat(word).doesNotContain(" ");
        assertThat(MemberProtocol.decodeService(word)).isEqualTo(service);
    }

    @Test
    void decodeService_ofGarbage_isRefusedQuotingTheWord() {
        assertThatThrownBy(() -> MemberProtocol.decodeService("nonsense"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'nonsense'");
    }
}
