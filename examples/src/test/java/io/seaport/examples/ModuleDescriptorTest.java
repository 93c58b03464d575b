package io.seaport.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The examples module exports nothing and opens only the command classes, to picocli. */
final class ModuleDescriptorTest {

    @Test
    void descriptor_examplesModule_exportsNothingAndOpensCliToPicocliOnly() throws IOException {
        ModuleDescriptor descriptor;
        try (InputStream in = Files.newInputStream(Path.of("target", "classes", "module-info.class"))) {
            descriptor = ModuleDescriptor.read(in);
        }

        Set<String> opens = descriptor.opens().stream()
                .map(o -> o.source() + " to " + o.targets())
                .collect(Collectors.toSet());

        assertThat(descriptor.name()).isEqualTo("io.seaport.examples");
        assertThat(descriptor.exports()).isEmpty();
        assertThat(opens).containsExactly("io.seaport.examples.cli to [info.picocli]");
    }
}
