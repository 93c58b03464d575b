/**
 * Seaport's API: offer services under a semver role, find them by range, watch them come and go.
 *
 * <p>This module holds no implementation: {@link io.seaport.Seaport#join(String)} finds one with
 * {@link java.util.ServiceLoader}. Add {@code io.seaport:seaport-jgroups} to get one.
 */
@SuppressWarnings("module") // the provider module is not on this module's path when it compiles
module io.seaport {
    requires org.semver4j;

    exports io.seaport;
    exports io.seaport.spi;
    // Id minting is shared with the provider but is no part of the API.
    exports io.seaport.internal to io.seaport.jgroups;

    uses io.seaport.spi.SeaportProvider;
}
