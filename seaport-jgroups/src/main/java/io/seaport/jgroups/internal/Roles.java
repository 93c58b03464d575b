package io.seaport.jgroups.internal;

import io.seaport.Role;
import io.seaport.RoleRange;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Caches of parsed roles and ranges: semver parsing costs microseconds, and the replica and every
 * query would otherwise parse the same few texts again and again. Thread-safe. The caches are
 * bounded by being emptied when full, which is crude but keeps memory flat under hostile input.
 */
final class Roles {
    private static final int MAX_CACHED = 10_000;
    private static final ConcurrentMap<String, Role> ROLES = new ConcurrentHashMap<>();
    private static final ConcurrentMap<String, RoleRange> RANGES = new ConcurrentHashMap<>();
    private static final ConcurrentMap<NameVersion, Role> BY_PARTS = new ConcurrentHashMap<>();

    private Roles() {
    }

    /** Returns {@code text} parsed as a role; throws IllegalArgumentException as {@link Role#parse}. */
    static Role role(String text) {
        Role cached = ROLES.get(text);
        if (cached != null) {
            return cached;
        }
        Role parsed = Role.parse(text);
        if (ROLES.size() >= MAX_CACHED) {
            ROLES.clear();
        }
        ROLES.put(text, parsed);
        return parsed;
    }

    /**
     * Returns the role {@code name@version}. Keyed by the two strings, whose hashes they cache:
     * joining them would build and hash a new string on every change the replica applies.
     */
    static Role role(String name, String version) {
        NameVersion key = new NameVersion(name, version);
        Role cached = BY_PARTS.get(key);
        if (cached != null) {
            return cached;
        }
        Role parsed = role(name + "@" + version);
        if (BY_PARTS.size() >= MAX_CACHED) {
            BY_PARTS.clear();
        }
        BY_PARTS.put(key, parsed);
        return parsed;
    }

    private record NameVersion(String name, String version) {
    }

    /** Returns {@code text} parsed as a range; throws IllegalArgumentException as {@link RoleRange#parse}. */
    static RoleRange range(String text) {
        RoleRange cached = RANGES.get(text);
        if (cached != null) {
            return cached;
        }
        RoleRange parsed = RoleRange.parse(text);
        if (RANGES.size() >= MAX_CACHED) {
            RANGES.clear();
        }
        RANGES.put(text, parsed);
        return parsed;
    }
}
