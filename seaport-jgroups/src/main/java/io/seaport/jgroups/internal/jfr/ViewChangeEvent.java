package io.seaport.jgroups.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** A member installed a new cluster view (a merge view included). */
@Name("io.seaport.ViewChange")
@Label("Seaport View Change")
@Category("Seaport")
@Description("A member installed a new JGroups view of its cluster")
@StackTrace(false)
final class ViewChangeEvent extends jdk.jfr.Event {
    @Label("Cluster")
    String cluster;

    @Label("Member")
    String member;

    @Label("View")
    @Description("The view's id: its creator and number")
    String view;

    @Label("Members")
    int members;

    @Label("Merge")
    @Description("Whether the view merges subgroups after a partition")
    boolean merge;
}
