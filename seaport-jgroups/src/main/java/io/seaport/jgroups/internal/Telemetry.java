package io.seaport.jgroups.internal;

import io.seaport.SeaportStatistics;
import io.seaport.Service;
import io.seaport.ServiceEvent;
import io.seaport.jgroups.internal.jfr.SeaportEvents;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;
import org.jgroups.MergeView;
import org.jgroups.View;

/**
 * One member's counters for {@link io.seaport.Seaport#statistics()} and its JFR events
 * ({@link SeaportEvents}): fed by the member at each view, snapshot and replica change, read at
 * any time. Thread-safe: counters are {@link LongAdder}s; the feeding methods run on the event
 * thread.
 */
final class Telemetry {
    private final String cluster;
    private final String member;
    private final LongAdder registered = new LongAdder();
    private final Map<ServiceEvent.Reason, LongAdder> freed = new EnumMap<>(ServiceEvent.Reason.class);
    private final LongAdder views = new LongAdder();
    private final LongAdder merges = new LongAdder();
    private final LongAdder snapshots = new LongAdder();

    Telemetry(String cluster, String member) {
        this.cluster = cluster;
        this.member = member;
        for (ServiceEvent.Reason reason : ServiceEvent.Reason.values()) {
            freed.put(reason, new LongAdder());
        }
    }

    /** Counts a view installed by this member; records it, and a merge, to JFR. */
    void viewApplied(View view) {
        views.increment();
        List<Integer> subgroups = new ArrayList<>();
        if (view instanceof MergeView merge) {
            merges.increment();
            merge.getSubgroups().forEach(group -> subgroups.add(group.size()));
        }
        SeaportEvents.viewChanged(cluster, member, String.valueOf(view.getViewId()), view.size(), subgroups);
    }

    /** Returns a token for {@link #snapshotApplied}, taken just before the snapshot is applied. */
    Object snapshotStarting() {
        return SeaportEvents.snapshotStarted();
    }

    /** Counts a snapshot applied and records it to JFR; returns {@code changes}, for chaining. */
    List<ServiceEvent> snapshotApplied(Object started, String owner, int entries, List<ServiceEvent> changes) {
        snapshots.increment();
        SeaportEvents.snapshotApplied(started, cluster, member, owner, entries, changes.size());
        return changes;
    }

    /** Counts the registrations and frees of one replica change; event thread. */
    void changed(List<ServiceEvent> changes) {
        for (ServiceEvent event : changes) {
            if (event instanceof ServiceEvent.Freed f) {
                freed.get(f.reason()).increment();
            } else {
                registered.increment();
            }
        }
    }

    /** Returns the statistics from these counters and the member's current state. */
    SeaportStatistics snapshot(View view, List<Service> services, int pendingGets) {
        Map<List<String>, Integer> counts = new TreeMap<>((a, b) -> a.get(0).equals(b.get(0))
                ? a.get(1).compareTo(b.get(1)) : a.get(0).compareTo(b.get(0)));
        for (Service service : services) {
            counts.merge(List.of(service.environment(), service.role()), 1, Integer::sum);
        }
        List<SeaportStatistics.ServiceCount> perRole = new ArrayList<>(counts.size());
        counts.forEach((key, count) -> perRole.add(new SeaportStatistics.ServiceCount(key.get(0), key.get(1), count)));
        Map<ServiceEvent.Reason, Long> freedCounts = new EnumMap<>(ServiceEvent.Reason.class);
        freed.forEach((reason, count) -> freedCounts.put(reason, count.sum()));
        return new SeaportStatistics(view == null ? 0 : view.size(), perRole, registered.sum(), freedCounts,
                pendingGets, views.sum(), merges.sum(), snapshots.sum());
    }
}
