package io.seaport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

final class RoleTest {

    @ParameterizedTest(name = "[{index}] ''{0}'' -> {1} @ {2}")
    @CsvSource(delimiter = '|', textBlock = """
            http@1.0.0            | http         | 1.0.0
            http@1.0              | http         | 1.0.0
            web@2                 | web          | 2.0.0
            web@v2.1.3            | web          | 2.1.3
            couchdb@3.2.2         | couchdb      | 3.2.2
            http server           | http server  | 0.0.0
            '  http server  @ 1.2 ' | http server | 1.2.0
            api@2.1.0-beta.1      | api          | 2.1.0-beta.1
            api@1.0-rc.1          | api          | 1.0.0-rc.1
            api@1.2.3+build.7     | api          | 1.2.3+build.7
            a                     | a            | 0.0.0
            über-dienst@1         | über-dienst  | 1.0.0
            """)
    void parse_validRole_givesNameAndCoercedVersion(String input, String name, String version) {
        Role role = Role.parse(input);

        assertThat(role.name()).isEqualTo(name);
        assertThat(role.version()).isEqualTo(version);
        assertThat(role).hasToString(name + "@" + version);
    }

    @ParameterizedTest(name = "[{index}] ''{0}''")
    @ValueSource(strings = {
        "", "   ", "@1.0.0", " @1.0", "http@", "http@  ", "http@abc", "http@1.2.3.4", "http@1.x",
        "http@01.2.3", "http@1.2.3@4", "http@^1.2", "http@1..2", "http@-1", "http@1.2.3-", "http@99999999999.0.0",
        "tab\tname@1.0", "new\nline"
    })
    void parse_invalidRole_refusedWithMessageQuotingInput(String input) {
        assertThatThrownBy(() -> Role.parse(input))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid role '")
                .hasMessageContaining(input.strip().isEmpty() ? "must not be empty" : input.replace("\t", "\\u0009")
                        .replace("\n", "\\u000a"));
    }

    @Test
    void parse_nameOf256Characters_refusedNamingTheLimit() {
        String name = "x".repeat(256);

        assertThatThrownBy(() -> Role.parse(name + "@1.0.0"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most 255");
        assertThat(Role.parse("x".repeat(255)).name()).hasSize(255);
    }

    @Test
    void parse_versionLongerThanLimit_refusedQuotingInputAndNamingTheLimit() {
        String input = "web@1.0.0-" + "a".repeat(300);

        assertThatThrownBy(() -> Role.parse(input))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid role 'web@1.0.0-aaa")
                .hasMessageContaining("the version has 306 characters, at most " + Role.MAX_VERSION_LENGTH);
    }

    @Test
    void parse_versionOfExactlyTheLimit_accepted() {
        String version = "1.0.0-" + "a".repeat(Role.MAX_VERSION_LENGTH - 6);

        assertThat(Role.parse("web@" + version).version()).isEqualTo(version);
    }

    @Test
    void parse_loneSurrogateInName_refusedWithTheSurrogateEscaped() {
        String input = "web\uD800x@1.0.0";

        assertThatThrownBy(() -> Role.parse(input))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid role 'web\\ud800x@1.0.0'")
                .hasMessageContaining("lone UTF-16 surrogate");
        assertThatThrownBy(() -> RoleRange.parse("web\uDC00@1.x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lone UTF-16 surrogate");
        assertThat(Role.parse("web\uD83D\uDE00@1").name()).isEqualTo("web\uD83D\uDE00"); // a pair is fine
    }

    @Test
    void parse_null_throwsNullPointerNamingTheArgument() {
        assertThatThrownBy(() -> Role.parse(null)).isInstanceOf(NullPointerException.class).hasMessage("role");
    }

    @Test
    void compareVersionTo_ordersBySemverPrecedence() {
        List<Role> roles = new ArrayList<>(List.of(
                Role.parse("a@1.10.0"), Role.parse("a@1.2.0"), Role.parse("a@2.0.0-beta.2"),
                Role.parse("a@2.0.0"), Role.parse("a@2.0.0-beta.10"), Role.parse("a@2.0.0-alpha")));

        roles.sort(Role::compareVersionTo);

        assertThat(roles).extracting(Role::version).containsExactly(
                "1.2.0", "1.10.0", "2.0.0-alpha", "2.0.0-beta.2", "2.0.0-beta.10", "2.0.0");
    }

    @Test
    void equals_sameNameAndCoercedVersion_areEqual() {
        assertThat(Role.parse("http@1.0")).isEqualTo(Role.parse(" http @1.0.0")).hasSameHashCodeAs(Role.parse("http@1"));
        assertThat(Role.parse("http@1.0")).isNotEqualTo(Role.parse("HTTP@1.0"));
        assertThat(Role.parse("http@2.0.0-beta").isPreRelease()).isTrue();
        assertThat(Role.parse("http@2.0.0").isPreRelease()).isFalse();
    }
}
