package io.seaport.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

final class PeerAddressTest {

    @ParameterizedTest(name = "[{index}] ''{0}''")
    @CsvSource(delimiter = '|', textBlock = """
            10.0.0.5:7800       | 10.0.0.5     | 7800 | 10.0.0.5:7800
            127.0.0.1           | 127.0.0.1    | 0    | 127.0.0.1
            db1.example.org:80  | db1.example.org | 80 | db1.example.org:80
            [fd00::5]:7800      | fd00::5      | 7800 | [fd00::5]:7800
            [::1]               | ::1          | 0    | [::1]
            ::1                 | ::1          | 0    | [::1]
            127.0.0.1[7850]     | 127.0.0.1    | 7850 | 127.0.0.1:7850
            ' host-a:9 '        | host-a       | 9    | host-a:9
            """)
    void parse_validForms_giveHostAndPort(String input, String host, int port, String text) {
        PeerAddress peer = PeerAddress.parse(input);

        assertThat(peer.host()).isEqualTo(host);
        assertThat(peer.port()).isEqualTo(port);
        assertThat(peer).hasToString(text);
        assertThat(peer.portOr(7800)).isEqualTo(port == 0 ? 7800 : port);
    }

    @ParameterizedTest(name = "[{index}] ''{0}''")
    @ValueSource(strings = {"", ":7800", "host:", "host:0", "host:65536", "host:http", "[fd00::5", "[fd00::5]x",
        "999.1.1.1", "bad_host:1", "-host", "h[7800", "[zz::1]:80"})
    void parse_invalid_refusedQuotingInput(String input) {
        assertThatThrownBy(() -> PeerAddress.parse(input))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid peer '" + input + "'");
    }
}
