package io.seaport.jgroups.internal;

import io.seaport.Health;
import io.seaport.Service;
import io.seaport.Role;
import io.seaport.RoleRange;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The published services, indexed by environment and role name for queries.
 *
 * <p>Design: one writer (the event thread) and any number of lock-free readers. Each
 * (environment, role) holds a {@link SortedItems}, a persistent tree in {@link #order}: this
 * member's site first, then {@link #ORDER}. A change
 * copies one root-to-leaf path, so its cost does not grow with the role's size (a sorted array
 * copied per change made 50,000 services under one role register at ~880/s). The writer builds new
 * trees as changes come; {@link #publish()} hands readers the tree of every role touched since the
 * last publish, so a reader sees, per role, either the old tree or the new one, never a half-applied
 * change. A role that gets more than {@link #REBUILD_AFTER} changes before one publish (a joiner
 * applying a snapshot, a large batch) stops updating its tree change by change and has it rebuilt
 * once, sorted and built bottom-up, when published. A bare-name query returns an immutable view of the published tree (no copy); a range
 * query scans it once per published version of the role, evaluating semver once per run of one
 * version, and keeps the answer for the next caller (the published tree never changes).
 *
 * <p>Thread-safety: {@link #put}, {@link #remove} and {@link #publish} on the one writer thread;
 * {@link #query}, {@link #services} and {@link #all} from any thread, without locks.
 *
 * <p>Health: the tree holds every published service, whatever its health ({@link #services}
 * lists them all); {@link #query} answers only {@link Health#PASSING} ones. Each role counts its
 * services that are not passing, so while all pass (the usual case) a query is what it was.
 */
final class ServiceIndex {
    /**
     * Highest version first, then oldest registration (smallest ULID) first; the member breaks the
     * tie of two owners using the same id, so the index never mistakes one's entry for the other's
     * (which of the two is shown is the replica's choice).
     */
    static final Comparator<Item> ORDER = (a, b) -> {
        int byVersion = b.role().compareVersionTo(a.role());
        if (byVersion != 0) {
            return byVersion;
        }
        int byId = a.service().id().compareTo(b.service().id());
        return byId != 0 ? byId : a.service().member().compareTo(b.service().member());
    };

    /**
     * Returns the order of one member's index: the services of {@code localSite} first (a member
     * prefers its own data centre), then {@link #ORDER}.
     */
    static Comparator<Item> order(String localSite) {
        return (a, b) -> {
            boolean aHere = a.service().site().equals(localSite);
            boolean bHere = b.service().site().equals(localSite);
            if (aHere != bHere) {
                return aHere ? -1 : 1;
            }
            return ORDER.compare(a, b);
        };
    }

    /** A published service with its parsed role. */
    record Item(Service service, Role role) {
    }

    /** An owner's id: ids are minted by their owner, so only the pair is unique. */
    private record Id(String member, String id) {
        static Id of(Service service) {
            return new Id(service.member(), service.id());
        }
    }

    /**
     * Changes to one role between two publishes after which the tree is no longer kept up to date
     * change by change but rebuilt from the role's items when published (a joiner applying a
     * snapshot, a large batch): sorting and building bottom-up costs less than as many path copies.
     */
    static final int REBUILD_AFTER = 64;

    /**
     * The writer's state of one role: its items by id, and its current (maybe unpublished) tree,
     * which is null while it is to be rebuilt at the next publish. Items are kept in the order they
     * came: an owner's snapshot lists its entries in registration order, which is nearly the
     * index's order within a version (ids are time-ordered), so a rebuild's sort has little to do.
     */
    private static final class Source {
        final String environment;
        final String role;
        /** One item per id: ids are unique per member, and two members' ids clash only if one forges. */
        final Map<String, Item> byId = new LinkedHashMap<>();
        /** The items whose id another member's item in {@link #byId} has; made when first needed. */
        Map<Id, Item> clashes;
        SortedItems<Item> items;
        int notPassing;
        int changes; // since the last publish
        boolean dirty; // listed in ServiceIndex.dirty

        Source(String environment, String role, SortedItems<Item> empty) {
            this.environment = environment;
            this.role = role;
            items = empty;
        }

        boolean isEmpty() {
            return byId.isEmpty() && (clashes == null || clashes.isEmpty());
        }

        /** Adds or replaces the item of {@code item}'s member and id; returns the one replaced, if any. */
        Item put(Item item) {
            String id = item.service().id();
            Item held = byId.get(id);
            if (held == null || held.service().member().equals(item.service().member())) {
                Item clashing = held == null && clashes != null ? clashes.remove(Id.of(item.service())) : null;
                byId.put(id, item);
                return held != null ? held : clashing;
            }
            if (clashes == null) {
                clashes = new HashMap<>();
            }
            return clashes.put(Id.of(item.service()), item);
        }

        /** Removes the item of {@code service}'s member and id; returns it, or null if there is none. */
        Item remove(Service service) {
            Item held = byId.get(service.id());
            if (held == null || !held.service().member().equals(service.member())) {
                return clashes == null ? null : clashes.remove(Id.of(service));
            }
            byId.remove(service.id());
            if (clashes != null && !clashes.isEmpty()) { // another member's item with this id takes the place
                for (Iterator<Map.Entry<Id, Item>> it = clashes.entrySet().iterator(); it.hasNext(); ) {
                    Map.Entry<Id, Item> clash = it.next();
                    if (clash.getKey().id().equals(service.id())) {
                        it.remove();
                        byId.put(service.id(), clash.getValue());
                        break;
                    }
                }
            }
            return held;
        }

        List<Item> all() {
            List<Item> all = new ArrayList<>(byId.values());
            if (clashes != null) {
                all.addAll(clashes.values());
            }
            return all;
        }

        /** Counts one change; drops the tree once there were too many to keep it up change by change. */
        boolean keepsTree() {
            if (items != null && ++changes > REBUILD_AFTER) {
                items = null;
            }
            return items != null;
        }
    }

    private static boolean passing(Item item) {
        return item.service().health() == Health.PASSING;
    }

    private final ConcurrentHashMap<String, ConcurrentHashMap<String, Services>> published = new ConcurrentHashMap<>();
    /**
     * The writer's roles by environment and name: two lookups of strings whose hashes are cached,
     * so a change builds no key.
     */
    private final Map<String, Map<String, Source>> source = new HashMap<>();
    /** The roles changed since the last publish. */
    private final List<Source> dirty = new ArrayList<>();
    private final Comparator<Item> order;
    private final SortedItems<Item> empty;

    /** An index of a member whose cluster is not bridged to other sites. */
    ServiceIndex() {
        this(io.seaport.Seaport.DEFAULT_SITE);
    }

    /** An index of a member of {@code localSite}: its services come first. */
    ServiceIndex(String localSite) {
        this.order = order(localSite);
        this.empty = SortedItems.empty(order);
    }

    /** Adds or replaces a service; writer thread only. */
    void put(Item item) {
        String environment = item.service().environment();
        Map<String, Source> roles = source.computeIfAbsent(environment, e -> new HashMap<>());
        Source role = roles.get(item.service().role());
        if (role == null) {
            role = new Source(environment, item.service().role(), empty);
            roles.put(role.role, role);
        }
        Item old = role.put(item);
        boolean keepsTree = role.keepsTree();
        if (old != null) {
            if (keepsTree) {
                role.items = role.items.without(old);
            }
            role.notPassing -= passing(old) ? 0 : 1;
        }
        if (keepsTree) {
            role.items = role.items.with(item);
        }
        role.notPassing += passing(item) ? 0 : 1;
        markDirty(role);
    }

    private void markDirty(Source role) {
        if (!role.dirty) {
            role.dirty = true;
            dirty.add(role);
        }
    }

    /** Removes a service; writer thread only. */
    void remove(Service service) {
        Map<String, Source> roles = source.get(service.environment());
        Source role = roles == null ? null : roles.get(service.role());
        Item old = role == null ? null : role.remove(service);
        if (old != null) {
            if (role.keepsTree()) {
                role.items = role.items.without(old);
            }
            role.notPassing -= passing(old) ? 0 : 1;
            markDirty(role);
        }
    }

    /** Makes every change since the last call visible to readers; writer thread only. */
    void publish() {
        for (Source role : dirty) {
            role.dirty = false;
            if (role.isEmpty()) {
                Map<String, Source> roles = source.get(role.environment);
                roles.remove(role.role);
                if (roles.isEmpty()) {
                    source.remove(role.environment);
                }
                ConcurrentHashMap<String, Services> shown = published.get(role.environment);
                if (shown != null) {
                    shown.remove(role.role);
                }
                continue;
            }
            if (role.items == null) {
                List<Item> sorted = role.all();
                sorted.sort(order);
                role.items = SortedItems.of(order, sorted);
            }
            role.changes = 0;
            published.computeIfAbsent(role.environment, e -> new ConcurrentHashMap<>())
                    .put(role.role, new Services(role.items, role.notPassing));
        }
        dirty.clear();
    }

    /**
     * Returns the {@link Health#PASSING} services of {@code environment} matching {@code range}, in
     * {@link #ORDER}; any thread.
     */
    List<Service> query(String environment, RoleRange range) {
        return query(environment, range, false);
    }

    /**
     * Returns the services of {@code environment} matching {@code range}, in {@link #ORDER}: only
     * the {@link Health#PASSING} ones unless {@code anyHealth}; any thread.
     */
    List<Service> query(String environment, RoleRange range, boolean anyHealth) {
        ConcurrentHashMap<String, Services> roles = published.get(environment);
        Services list = roles == null ? null : roles.get(range.name());
        if (list == null) {
            return List.of();
        }
        if (range.versionRange().isEmpty() && (anyHealth || list.notPassing == 0)) {
            return list;
        }
        return list.matching(range, anyHealth);
    }

    /** Returns every service of {@code environment}: by role name, then in {@link #ORDER}; any thread. */
    List<Service> services(String environment) {
        ConcurrentHashMap<String, Services> roles = published.get(environment);
        if (roles == null) {
            return List.of();
        }
        List<String> names = new ArrayList<>(roles.keySet());
        Collections.sort(names);
        List<Service> services = new ArrayList<>();
        for (String name : names) {
            Services list = roles.get(name);
            if (list != null) { // removed since the key set was read
                services.addAll(list);
            }
        }
        return Collections.unmodifiableList(services);
    }

    /** Returns every published service of every environment; for diagnostics. */
    List<Service> all() {
        List<Service> all = new ArrayList<>();
        for (ConcurrentHashMap<String, Services> roles : published.values()) {
            for (Services list : roles.values()) {
                all.addAll(list);
            }
        }
        return all;
    }

    /**
     * The published services of one role as an unmodifiable list: a view of an immutable tree, so
     * handing it out needs no copy and it never changes after. {@code get(i)} costs O(log n).
     */
    private static final class Services extends AbstractList<Service> {
        private static final int MAX_CACHED_RANGES = 64;
        /** At most this many services referenced by one role's cached answers (1 MiB of references). */
        private static final int MAX_CACHED_SERVICES = 1 << 18;
        final SortedItems<Item> items;
        /** How many of the items are not {@link Health#PASSING}. */
        final int notPassing;
        /** Answers already given (passing services only): this list never changes, so neither do they; a few ranges are asked again and again. */
        private final ConcurrentHashMap<RoleRange, List<Service>> answers = new ConcurrentHashMap<>();
        /** Services referenced by {@link #answers}; racing readers may overshoot the bound by a few answers. */
        private final AtomicInteger cachedServices = new AtomicInteger();

        Services(SortedItems<Item> items, int notPassing) {
            this.items = items;
            this.notPassing = notPassing;
        }

        /**
         * Returns the services whose version is in {@code range}, in order: only the passing ones
         * unless {@code anyHealth}. Passing answers are cached per range.
         */
        List<Service> matching(RoleRange range, boolean anyHealth) {
            boolean all = anyHealth && notPassing > 0; // else the passing answer is every match
            List<Service> cached = all ? null : answers.get(range);
            if (cached != null) {
                return cached;
            }
            List<Service> matches = new ArrayList<>();
            Role last = null;
            boolean lastMatched = false;
            for (Item item : items) {
                // The replica takes roles from a cache (Roles), so a run of one version shares one Role:
                // asking semver again only when the instance changes reads no field of the service.
                Role role = item.role();
                if (role != last) {
                    lastMatched = range.matchesVersion(role);
                    last = role;
                }
                if (lastMatched && (all || notPassing == 0 || passing(item))) {
                    matches.add(item.service());
                }
            }
            List<Service> answer = Collections.unmodifiableList(matches);
            if (!all && answers.size() < MAX_CACHED_RANGES
                    && cachedServices.get() + matches.size() <= MAX_CACHED_SERVICES
                    && answers.putIfAbsent(range, answer) == null) {
                cachedServices.addAndGet(matches.size());
            }
            return answer;
        }

        @Override
        public Service get(int index) {
            return items.get(index).service();
        }

        @Override
        public int size() {
            return items.size();
        }

        @Override
        public Iterator<Service> iterator() {
            Iterator<Item> walk = items.iterator();
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return walk.hasNext();
                }

                @Override
                public Service next() {
                    return walk.next().service();
                }
            };
        }

        @Override
        public Object[] toArray() {
            Object[] array = new Object[items.size()];
            int[] at = {0};
            items.forEach(item -> array[at[0]++] = item.service());
            return array;
        }
    }
}
