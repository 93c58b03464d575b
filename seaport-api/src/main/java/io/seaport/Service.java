package io.seaport;

import io.seaport.internal.ServiceIds;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A published service: a role at a version, reachable at {@code host:port}.
 *
 * @param id unique id of this registration, stable for its lifetime; ids sort in registration order
 *     per member
 * @param role the role's name, without version ({@code http server})
 * @param version the role's semver version ({@code 1.2.3})
 * @param host the host peers should connect to (a name, an IPv4 or an IPv6 literal)
 * @param port the port, 1..65535
 * @param metadata free-form metadata, never null; an immutable copy sorted by key
 * @param member the name of the member that owns the registration
 * @param environment the environment it belongs to
 * @param health its health as its owner last reported it; only {@link Health#PASSING} services
 *     are returned by queries
 * @param site the site (data centre) of the member that owns it; {@value Seaport#DEFAULT_SITE}
 *     when sites are not configured
 */
public record Service(
        String id,
        String role,
        String version,
        String host,
        int port,
        Map<String, String> metadata,
        String member,
        String environment,
        Health health,
        String site) {

    /**
     * Checks every component and takes an immutable, key-sorted copy of the metadata.
     *
     * @param id unique id of this registration, stable for its lifetime; ids sort in registration
     *        order per member
     * @param role the role's name, without version ({@code http server})
     * @param version the role's semver version ({@code 1.2.3})
     * @param host the host peers should connect to (a name, an IPv4 or an IPv6 literal)
     * @param port the port, 1..65535
     * @param metadata free-form metadata, never null; an immutable copy sorted by key
     * @param member the name of the member that owns the registration
     * @param environment the environment it belongs to
     * @param health whether it is passing its health check, failing, or draining
     * @param site the site of the member that owns it
     */
    public Service {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(member, "member");
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(site, "site");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be in 1..65535, was " + port);
        }
        metadata = metadata == null || metadata.isEmpty()
                ? Map.of()
                : Collections.unmodifiableMap(new TreeMap<>(metadata));
    }

    /**
     * Creates a service of the {@value Seaport#DEFAULT_SITE} site: the components of a member
     * whose cluster is not bridged to other sites.
     *
     * @param id unique id of this registration
     * @param role the role's name, without version
     * @param version the role's semver version
     * @param host the host peers should connect to
     * @param port the port, 1..65535
     * @param metadata free-form metadata; an immutable copy sorted by key
     * @param member the name of the member that owns the registration
     * @param environment the environment it belongs to
     * @param health whether it is passing its health check, failing, or draining
     */
    public Service(String id, String role, String version, String host, int port, Map<String, String> metadata,
                   String member, String environment, Health health) {
        this(id, role, version, host, port, metadata, member, environment, health, Seaport.DEFAULT_SITE);
    }

    /**
     * Returns {@code host:port}, with an IPv6 host in brackets ({@code [::1]:8080}).
     *
     * @return the address to connect to
     */
    public String address() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }

    /**
     * Returns this service with another health.
     *
     * @param health the new health
     * @return a copy with {@code health}, or this service if it has it already
     */
    public Service withHealth(Health health) {
        return health == this.health ? this
                : new Service(id, role, version, host, port, metadata, member, environment, health, site);
    }

    /**
     * Returns {@code role@version}.
     *
     * @return the full role, for display
     */
    public String roleAtVersion() {
        return role + "@" + version;
    }

    /**
     * Returns when this registration was made, read from its id (Seaport's ids begin with the
     * millisecond they were minted at, as ULIDs do). Members' clocks are not synchronised: an
     * age computed from another host's registration is only as right as the two clocks.
     *
     * @return the registration time, or empty if the id is not one Seaport minted
     */
    public Optional<Instant> registered() {
        return ServiceIds.timestamp(id);
    }
}
