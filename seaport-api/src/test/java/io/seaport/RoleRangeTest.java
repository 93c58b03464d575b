package io.seaport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

final class RoleRangeTest {

    @ParameterizedTest(name = "[{index}] ''{0}'' vs {1} -> {2}")
    @CsvSource(delimiter = ';', textBlock = """
            http ; http@1.0.0 ; true
            http ; http@0.0.0 ; true
            http ; http@2.1.0-beta.1 ; true
            http ; https@1.0.0 ; false
            http@1.x ; http@1.0.0 ; true
            http@1.x ; http@1.9.3 ; true
            http@1.x ; http@2.0.0 ; false
            http@1.x ; http@1.1.0-beta ; false
            http@1 ; http@1.4.0 ; true
            http@* ; http@0.1.0 ; true
            http@* ; http@1.0.0-rc.1 ; false
            http@^1.2 ; http@1.2.0 ; true
            http@^1.2 ; http@1.9.9 ; true
            http@^1.2 ; http@1.1.9 ; false
            http@^1.2 ; http@2.0.0 ; false
            http@^0.2.3 ; http@0.2.9 ; true
            http@^0.2.3 ; http@0.3.0 ; false
            http@~1.2.3 ; http@1.2.9 ; true
            http@~1.2.3 ; http@1.3.0 ; false
            http@>=1.0.0 <2.0.0 ; http@1.5.0 ; true
            http@>=1.0.0 <2.0.0 ; http@2.0.0 ; false
            http@>=1.0.0 <2.0.0 ; http@2.0.0-beta ; false
            http@>= 1.0.0  < 2 ; http@1.0.0 ; true
            http@1.x || >=3 ; http@3.1.0 ; true
            http@1.x || >=3 ; http@2.5.0 ; false
            http@1.2.3 ; http@1.2.3 ; true
            http@1.2.3 ; http@1.2.4 ; false
            http@=1.2.3 ; http@1.2.3 ; true
            http@1.2.3 - 2.3 ; http@2.3.9 ; true
            http@1.2.3 - 2.3 ; http@2.4.0 ; false
            api@2.1.0-beta.1 ; api@2.1.0-beta.1 ; true
            api@>=2.1.0-beta.1 ; api@2.1.0-beta.2 ; true
            api@>=2.1.0-beta.1 ; api@2.2.0-beta.1 ; false
            api@>=2 ; api@2.0.0-rc.1 ; false
            'http server@1.x' ; http server@1.0 ; true
            ' http server ' ; http server ; true
            """)
    void matches_followsNpmRangeSemantics(String range, String role, boolean expected) {
        assertThat(RoleRange.parse(range).matches(Role.parse(role))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "[{index}] ''{0}''")
    @ValueSource(strings = {
        "", "  ", "@1.x", "http@", "http@ ", "http@garbage", "http@1.x garbage", "http@>=x", "http@1.2.3.4",
        "http@1.x ||", "http@|| 1.x", "http@>>1", "http@^", "http@1.2.3 -", "http@1.2.3 - 2.0 - 3", "http@>=1.0.0@2"
    })
    void parse_invalidRange_refusedWithMessageQuotingInput(String input) {
        assertThatThrownBy(() -> RoleRange.parse(input))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid range '")
                .hasMessageContaining(input.strip().isEmpty() ? "must not be empty" : input);
    }

    @Test
    void parse_bareName_hasNoVersionRange() {
        RoleRange range = RoleRange.parse(" http server ");

        assertThat(range.name()).isEqualTo("http server");
        assertThat(range.versionRange()).isEmpty();
        assertThat(range).hasToString("http server");
    }

    @Test
    void parse_withRange_keepsNameAndRangeText() {
        RoleRange range = RoleRange.parse("http@ ^1.2 ");

        assertThat(range.name()).isEqualTo("http");
        assertThat(range.versionRange()).contains("^1.2");
        assertThat(range).hasToString("http@^1.2").isEqualTo(RoleRange.parse("http@^1.2"));
    }

    @Test
    void matchesVersion_ignoresTheName() {
        assertThat(RoleRange.parse("a@1.x").matchesVersion(Role.parse("b@1.2.0"))).isTrue();
        assertThat(RoleRange.parse("a@1.x").matches(Role.parse("b@1.2.0"))).isFalse();
    }
}
