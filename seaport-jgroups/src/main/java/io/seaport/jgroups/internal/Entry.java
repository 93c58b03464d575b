package io.seaport.jgroups.internal;

import io.seaport.Health;
import io.seaport.Service;
import java.util.Map;
import java.util.Objects;

/**
 * One registration as its owner publishes it: a port held on the owner's host for a role, either
 * only reserved or also published (visible to queries). Immutable.
 *
 * @param id the registration's id, a ULID from {@link io.seaport.internal.ServiceIds}
 * @param environment the environment it belongs to
 * @param role the role's name
 * @param version the role's normalized version
 * @param host the owner's advertised host
 * @param port the port, 1..65535
 * @param metadata the metadata, never null
 * @param published whether queries see it
 * @param allocated whether the port came from the host's allocator (rather than {@code register})
 * @param health the service's health as its owner reports it
 */
record Entry(String id, String environment, String role, String version, String host, int port,
             Map<String, String> metadata, boolean published, boolean allocated, Health health) {

    /** An entry that is {@link Health#PASSING}. */
    Entry(String id, String environment, String role, String version, String host, int port,
          Map<String, String> metadata, boolean published, boolean allocated) {
        this(id, environment, role, version, host, port, metadata, published, allocated, Health.PASSING);
    }

    Entry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(health, "health");
        metadata = metadata == null || metadata.isEmpty() ? Map.of() : Map.copyOf(metadata);
    }

    /** Returns this entry, published. */
    Entry publish() {
        return published ? this : new Entry(id, environment, role, version, host, port, metadata, true, allocated,
                health);
    }

    /** Returns this entry with {@code health}. */
    Entry withHealth(Health health) {
        return health == this.health ? this
                : new Entry(id, environment, role, version, host, port, metadata, published, allocated, health);
    }

    /** Returns the service this entry publishes, owned by {@code member}. */
    Service toService(String member) {
        return new Service(id, role, version, host, port, metadata, member, environment, health);
    }

    /** Returns the service this entry publishes, owned by {@code member} of {@code site}. */
    Service toService(String member, String site) {
        return new Service(id, role, version, host, port, metadata, member, environment, health, site);
    }
}
