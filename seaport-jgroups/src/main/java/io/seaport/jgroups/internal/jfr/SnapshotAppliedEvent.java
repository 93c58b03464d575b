package io.seaport.jgroups.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** A member applied another member's (or its own) snapshot; the event's duration is the apply. */
@Name("io.seaport.SnapshotApplied")
@Label("Seaport Snapshot Applied")
@Category("Seaport")
@Description("A snapshot of one member's registrations was applied to the replica")
@StackTrace(false)
final class SnapshotAppliedEvent extends jdk.jfr.Event {
    @Label("Cluster")
    String cluster;

    @Label("Member")
    @Description("The member that applied it")
    String member;

    @Label("Owner")
    @Description("The member whose registrations the snapshot holds")
    String owner;

    @Label("Entries")
    int entries;

    @Label("Changes")
    @Description("Services registered or freed by applying it")
    int changes;
}
