package io.seaport.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The starter exports its one package, and opens it and its internal package to Spring only. */
final class ModuleDescriptorTest {

    @Test
    void descriptor_starterModule_exportsItsPackageAndOpensBothToSpring() throws IOException {
        ModuleDescriptor descriptor;
        try (InputStream in = Files.newInputStream(Path.of("target", "classes", "module-info.class"))) {
            descriptor = ModuleDescriptor.read(in);
        }

        Set<String> exports = descriptor.exports().stream().map(e -> e.source() + " to " + e.targets())
                .collect(Collectors.toSet());
        Set<String> opens = descriptor.opens().stream().map(o -> o.source() + " to " + new java.util.TreeSet<>(o.targets()))
                .collect(Collectors.toSet());

        assertThat(descriptor.name()).isEqualTo("io.seaport.spring.boot");
        assertThat(exports).containsExactly("io.seaport.spring.boot to []");
        assertThat(opens).containsExactlyInAnyOrder(
                "io.seaport.spring.boot to [spring.beans, spring.context, spring.core]",
                "io.seaport.spring.boot.internal to [spring.beans, spring.context, spring.core]");
    }
}
