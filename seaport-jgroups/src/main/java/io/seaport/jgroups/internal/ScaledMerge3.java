package io.seaport.jgroups.internal;

import org.jgroups.Event;
import org.jgroups.View;
import org.jgroups.conf.ClassConfigurator;
import org.jgroups.protocols.MERGE3;

/**
 * JGroups' MERGE3 whose rounds follow the view's size ({@link ViewSizeTimers}): over TCP each round
 * is a discovery that reaches every member. MERGE3 reads its intervals anew for each round, so
 * setting them on a view change is enough. It keeps MERGE3's protocol id: peers running stock
 * MERGE3 (a user's XML stack) understand it. Thread-safety: as {@link MERGE3}.
 */
final class ScaledMerge3 extends MERGE3 {

    ScaledMerge3() {
        setId(ClassConfigurator.getProtocolId(MERGE3.class));
        resize(1);
    }

    @Override
    public Object down(Event event) {
        if (event.getType() == Event.VIEW_CHANGE) {
            resize(((View) event.getArg()).size());
        }
        return super.down(event);
    }

    /** Sets the intervals for a view of {@code members} (fields directly: MERGE3's setters check the old pair). */
    private void resize(int members) {
        min_interval = ViewSizeTimers.mergeMin(members);
        max_interval = ViewSizeTimers.mergeMax(members);
        check_interval = computeCheckInterval();
    }
}
