package io.seaport.spring.boot;

import java.util.Objects;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.ReactiveDiscoveryClient;
import reactor.core.publisher.Flux;

/**
 * Spring Cloud's {@code ReactiveDiscoveryClient} over Seaport: each subscription reads the local
 * replica (which never blocks) as {@link SeaportDiscoveryClient} does.
 *
 * <p>Thread-safe.
 */
public final class SeaportReactiveDiscoveryClient implements ReactiveDiscoveryClient {
    private final SeaportDiscoveryClient delegate;

    /**
     * Returns a reactive view of {@code delegate}.
     *
     * @param delegate the blocking client, whose reads do not block
     */
    public SeaportReactiveDiscoveryClient(SeaportDiscoveryClient delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public String description() {
        return "Seaport reactive discovery client";
    }

    @Override
    public Flux<ServiceInstance> getInstances(String serviceId) {
        return Flux.defer(() -> Flux.fromIterable(delegate.getInstances(serviceId)));
    }

    @Override
    public Flux<String> getServices() {
        return Flux.defer(() -> Flux.fromIterable(delegate.getServices()));
    }
}
