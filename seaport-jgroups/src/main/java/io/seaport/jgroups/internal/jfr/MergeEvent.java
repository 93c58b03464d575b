package io.seaport.jgroups.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** A member installed a merge view: subgroups that had split apart are one cluster again. */
@Name("io.seaport.Merge")
@Label("Seaport Merge")
@Category("Seaport")
@Description("Subgroups of a cluster merged after a partition; every member then re-sends its snapshot")
@StackTrace(false)
final class MergeEvent extends jdk.jfr.Event {
    @Label("Cluster")
    String cluster;

    @Label("Member")
    String member;

    @Label("View")
    String view;

    @Label("Members")
    int members;

    @Label("Subgroups")
    int subgroups;
}
