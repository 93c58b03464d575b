package io.seaport.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

final class ModuleDescriptorTest {

    @Test
    void testkitModule_exportsTheKit_andNeedsNoProvider() {
        ModuleDescriptor module = ModuleFinder.of(Path.of("target/classes")).find("io.seaport.testkit")
                .orElseThrow().descriptor();

        assertThat(module.exports()).extracting(ModuleDescriptor.Exports::source)
                .containsExactlyInAnyOrder("io.seaport.testkit", "io.seaport.testkit.net");
        assertThat(module.requires()).extracting(ModuleDescriptor.Requires::name).doesNotContain("io.seaport.jgroups");
    }
}
