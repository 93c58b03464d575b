package io.seaport.internal;

import io.seaport.spi.SeaportProvider;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * Finds the {@link SeaportProvider}: the one named by {@code seaport.provider}, else the only one.
 */
public final class ProviderLookup {
    /** The system property that chooses a provider by name when several are present. */
    public static final String PROVIDER_PROPERTY = "seaport.provider";

    private ProviderLookup() {
    }

    /**
     * Returns the provider to join with.
     *
     * @return the chosen provider
     * @throws IllegalStateException if none is found, the chosen one is absent, or several are
     *     found and none is chosen
     */
    public static SeaportProvider provider() {
        List<SeaportProvider> found = load(ServiceLoader.load(SeaportProvider.class));
        if (found.isEmpty()) { // the context class loader may not see us (plugins, containers)
            found = load(ServiceLoader.load(SeaportProvider.class, ProviderLookup.class.getClassLoader()));
        }
        return choose(found, System.getProperty(PROVIDER_PROPERTY));
    }

    private static List<SeaportProvider> load(ServiceLoader<SeaportProvider> loader) {
        return loader.stream().map(ServiceLoader.Provider::get).toList();
    }

    static SeaportProvider choose(List<SeaportProvider> found, String wanted) {
        if (found.isEmpty()) {
            throw new IllegalStateException("no Seaport provider found: add the dependency io.seaport:seaport-jgroups "
                    + "to the class path or module path");
        }
        String names = found.stream().map(SeaportProvider::name).collect(Collectors.joining(", "));
        if (wanted != null && !wanted.isBlank()) {
            return found.stream()
                    .filter(p -> p.name().equals(wanted.strip()))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("Seaport provider '" + wanted + "' (from "
                            + PROVIDER_PROPERTY + ") not found; found: " + names));
        }
        if (found.size() > 1) {
            throw new IllegalStateException("several Seaport providers found (" + names + "): choose one with -D"
                    + PROVIDER_PROPERTY + "=NAME");
        }
        return found.get(0);
    }
}
