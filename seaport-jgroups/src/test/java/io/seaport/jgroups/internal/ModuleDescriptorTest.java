package io.seaport.jgroups.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.seaport.spi.SeaportProvider;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

final class ModuleDescriptorTest {

    @Test
    void providerModule_exportsNothing_andProvidesTheProvider() {
        ModuleDescriptor module = ModuleFinder.of(Path.of("target/classes")).find("io.seaport.jgroups").orElseThrow()
                .descriptor();

        assertThat(module.exports()).isEmpty();
        assertThat(module.opens()).isEmpty();
        assertThat(module.provides()).singleElement().satisfies(provides -> {
            assertThat(provides.service()).isEqualTo("io.seaport.spi.SeaportProvider");
            assertThat(provides.providers()).containsExactly(JGroupsSeaportProvider.class.getName());
        });
        assertThat(module.requires().stream().map(ModuleDescriptor.Requires::name))
                .containsExactlyInAnyOrder("java.base", "io.seaport", "org.jgroups", "org.slf4j", "jdk.jfr");
    }

    @Test
    void serviceLoader_onTheClassPath_findsTheProviderThroughMetaInfServices() {
        ServiceLoader<SeaportProvider> loader = ServiceLoader.load(SeaportProvider.class);

        assertThat(loader.stream().map(ServiceLoader.Provider::type)).containsExactly(JGroupsSeaportProvider.class);
        assertThat(loader.findFirst().orElseThrow().name()).isEqualTo("jgroups");
    }
}
