package io.seaport.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

final class ModuleDescriptorTest {

    @Test
    void micrometerModule_exportsOnlyItsBinders_andNeedsTheProxyOnlyWhenPresent() {
        ModuleDescriptor module = ModuleFinder.of(Path.of("target/classes")).find("io.seaport.micrometer")
                .orElseThrow().descriptor();

        assertThat(module.exports()).extracting(ModuleDescriptor.Exports::source).containsExactly("io.seaport.micrometer");
        assertThat(module.requires()).filteredOn(r -> r.name().equals("io.seaport.proxy")).singleElement()
                .satisfies(r -> assertThat(r.modifiers()).contains(ModuleDescriptor.Requires.Modifier.STATIC));
    }
}
