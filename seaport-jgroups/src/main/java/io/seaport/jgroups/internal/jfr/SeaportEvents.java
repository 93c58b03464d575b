package io.seaport.jgroups.internal.jfr;

import java.util.List;
import org.slf4j.helpers.MessageFormatter;

/**
 * Emits Seaport's JDK Flight Recorder events, all in category "Seaport": {@code
 * io.seaport.ViewChange}, {@code io.seaport.Merge}, {@code io.seaport.SnapshotApplied}, {@code
 * io.seaport.PortGranted} and {@code io.seaport.TlsRefused}. Each method costs a check of a
 * static flag when no recording asks for the event. Record with
 * {@code -XX:StartFlightRecording:filename=seaport.jfr} and read with {@code jfr print --categories
 * Seaport seaport.jfr}. Stateless and thread-safe.
 */
public final class SeaportEvents {
    private static final ViewChangeEvent VIEW_CHANGE = new ViewChangeEvent();
    private static final MergeEvent MERGE = new MergeEvent();
    private static final SnapshotAppliedEvent SNAPSHOT_APPLIED = new SnapshotAppliedEvent();
    private static final PortGrantedEvent PORT_GRANTED = new PortGrantedEvent();
    private static final TlsRefusedEvent TLS_REFUSED = new TlsRefusedEvent();

    private SeaportEvents() {
    }

    /**
     * Records a view change, and a merge when {@code subgroups} is not empty.
     *
     * @param cluster the cluster's name
     * @param member the member that installed the view
     * @param view the view's id
     * @param members how many members the view has
     * @param subgroups the merged subgroups' sizes; empty for an ordinary view
     */
    public static void viewChanged(String cluster, String member, String view, int members, List<Integer> subgroups) {
        if (VIEW_CHANGE.isEnabled()) {
            ViewChangeEvent event = new ViewChangeEvent();
            event.cluster = cluster;
            event.member = member;
            event.view = view;
            event.members = members;
            event.merge = !subgroups.isEmpty();
            event.commit();
        }
        if (!subgroups.isEmpty() && MERGE.isEnabled()) {
            MergeEvent event = new MergeEvent();
            event.cluster = cluster;
            event.member = member;
            event.view = view;
            event.members = members;
            event.subgroups = subgroups.size();
            event.commit();
        }
    }

    /**
     * Returns an event to {@link #snapshotApplied finish} once the snapshot is applied, or null if
     * no recording asks for it; the event's duration starts now.
     *
     * @return the started event, or null
     */
    public static Object snapshotStarted() {
        if (!SNAPSHOT_APPLIED.isEnabled()) {
            return null;
        }
        SnapshotAppliedEvent event = new SnapshotAppliedEvent();
        event.begin();
        return event;
    }

    /**
     * Records a snapshot applied, if {@code started} (from {@link #snapshotStarted}) is not null.
     *
     * @param started the started event, or null
     * @param cluster the cluster's name
     * @param member the member that applied it
     * @param owner the member whose registrations it holds
     * @param entries how many entries it holds
     * @param changes how many services applying it registered or freed
     */
    public static void snapshotApplied(Object started, String cluster, String member, String owner, int entries,
                                       int changes) {
        if (started instanceof SnapshotAppliedEvent event) {
            event.end();
            if (event.shouldCommit()) {
                event.cluster = cluster;
                event.member = member;
                event.owner = owner;
                event.entries = entries;
                event.changes = changes;
                event.commit();
            }
        }
    }

    /**
     * Records a grant of the host's port allocator.
     *
     * @param host the host
     * @param port the port granted, 0 if none was free
     * @param from the first port of the range asked for
     * @param to the last port of the range asked for
     */
    public static void portGranted(String host, int port, int from, int to) {
        if (PORT_GRANTED.isEnabled()) {
            PortGrantedEvent event = new PortGrantedEvent();
            event.host = host;
            event.port = port;
            event.from = from;
            event.to = to;
            event.commit();
        }
    }

    /**
     * Records a refused TLS connection; the reason is formatted only if a recording asks for it.
     *
     * @param key the peer and the kind of refusal
     * @param reason why, an SLF4J message pattern as logged
     * @param args the pattern's arguments
     */
    public static void tlsRefused(String key, String reason, Object... args) {
        if (TLS_REFUSED.isEnabled()) {
            TlsRefusedEvent event = new TlsRefusedEvent();
            event.key = key;
            event.reason = MessageFormatter.arrayFormat(reason, args).getMessage();
            event.commit();
        }
    }
}
