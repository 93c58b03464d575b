package io.seaport;

import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A snapshot of one member's view of its cluster, from {@link Seaport#statistics()}: what an
 * operator graphs. Counters count since the member joined and never go down.
 *
 * @param members how many members the current view has, this one included
 * @param services live services per environment and role name, every environment, sorted by
 *     environment then role
 * @param registered {@link ServiceEvent.Registered} events this member applied (services that
 *     appeared in its replica, those present when it joined included), every environment
 * @param freed {@link ServiceEvent.Freed} events this member applied, by reason; every reason is
 *     present, with zero if none
 * @param pendingGets {@link Seaport#get(String)} futures still waiting for a match
 * @param views cluster views this member installed
 * @param merges of those views, the merges after a partition
 * @param snapshotsApplied snapshots of a member's registrations this member applied (on joins
 *     and after merges)
 */
public record SeaportStatistics(
        int members,
        List<ServiceCount> services,
        long registered,
        Map<ServiceEvent.Reason, Long> freed,
        int pendingGets,
        long views,
        long merges,
        long snapshotsApplied) {

    /**
     * Checks the counts and copies the collections; {@code freed} gains a zero for each missing
     * reason.
     *
     * @param members how many members the current view has, this one included
     * @param services live services per environment and role name
     * @param registered {@link ServiceEvent.Registered} events this member applied
     * @param freed {@link ServiceEvent.Freed} events this member applied, by reason
     * @param pendingGets {@link Seaport#get(String)} futures still waiting for a match
     * @param views cluster views this member installed
     * @param merges of those views, the merges after a partition
     * @param snapshotsApplied snapshots of a member's registrations this member applied
     * @throws IllegalArgumentException if a count is negative
     */
    public SeaportStatistics {
        checkNotNegative("members", members);
        checkNotNegative("registered", registered);
        checkNotNegative("pendingGets", pendingGets);
        checkNotNegative("views", views);
        checkNotNegative("merges", merges);
        checkNotNegative("snapshotsApplied", snapshotsApplied);
        services = services.stream()
                .sorted(Comparator.comparing(ServiceCount::environment).thenComparing(ServiceCount::role))
                .toList();
        EnumMap<ServiceEvent.Reason, Long> all = new EnumMap<>(ServiceEvent.Reason.class);
        for (ServiceEvent.Reason reason : ServiceEvent.Reason.values()) {
            long count = freed.getOrDefault(reason, 0L);
            checkNotNegative("freed " + reason, count);
            all.put(reason, count);
        }
        freed = Map.copyOf(all);
    }

    /**
     * Returns how many live services of {@code role} (a role name, no version) there are in
     * {@code environment}.
     *
     * @param environment an environment
     * @param role a role name
     * @return the count, 0 if none
     */
    public int services(String environment, String role) {
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(role, "role");
        return services.stream().filter(c -> c.environment().equals(environment) && c.role().equals(role))
                .mapToInt(ServiceCount::count).sum();
    }

    private static void checkNotNegative(String what, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(what + " must not be negative, was " + value);
        }
    }

    /**
     * How many live services of one role name (all its versions) one environment has.
     *
     * @param environment the environment
     * @param role the role's name, without version
     * @param count how many services, at least 1
     */
    public record ServiceCount(String environment, String role, int count) {
        /**
         * Checks every component.
         *
         * @param environment the environment
         * @param role the role's name, without version
         * @param count how many services, at least 1
         * @throws IllegalArgumentException if {@code count} is less than 1
         */
        public ServiceCount {
            Objects.requireNonNull(environment, "environment");
            Objects.requireNonNull(role, "role");
            if (count < 1) {
                throw new IllegalArgumentException("count must be at least 1, was " + count);
            }
        }
    }
}
