package io.seaport.jgroups.internal;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jgroups.Address;
import org.jgroups.Event;
import org.jgroups.View;
import org.jgroups.protocols.MERGE3;
import org.jgroups.stack.IpAddress;
import org.jgroups.stack.Protocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JGroups protocol that starts partition repair as soon as a lost member can be reached again,
 * instead of waiting for MERGE3's next round (its check runs every 1.6 x max_interval).
 *
 * <p>Design note. On every view, the members of the previous view that are missing from it are
 * remembered with their transport address ("lost"). While any is remembered and this member is its
 * view's coordinator (the member that leads a merge), a daemon thread tries a TCP connection to
 * each, every {@link #PROBE_MILLIS}: a refused connection means the process is gone (forgotten: a
 * restarted member joins anew, no merge needed); a connection that fails otherwise (timed out,
 * unreachable: a cut link) keeps it remembered; a connection that succeeds means it is reachable
 * (again), and this member makes MERGE3 act now: it sends its INFO (so the other side learns of
 * this view) and runs MERGE3's consistency check a few times over the next second (the other
 * side's coordinator does the same when it reaches this side). A member reachable all along (a
 * frozen JVM, whose kernel still accepts) triggers once and is then re-probed only every
 * {@link #REPEAT_MILLIS}, stretched with the view's size like MERGE3's rounds ({@link ViewSizeTimers}).
 * Members are forgotten once back in the view or after {@link #FORGET_MILLIS}; MERGE3's own rounds
 * go on regardless.
 *
 * <p>Only coordinators probe: when every member probed every lost member, a 64-member cluster
 * split in two made ~4,000 connections and hundreds of MERGE3 discovery rounds a second, which
 * starved the members on a 2-core machine until more of them were suspected and the views split
 * further (scale benchmark, 2026-12-03: 77,754 probe connections logged in three minutes).
 * Thread-safe: the lost map is confined to the probe thread, views reach it through the executor.
 */
public final class ReconnectMerge extends Protocol {
    private static final Logger LOG = LoggerFactory.getLogger(ReconnectMerge.class);

    static final long PROBE_MILLIS = 100;
    static final int CONNECT_TIMEOUT_MILLIS = 150;
    static final long REPEAT_MILLIS = 500;
    static final long FORGET_MILLIS = 60_000;
    /** When to run MERGE3's check after a lost member answered: INFO needs a round trip first. */
    private static final long[] CHECKS_AFTER_MILLIS = {100, 350, 800};

    /** A member lost from the view, and where it listened. */
    private static final class Lost {
        final IpAddress address;
        final long since;
        long lastTrigger;
        boolean unreachable;

        Lost(IpAddress address, long since) {
            this.address = address;
            this.since = since;
        }
    }

    private final Map<Address, Lost> lost = new HashMap<>(); // probe thread only
    private final Map<Address, IpAddress> known = new HashMap<>(); // probe thread only
    private volatile ScheduledExecutorService prober;
    private View view; // probe thread only

    @Override
    public void start() throws Exception {
        super.start();
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1,
                Threads.named("seaport-reconnect-merge", true));
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        executor.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
        executor.scheduleWithFixedDelay(this::probeLost, PROBE_MILLIS, PROBE_MILLIS, TimeUnit.MILLISECONDS);
        prober = executor;
    }

    @Override
    public void stop() {
        ScheduledExecutorService running = prober;
        if (running != null) {
            running.shutdownNow();
        }
        super.stop();
    }

    @Override
    public Object down(Event event) {
        if (event.getType() == Event.VIEW_CHANGE) {
            View next = event.getArg();
            Object result = down_prot.down(event);
            onProbeThread(() -> viewChanged(next));
            return result;
        }
        return down_prot.down(event);
    }

    private void onProbeThread(Runnable task) {
        ScheduledExecutorService running = prober;
        if (running == null) {
            return;
        }
        try {
            running.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.warn("{}: reconnect-merge task failed", getAddress(), e);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("{}: stopping, view not tracked", getAddress(), e);
        }
    }

    private void viewChanged(View next) {
        long now = System.nanoTime();
        View previous = view;
        view = next;
        Map<Address, IpAddress> addresses = new HashMap<>();
        for (Address member : next.getMembers()) {
            lost.remove(member);
            Object physical = down_prot.down(new Event(Event.GET_PHYSICAL_ADDRESS, member));
            if (physical instanceof IpAddress address && address.getIpAddress() != null) {
                addresses.put(member, address);
            }
        }
        if (previous != null) {
            for (Address member : previous.getMembers()) {
                IpAddress address = known.get(member);
                if (!next.containsMember(member) && address != null && !member.equals(getAddress())) {
                    lost.put(member, new Lost(address, now));
                }
            }
        }
        // A member of this view at a lost member's address is its successor (restarted): nothing to merge.
        lost.values().removeIf(member -> addresses.containsValue(member.address));
        known.clear();
        known.putAll(addresses);
    }

    private void probeLost() {
        if (lost.isEmpty() || view == null || !getAddress().equals(view.getCoord())) {
            return; // the other side's coordinator probes this side; forgetting runs when this one leads again
        }
        long now = System.nanoTime();
        long repeat = TimeUnit.MILLISECONDS.toNanos(REPEAT_MILLIS * ViewSizeTimers.factor(view.size()));
        boolean reachable = false;
        for (Iterator<Map.Entry<Address, Lost>> it = lost.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Address, Lost> entry = it.next();
            Lost member = entry.getValue();
            if (now - member.since > TimeUnit.MILLISECONDS.toNanos(FORGET_MILLIS)) {
                it.remove();
                continue;
            }
            if (member.lastTrigger != 0 && now - member.lastTrigger < repeat) {
                continue;
            }
            switch (PeerProbe.connect(member.address, CONNECT_TIMEOUT_MILLIS)) {
                case REFUSED -> it.remove(); // its process is gone
                case CONNECTED -> {
                    member.lastTrigger = now;
                    reachable = true;
                    if (member.unreachable) {
                        member.unreachable = false;
                        LOG.info("{}: lost member {} at {} answers again; starting a merge now", getAddress(),
                                entry.getKey(), member.address);
                    } else {
                        LOG.debug("{}: lost member {} at {} is reachable; trying a merge", getAddress(),
                                entry.getKey(), member.address);
                    }
                }
                case FAILED -> {
                    member.lastTrigger = 0; // unreachable: its next success is news
                    member.unreachable = true;
                }
            }
        }
        if (reachable) {
            mergeNow();
        }
    }

    private void mergeNow() {
        MERGE3 merge = getProtocolStack().findProtocol(MERGE3.class);
        ScheduledExecutorService running = prober;
        if (merge == null || running == null) {
            return;
        }
        merge.sendInfo();
        for (long delay : CHECKS_AFTER_MILLIS) {
            try {
                running.schedule(() -> {
                    merge.sendInfo();
                    merge.checkInconsistencies();
                }, delay, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                return; // stopping
            }
        }
    }
}
