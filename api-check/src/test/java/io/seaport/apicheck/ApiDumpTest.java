package io.seaport.apicheck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

final class ApiDumpTest {

    @Test
    void of_thisModule_listsOnlyExportedPublicMembersWithFullSignatures() {
        List<String> dump = ApiDump.of(Path.of("target/classes"), ApiDumpTest.class.getClassLoader());

        // The private constructor and the private helpers are not API; the public method is.
        assertThat(dump).containsExactly(
                "module io.seaport.apicheck",
                "  exports io.seaport.apicheck",
                "",
                "public final class io.seaport.apicheck.ApiDump",
                "  public static java.util.List<java.lang.String> of(java.nio.file.Path,java.lang.ClassLoader)");
    }

    @Test
    void of_directoryWithoutModule_failsNamingIt() {
        assertThatThrownBy(() -> ApiDump.of(Path.of("target/no-such-module"), ApiDumpTest.class.getClassLoader()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'target/no-such-module'");
    }
}
