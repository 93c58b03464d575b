package io.seaport.spring.boot;

import java.util.List;
import java.util.Objects;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import reactor.core.publisher.Flux;

/**
 * Supplies Spring Cloud LoadBalancer with one service id's instances, read from the local replica
 * on every pick. There is no cache to expire: a service that leaves the cluster (freed, or its
 * member gone) is not picked from the moment this member's replica drops it.
 *
 * <p>Thread-safe.
 */
public final class SeaportServiceInstanceListSupplier implements ServiceInstanceListSupplier {
    private final String serviceId;
    private final SeaportDiscoveryClient discovery;

    /**
     * Returns the supplier of {@code serviceId}'s instances.
     *
     * @param serviceId the load-balanced client's name, such as the host of {@code http://web/}
     * @param discovery the client that maps it to a range and reads the replica
     */
    public SeaportServiceInstanceListSupplier(String serviceId, SeaportDiscoveryClient discovery) {
        this.serviceId = Objects.requireNonNull(serviceId, "serviceId");
        this.discovery = Objects.requireNonNull(discovery, "discovery");
    }

    @Override
    public String getServiceId() {
        return serviceId;
    }

    @Override
    public Flux<List<ServiceInstance>> get() {
        return Flux.defer(() -> Flux.just(discovery.getInstances(serviceId)));
    }
}
