package io.seaport;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

final class ModuleDescriptorTest {

    @Test
    void apiModule_exportsExactlyTheApiAndTheSpi_andUsesTheProvider() {
        ModuleDescriptor module = ModuleFinder.of(Path.of("target/classes")).find("io.seaport").orElseThrow()
                .descriptor();

        assertThat(module.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder("io.seaport", "io.seaport.spi");
        assertThat(module.exports()).noneMatch(ModuleDescriptor.Exports::isQualified);
        assertThat(module.uses()).containsExactly("io.seaport.spi.SeaportProvider");
        assertThat(module.requires().stream().map(ModuleDescriptor.Requires::name))
                .containsExactlyInAnyOrder("java.base", "org.semver4j");
    }
}
