package io.seaport.spi;

import io.seaport.Seaport;

/**
 * Creates joined {@link Seaport} members; found with {@link java.util.ServiceLoader}.
 *
 * <p>{@link Seaport#builder()} chooses the provider named by the system property
 * {@code seaport.provider} if set; otherwise the only provider found. With several providers
 * and no choice, or none at all, joining fails with a message that names what to do.
 * Implementations must be thread-safe and have a public no-argument constructor.
 */
public interface SeaportProvider {

    /**
     * Returns the provider's short name, as matched against {@code seaport.provider}.
     *
     * @return a name such as {@code jgroups}
     */
    String name();

    /**
     * Joins the cluster that {@code config} names.
     *
     * @param config the complete settings; options the provider does not support must be refused
     * @return a joined member whose replica is complete
     * @throws IllegalArgumentException if a setting is invalid or not supported by this provider
     * @throws io.seaport.SeaportException if the cluster cannot be joined
     */
    Seaport join(SeaportConfig config);
}
