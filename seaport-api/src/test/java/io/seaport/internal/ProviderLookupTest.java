package io.seaport.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seaport.Seaport;
import io.seaport.spi.SeaportConfig;
import io.seaport.spi.SeaportProvider;
import java.util.List;
import org.junit.jupiter.api.Test;

final class ProviderLookupTest {

    @Test
    void provider_noneOnTheClassPath_namesTheArtifactToAdd() {
        assertThatThrownBy(ProviderLookup::provider)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("io.seaport:seaport-jgroups");
    }

    @Test
    void join_noProvider_failsBeforeAnyIo() {
        assertThatThrownBy(() -> Seaport.join("lookup-test"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("no Seaport provider found");
    }

    @Test
    void choose_oneProvider_isTaken() {
        SeaportProvider only = new Named("jgroups");

        assertThat(ProviderLookup.choose(List.of(only), null)).isSameAs(only);
    }

    @Test
    void choose_severalWithoutChoice_failsListingThem() {
        assertThatThrownBy(() -> ProviderLookup.choose(List.of(new Named("a"), new Named("b")), null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("several Seaport providers found (a, b): choose one with -Dseaport.provider=NAME");
    }

    @Test
    void choose_byName_takesThatOneOrFailsListingTheOthers() {
        SeaportProvider b = new Named("b");

        assertThat(ProviderLookup.choose(List.of(new Named("a"), b), " b ")).isSameAs(b);
        assertThatThrownBy(() -> ProviderLookup.choose(List.of(new Named("a")), "zk"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Seaport provider 'zk' (from seaport.provider) not found; found: a");
    }

    private record Named(String name) implements SeaportProvider {
        @Override
        public Seaport join(SeaportConfig config) {
            throw new UnsupportedOperationException("lookup tests never join");
        }
    }
}
