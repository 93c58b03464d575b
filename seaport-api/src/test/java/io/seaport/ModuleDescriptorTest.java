package io.seaport;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

final class ModuleDescriptorTest {

    @Test
    void apiModule_exportsExactlyTheApiAndTheSpi_andIdsOnlyToTheProvider() {
        ModuleDescriptor module = ModuleFinder.of(Path.of("target/classes")).find("io.seaport").orElseThrow()
                .descriptor();

        assertThat(module.exports().stream().filter(e -> !e.isQualified()).map(ModuleDescriptor.Exports::source)
                .collect(Collectors.toSet())).containsExactlyInAnyOrder("io.seaport", "io.seaport.spi");
        assertThat(module.exports().stream().filter(ModuleDescriptor.Exports::isQualified)
                .map(e -> e.source() + " to " + e.targets())).containsExactly("io.seaport.internal to [io.seaport.jgroups]");
        assertThat(module.uses()).containsExactly("io.seaport.spi.SeaportProvider");
        assertThat(module.requires().stream().map(ModuleDescriptor.Requires::name))
                .containsExactlyInAnyOrder("java.base", "org.semver4j");
    }
}
