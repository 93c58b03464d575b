package io.seaport.jgroups.internal;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jgroups.Address;
import org.jgroups.EmptyMessage;
import org.jgroups.Message;
import org.jgroups.View;
import org.jgroups.conf.ClassConfigurator;
import org.jgroups.protocols.FD_ALL3;
import org.jgroups.protocols.VERIFY_SUSPECT2;

/**
 * JGroups' FD_ALL3 made to cost each member about the same however large the cluster: the first
 * {@link #WATCHERS} members of the view watch everyone, every other member watches only them.
 *
 * <p>Design note. Of all the suspicions FD_ALL3 raises, only one member's count: a member passes a
 * suspicion on only if it is the first member of the view once the suspected are left out, so in a
 * healthy view the coordinator, or when the members above it are silent, the first of the rest.
 * Stock FD_ALL3 nevertheless has every member heartbeat to every member: over TCP each heartbeat is
 * one message per member, so a member's background traffic and the CPU every member spends on it
 * grow with the cluster. Here the first {@link #WATCHERS} members multicast their heartbeats as
 * stock FD_ALL3 does, and every other member sends its heartbeat to those {@link #WATCHERS} only, and
 * checks only their silence. Any member that would act on a suspicion still hears from everyone it
 * would judge: a watcher hears everyone; any other member that becomes first of the rest does so
 * because the watchers above it are all suspected, which it sees. A member starts judging another
 * (it became a watcher, or the other did) with a full timeout, as FD_ALL3 does for a new member.
 *
 * <p>The heartbeat interval and timeout, and the verification time of the VERIFY_SUSPECT2 above,
 * also follow the view's size ({@link ViewSizeTimers}): members starved of CPU (64 JVMs on 2 cores)
 * are not suspected for a late heartbeat. FD_ALL3 reads its interval only when its tasks start and
 * sizes a member's bitmap when it first sees the member, so a change of size restarts both tasks and
 * forgets the bitmaps. It keeps FD_ALL3's protocol id and message format: peers running stock
 * FD_ALL3 (a user's XML stack) understand its heartbeats. Thread-safety: as {@link FD_ALL3}; the
 * view is published through a volatile field.
 */
final class ScaledFdAll extends FD_ALL3 {
    /** How many members at the top of the view hear everyone's heartbeats and multicast their own. */
    static final int WATCHERS = 3;

    private volatile List<Address> view = List.of();

    ScaledFdAll() {
        setId(ClassConfigurator.getProtocolId(FD_ALL3.class));
        setTimeout(ViewSizeTimers.fdTimeout(1));
        setInterval(ViewSizeTimers.fdInterval(1));
    }

    @Override
    protected void handleViewChange(View next) {
        int size = next.size();
        List<Address> members = List.copyOf(next.getMembers());
        if (ViewSizeTimers.fdInterval(size) != getInterval()) {
            lock.lock();
            try {
                stopHeartbeatSender();
                stopTimeoutChecker();
                setTimeout(ViewSizeTimers.fdTimeout(size));
                setInterval(ViewSizeTimers.fdInterval(size));
                timestamps.clear();
            } finally {
                lock.unlock();
            }
        } else if (!watchers(members).equals(watchers(view))) {
            timestamps.clear(); // who judges whom changed: every judgement starts with a full timeout
        }
        VERIFY_SUSPECT2 verify = stack == null ? null : stack.findProtocol(VERIFY_SUSPECT2.class);
        if (verify != null) {
            verify.setTimeout(ViewSizeTimers.verifySuspect(size));
        }
        view = members;
        super.handleViewChange(next); // starts the tasks again, with bitmaps of the new length
    }

    @Override
    protected void startHeartbeatSender() {
        lock.lock();
        try {
            if (!isHeartbeatSenderRunning()) {
                heartbeat_sender = timer.scheduleWithFixedDelay(this::sendHeartbeats, 0, interval,
                        TimeUnit.MILLISECONDS, false);
            }
        } finally {
            lock.unlock();
        }
    }

    /** One round: a watcher multicasts, any other member tells the watchers; skipped if a multicast went out since the last. */
    private void sendHeartbeats() {
        if (mcast_sent.compareAndSet(true, false)) {
            return; // every member, the watchers too, heard from this one
        }
        List<Address> members = view;
        if (isWatcher(members, local_addr)) {
            down_prot.down(heartbeat(null));
        } else {
            for (Address watcher : watchers(members)) {
                down_prot.down(heartbeat(watcher));
            }
        }
        num_heartbeats_sent++;
    }

    private Message heartbeat(Address destination) {
        return new EmptyMessage(destination).setFlag(Message.TransientFlag.DONT_LOOPBACK)
                .putHeader(id, new HeartbeatHeader());
    }

    /** Judges {@code member} only if this member or it is a watcher; the others' bitmaps stay as they were. */
    @Override
    protected <T> boolean needsToBeSuspected(Address member, T value) {
        List<Address> members = view;
        if (!isWatcher(members, local_addr) && !isWatcher(members, member)) {
            return false;
        }
        return super.needsToBeSuspected(member, value);
    }

    private static List<Address> watchers(List<Address> members) {
        return members.subList(0, Math.min(WATCHERS, members.size()));
    }

    private static boolean isWatcher(List<Address> members, Address member) {
        return watchers(members).contains(member);
    }
}
