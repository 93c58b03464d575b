package io.seaport.jgroups.internal;

import io.seaport.Health;
import io.seaport.Service;
import io.seaport.Role;
import io.seaport.RoleRange;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The published services, indexed by environment and role name for queries.
 *
 * <p>Design: one writer (the event thread) and any number of lock-free readers. The writer keeps
 * mutable per-(environment, role) maps of its own; {@link #publish()} replaces the sorted,
 * immutable array of every key touched since the last publish. A reader sees, per role, either
 * the old array or the new one, never a half-applied change. Range results are cached per array
 * (so per version of the role's list), which makes a repeated range query a scan of flags.
 */
final class ServiceIndex {
    /** Highest version first, then oldest registration (smallest ULID) first. */
    static final Comparator<Item> ORDER = (a, b) -> {
        int byVersion = b.role().compareVersionTo(a.role());
        return byVersion != 0 ? byVersion : a.service().id().compareTo(b.service().id());
    };
    private static final Item[] NONE = new Item[0];

    /** A published service with its parsed role. */
    record Item(Service service, Role role) {
    }

    private record Key(String environment, String role) {
    }

    /**
     * The sorted services of one role, with the results of ranges already evaluated against them:
     * semver matching costs far more than reading a flag, and a few ranges are asked again and again.
     */
    private static final class RoleList {
        private static final int MAX_CACHED_RANGES = 64;
        final Item[] items;
        final ConcurrentHashMap<RoleRange, boolean[]> matches = new ConcurrentHashMap<>();

        RoleList(Item[] items) {
            this.items = items;
        }

        boolean[] matches(RoleRange range) {
            boolean[] cached = matches.get(range);
            if (cached != null) {
                return cached;
            }
            boolean[] computed = new boolean[items.length];
            for (int i = 0; i < items.length; i++) {
                computed[i] = range.matchesVersion(items[i].role());
            }
            if (matches.size() < MAX_CACHED_RANGES) {
                matches.put(range, computed);
            }
            return computed;
        }
    }

    /**
     * The writer's copy of one role's services, kept in {@link #ORDER} as they change: publishing
     * copies the set instead of sorting it, so a change costs log n comparisons of versions and one
     * array copy rather than a full sort (bulk registration under one role was quadratic in sorts).
     */
    private static final class Source {
        final Map<String, Item> byId = new HashMap<>();
        final TreeSet<Item> sorted = new TreeSet<>(ORDER);
    }

    private final ConcurrentHashMap<String, ConcurrentHashMap<String, RoleList>> published = new ConcurrentHashMap<>();
    private final Map<Key, Source> source = new HashMap<>();
    private final Set<Key> dirty = new HashSet<>();

    /** Adds or replaces a service; writer thread only. */
    void put(Item item) {
        Key key = new Key(item.service().environment(), item.service().role());
        Source role = source.computeIfAbsent(key, k -> new Source());
        Item old = role.byId.put(item.service().id(), item);
        if (old != null) {
            role.sorted.remove(old);
        }
        role.sorted.add(item);
        dirty.add(key);
    }

    /** Removes a service; writer thread only. */
    void remove(Service service) {
        Key key = new Key(service.environment(), service.role());
        Source role = source.get(key);
        Item old = role == null ? null : role.byId.remove(service.id());
        if (old != null) {
            role.sorted.remove(old);
            dirty.add(key);
        }
    }

    /** Makes every change since the last call visible to readers; writer thread only. */
    void publish() {
        for (Key key : dirty) {
            Source role = source.get(key);
            if (role == null || role.byId.isEmpty()) {
                source.remove(key);
                ConcurrentHashMap<String, RoleList> roles = published.get(key.environment());
                if (roles != null) {
                    roles.remove(key.role());
                }
                continue;
            }
            Item[] sorted = role.sorted.toArray(NONE);
            published.computeIfAbsent(key.environment(), e -> new ConcurrentHashMap<>())
                    .put(key.role(), new RoleList(sorted));
        }
        dirty.clear();
    }

    /** Returns the {@link Health#PASSING} services of {@code environment} matching {@code range}, in {@link #ORDER}; any thread. */
    List<Service> query(String environment, RoleRange range) {
        return query(environment, range, false);
    }

    /**
     * Returns the services of {@code environment} matching {@code range}, in {@link #ORDER}: only
     * the {@link Health#PASSING} ones unless {@code anyHealth}; any thread.
     */
    List<Service> query(String environment, RoleRange range, boolean anyHealth) {
        ConcurrentHashMap<String, RoleList> roles = published.get(environment);
        RoleList list = roles == null ? null : roles.get(range.name());
        if (list == null) {
            return List.of();
        }
        Item[] items = list.items;
        List<Service> matches = new ArrayList<>(items.length);
        if (range.versionRange().isEmpty()) {
            for (Item item : items) {
                if (anyHealth || item.service().health() == Health.PASSING) {
                    matches.add(item.service());
                }
            }
        } else {
            boolean[] matching = list.matches(range);
            for (int i = 0; i < items.length; i++) {
                if (matching[i] && (anyHealth || items[i].service().health() == Health.PASSING)) {
                    matches.add(items[i].service());
                }
            }
        }
        return Collections.unmodifiableList(matches);
    }

    /** Returns every service of {@code environment}: by role name, then in {@link #ORDER}; any thread. */
    List<Service> services(String environment) {
        ConcurrentHashMap<String, RoleList> roles = published.get(environment);
        if (roles == null) {
            return List.of();
        }
        List<String> names = new ArrayList<>(roles.keySet());
        Collections.sort(names);
        List<Service> services = new ArrayList<>();
        for (String name : names) {
            RoleList list = roles.get(name);
            if (list != null) { // removed since the key set was read
                for (Item item : list.items) {
                    services.add(item.service());
                }
            }
        }
        return Collections.unmodifiableList(services);
    }

    /** Returns every published service of every environment; for diagnostics. */
    List<Service> all() {
        List<Service> all = new ArrayList<>();
        for (ConcurrentHashMap<String, RoleList> roles : published.values()) {
            for (RoleList list : roles.values()) {
                for (Item item : list.items) {
                    all.add(item.service());
                }
            }
        }
        return all;
    }
}
