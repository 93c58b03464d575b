package io.seaport.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class PlaceholdersTest {

    @Test
    void command_portPlaceholders_replacedEverywhere() {
        List<String> command = List.of("server", "--listen=127.0.0.1:{port}", "{port}", "plain");

        List<String> replaced = Placeholders.command(command, 20001);

        assertThat(replaced).containsExactly("server", "--listen=127.0.0.1:20001", "20001", "plain");
    }

    @Test
    void environment_port_setUnderEveryName() {
        Map<String, String> environment = new HashMap<>();

        Placeholders.environment(environment, 20001, "web@1.0.0");

        assertThat(environment).containsEntry("PORT", "20001").containsEntry("SEAPORT_PORT", "20001")
                .containsEntry("SEAPORT_ROLE", "web@1.0.0");
    }
}
