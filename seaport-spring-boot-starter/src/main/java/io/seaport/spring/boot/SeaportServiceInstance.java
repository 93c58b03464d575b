package io.seaport.spring.boot;

import io.seaport.Health;
import io.seaport.Service;
import java.net.URI;
import java.util.Map;
import java.util.Objects;
import org.springframework.cloud.client.ServiceInstance;

/**
 * A Seaport service as Spring Cloud sees it: the service id it was looked up by, the service's
 * host, port and metadata. {@link #isSecure()} is true when the metadata has {@code secure=true}.
 *
 * <p>Immutable and thread-safe.
 */
public final class SeaportServiceInstance implements ServiceInstance {
    private final String serviceId;
    private final Service service;

    /**
     * Returns the instance of {@code service} found under {@code serviceId}.
     *
     * @param serviceId the Spring service id that found it (the role's name, or a mapped id)
     * @param service the Seaport service
     */
    public SeaportServiceInstance(String serviceId, Service service) {
        this.serviceId = Objects.requireNonNull(serviceId, "serviceId");
        this.service = Objects.requireNonNull(service, "service");
    }

    /**
     * Returns the Seaport service: role, version, member, environment.
     *
     * @return the Seaport service: role, version, member, environment
     */
    public Service service() {
        return service;
    }

    /**
     * Returns the service's health when it was looked up: always {@code PASSING} for instances
     * from the discovery clients and the load balancer, which offer only passing services.
     *
     * @return the service's health
     */
    public Health health() {
        return service.health();
    }

    /** Returns the Seaport registration id. */
    @Override
    public String getInstanceId() {
        return service.id();
    }

    @Override
    public String getServiceId() {
        return serviceId;
    }

    @Override
    public String getHost() {
        return service.host();
    }

    @Override
    public int getPort() {
        return service.port();
    }

    @Override
    public boolean isSecure() {
        return "true".equalsIgnoreCase(service.metadata().get("secure"));
    }

    @Override
    public URI getUri() {
        return ServiceInstance.createUri(this);
    }

    @Override
    public Map<String, String> getMetadata() {
        return service.metadata();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SeaportServiceInstance that
                && serviceId.equals(that.serviceId) && service.equals(that.service);
    }

    @Override
    public int hashCode() {
        return Objects.hash(serviceId, service);
    }

    @Override
    public String toString() {
        return serviceId + " -> " + service.role() + "@" + service.version() + " at " + service.address();
    }
}
