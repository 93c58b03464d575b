package io.seaport.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.seaport.Seaport;
import io.seaport.SeaportStatistics;
import io.seaport.ServiceEvent;
import io.seaport.Subscription;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.ToDoubleFunction;

/**
 * Binds one Seaport member's {@link Seaport#statistics() statistics} to a {@link MeterRegistry}.
 * Every meter carries the tags {@code cluster} and {@code member}, plus those given:
 *
 * <ul>
 *   <li>{@code seaport.members} (gauge): members in the view;
 *   <li>{@code seaport.services} (gauge, tags {@code environment}, {@code role}): live services of a
 *       role name, all its versions;
 *   <li>{@code seaport.services.registered} (counter): services that appeared in the replica;
 *   <li>{@code seaport.services.freed} (counter, tag {@code reason}: {@code freed} or
 *       {@code member_left}): services that went away;
 *   <li>{@code seaport.gets.pending} (gauge): {@code get()}s still waiting for a match;
 *   <li>{@code seaport.views}, {@code seaport.merges}, {@code seaport.snapshots.applied} (counters).
 * </ul>
 *
 * <p>Meters read the member when the registry asks, so they cost nothing between scrapes. A
 * {@code seaport.services} gauge appears for each environment and role seen at {@link #bindTo},
 * at each change in the member's own environment (the binder watches it) and at
 * {@link #refresh()}; one whose services are gone reads 0. Once the member is closed, gauges read
 * NaN and counters keep their last value. {@link #close()} stops the watch. Thread-safe.
 */
public final class SeaportMetrics implements MeterBinder, AutoCloseable {
    private final Seaport seaport;
    private final Tags tags;
    private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();
    private final Set<List<String>> servicesGauges = ConcurrentHashMap.newKeySet();
    private final List<Subscription> watches = new CopyOnWriteArrayList<>();
    private volatile SeaportStatistics last;

    /**
     * Creates a binder for {@code seaport}, tagged with its cluster and member name.
     *
     * @param seaport an open member
     * @throws IllegalStateException if it is closed
     */
    public SeaportMetrics(Seaport seaport) {
        this(seaport, Tags.empty());
    }

    /**
     * Creates a binder for {@code seaport}, tagged with its cluster, member name and {@code tags}.
     *
     * @param seaport an open member
     * @param tags more tags for every meter (such as the application's name)
     * @throws IllegalStateException if it is closed
     */
    public SeaportMetrics(Seaport seaport, Iterable<Tag> tags) {
        this.seaport = Objects.requireNonNull(seaport, "seaport");
        this.tags = Tags.of(Objects.requireNonNull(tags, "tags"))
                .and("cluster", seaport.cluster(), "member", seaport.member());
        this.last = seaport.statistics();
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        registries.add(registry);
        gauge(registry, "seaport.members", "members in this member's view of the cluster", Tags.empty(),
                SeaportStatistics::members);
        gauge(registry, "seaport.gets.pending", "get() calls still waiting for a match", Tags.empty(),
                SeaportStatistics::pendingGets);
        counter(registry, "seaport.services.registered", "services that appeared in this member's replica",
                Tags.empty(), SeaportStatistics::registered);
        for (ServiceEvent.Reason reason : ServiceEvent.Reason.values()) {
            counter(registry, "seaport.services.freed", "services that went away from this member's replica",
                    Tags.of("reason", reason.name().toLowerCase(Locale.ROOT)), s -> s.freed().get(reason));
        }
        counter(registry, "seaport.views", "cluster views this member installed", Tags.empty(), SeaportStatistics::views);
        counter(registry, "seaport.merges", "merges after a partition", Tags.empty(), SeaportStatistics::merges);
        counter(registry, "seaport.snapshots.applied", "snapshots of a member's registrations applied",
                Tags.empty(), SeaportStatistics::snapshotsApplied);
        for (List<String> key : servicesGauges) {
            servicesGauge(registry, key);
        }
        refresh();
        if (watches.isEmpty()) {
            watches.add(seaport.watchAll(event -> refresh()));
        }
    }

    /**
     * Adds a {@code seaport.services} gauge for each environment and role the member knows now and
     * has no gauge yet. Called by the binder on every change in the member's own environment; call
     * it to pick up new roles of other environments sooner. Does nothing once the member is closed.
     */
    public void refresh() {
        SeaportStatistics statistics = statistics();
        if (statistics == null) {
            return;
        }
        for (SeaportStatistics.ServiceCount count : statistics.services()) {
            List<String> key = List.of(count.environment(), count.role());
            if (servicesGauges.add(key)) {
                for (MeterRegistry registry : registries) {
                    servicesGauge(registry, key);
                }
            }
        }
    }

    /** Stops watching the member; the meters stay registered. */
    @Override
    public void close() {
        for (Subscription watch : watches) {
            watch.close();
        }
        watches.clear();
    }

    private void servicesGauge(MeterRegistry registry, List<String> key) {
        gauge(registry, "seaport.services", "live services of a role name, all versions",
                Tags.of("environment", key.get(0), "role", key.get(1)), s -> s.services(key.get(0), key.get(1)));
    }

    private void gauge(MeterRegistry registry, String name, String description, Tags extra,
                       ToDoubleFunction<SeaportStatistics> value) {
        Gauge.builder(name, this, metrics -> {
            SeaportStatistics statistics = metrics.statistics();
            return statistics == null ? Double.NaN : value.applyAsDouble(statistics);
        }).description(description).tags(tags.and(extra)).register(registry);
    }

    private void counter(MeterRegistry registry, String name, String description, Tags extra,
                         ToDoubleFunction<SeaportStatistics> value) {
        FunctionCounter.builder(name, this, metrics -> {
            SeaportStatistics statistics = metrics.statistics();
            return value.applyAsDouble(statistics == null ? metrics.last : statistics);
        }).description(description).tags(tags.and(extra)).register(registry);
    }

    /** Returns the member's statistics now, or null once it is closed (the last ones are kept). */
    private SeaportStatistics statistics() {
        try {
            SeaportStatistics statistics = seaport.statistics();
            last = statistics;
            return statistics;
        } catch (IllegalStateException closed) {
            return null;
        }
    }
}
