package io.seaport.jgroups.internal;

import io.seaport.Seaport;
import io.seaport.spi.SeaportConfig;
import io.seaport.spi.SeaportProvider;
import java.util.Objects;

/** The JGroups provider, found by {@link java.util.ServiceLoader}. */
public final class JGroupsSeaportProvider implements SeaportProvider {

    /** Creates the provider; called by {@link java.util.ServiceLoader}. */
    public JGroupsSeaportProvider() {
    }

    @Override
    public String name() {
        return "jgroups";
    }

    @Override
    public Seaport join(SeaportConfig config) {
        Objects.requireNonNull(config, "config");
        JGroupsLogging.install(); // before any JGroups class that logs is initialized
        StackFactory.check(config);
        return JGroupsSeaport.join(config);
    }
}
