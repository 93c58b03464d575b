package io.seaport.spring.boot;

import io.seaport.Health;
import io.seaport.HealthCheck;
import io.seaport.Role;
import io.seaport.Service;
import java.net.URI;
import java.util.Map;
import java.util.Objects;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.serviceregistry.Registration;

/**
 * This application as Spring Cloud's service registry sees it: a role ({@code name@version}), the
 * port it serves on, its metadata and its health check, if any; once registered, the Seaport
 * registration that publishes it.
 *
 * <p>Thread-safe: the port and the Seaport registration are set by the registry and read by any
 * thread.
 */
public final class SeaportRegistration implements Registration {
    private final String name;
    private final String version;
    private final Map<String, String> metadata;
    private volatile int port;
    private volatile HealthCheck check;
    private volatile io.seaport.Registration registered;

    /**
     * Returns the registration of {@code name@version}, not yet published.
     *
     * @param name the role's name, such as {@code spring.application.name}
     * @param version the role's version ({@code 1.2.0}, loose versions are coerced)
     * @param port the port, or 0 until the web server's port is known
     * @param metadata published with the service
     * @throws IllegalArgumentException quoting the role if {@code name@version} is not a valid role
     */
    public SeaportRegistration(String name, String version, int port, Map<String, String> metadata) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Role.parse(name + "@" + version);
        this.name = name.strip();
        this.version = version.strip();
        this.port = port;
        this.metadata = Map.copyOf(metadata);
    }

    /**
     * Returns the role this application registers, {@code name@version}.
     *
     * @return the role this application registers, {@code name@version}
     */
    public String role() {
        return name + "@" + version;
    }

    /**
     * Returns the published service, or {@code null} while not registered.
     *
     * @return the published service, or {@code null} while not registered
     */
    public Service service() {
        io.seaport.Registration current = registered;
        return current == null ? null : current.service();
    }

    /**
     * Returns whether the service is published.
     *
     * @return whether the service is published
     */
    public boolean isRegistered() {
        return registered != null;
    }

    /**
     * Sets the port to register, once the web server has one.
     *
     * @param port 1..65535
     * @throws IllegalArgumentException quoting the port if it is out of range
     */
    public void setPort(int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535, was " + port);
        }
        this.port = port;
    }

    /**
     * Sets the health check attached when the service is registered; {@code null} for none.
     * Takes effect at the next registration.
     *
     * @param check the check, or {@code null}
     */
    public void setCheck(HealthCheck check) {
        this.check = check;
    }

    /**
     * Returns the health check attached when the service is registered, or {@code null} for none.
     *
     * @return the check, or {@code null}
     */
    public HealthCheck getCheck() {
        return check;
    }

    /**
     * Returns the service's health as this member last set or checked it, or {@code null} while
     * not registered.
     *
     * @return the health, or {@code null}
     */
    public Health health() {
        io.seaport.Registration current = registered;
        return current == null ? null : current.health();
    }

    io.seaport.Registration published() {
        return registered;
    }

    io.seaport.Registration attach(io.seaport.Registration registration) {
        io.seaport.Registration previous = registered;
        registered = registration;
        return previous;
    }

    io.seaport.Registration detach() {
        io.seaport.Registration previous = registered;
        registered = null;
        return previous;
    }

    /** Returns the Seaport registration id once registered, else {@code null}. */
    @Override
    public String getInstanceId() {
        Service service = service();
        return service == null ? null : service.id();
    }

    /** Returns the role's name. */
    @Override
    public String getServiceId() {
        return name;
    }

    /** Returns the advertised host once registered, else {@code null}. */
    @Override
    public String getHost() {
        Service service = service();
        return service == null ? null : service.host();
    }

    @Override
    public int getPort() {
        return port;
    }

    @Override
    public boolean isSecure() {
        return "true".equalsIgnoreCase(metadata.get("secure"));
    }

    @Override
    public URI getUri() {
        return getHost() == null ? null : ServiceInstance.createUri(this);
    }

    @Override
    public Map<String, String> getMetadata() {
        return metadata;
    }

    @Override
    public String toString() {
        return role() + " on port " + port + (isRegistered() ? " (registered)" : "");
    }
}
