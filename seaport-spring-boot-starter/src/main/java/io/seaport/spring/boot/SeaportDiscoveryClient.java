package io.seaport.spring.boot;

import io.seaport.Seaport;
import io.seaport.Service;
import java.util.List;
import java.util.Objects;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;

/**
 * Spring Cloud's {@code DiscoveryClient} over Seaport: instances are the services matching the
 * id's range ({@link ServiceRanges}), read from the local replica (no network hop), highest
 * version first.
 *
 * <p>Thread-safe.
 */
public final class SeaportDiscoveryClient implements DiscoveryClient {
    private final Seaport seaport;
    private final ServiceRanges ranges;

    /**
     * Returns a client reading {@code seaport}'s replica.
     *
     * @param seaport the member to read from
     * @param ranges which range each service id looks up
     */
    public SeaportDiscoveryClient(Seaport seaport, ServiceRanges ranges) {
        this.seaport = Objects.requireNonNull(seaport, "seaport");
        this.ranges = Objects.requireNonNull(ranges, "ranges");
    }

    @Override
    public String description() {
        return "Seaport discovery client (cluster '" + seaport.cluster() + "', environment '"
                + seaport.environment() + "')";
    }

    /**
     * Returns the services matching {@code serviceId}'s range, now; empty when none does.
     *
     * @throws IllegalStateException if the Seaport bean is closed
     */
    @Override
    public List<ServiceInstance> getInstances(String serviceId) {
        List<Service> services = seaport.query(ranges.rangeFor(serviceId));
        return services.stream().<ServiceInstance>map(s -> new SeaportServiceInstance(serviceId, s)).toList();
    }

    /**
     * Returns the role names registered in this environment, sorted.
     *
     * @throws IllegalStateException if the Seaport bean is closed
     */
    @Override
    public List<String> getServices() {
        return seaport.services().stream().map(Service::role).distinct().sorted().toList();
    }

    /** Reads the replica once: fails if the Seaport bean is closed. */
    @Override
    public void probe() {
        seaport.services();
    }
}
