package io.seaport.jgroups.internal;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.jgroups.Address;
import org.jgroups.Event;
import org.jgroups.View;
import org.jgroups.protocols.VERIFY_SUSPECT2;
import org.jgroups.stack.IpAddress;
import org.jgroups.stack.Protocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JGroups protocol, placed directly below VERIFY_SUSPECT2, that lets hard evidence of a crash skip
 * the verification wait: when a member is suspected (FD_SOCK2 saw its connection close, or FD_ALL3
 * missed its heartbeats), it tries a TCP connection to the member's transport address. A refused
 * connection means no process listens there any more: the member's process is gone, and the
 * suspicion goes straight to the protocols above VERIFY_SUSPECT2 (GMS excludes the member at once).
 * Anything else (connected, timed out, unreachable) is no evidence, and VERIFY_SUSPECT2 decides as
 * before, so a live but slow or frozen member keeps every timeout that protects it: a stopped
 * process's listening socket still completes the handshake in the kernel.
 *
 * <p>Design note. The suspicion always also goes up the normal way; the probe only ever adds an
 * earlier SUSPECT, and a late duplicate for a member no longer in the view is ignored by GMS. Only
 * the member that would exclude the suspect probes ({@link #actsOn}). Probes
 * run on one daemon thread of this protocol, never on a JGroups thread; at most one per suspect is
 * in flight. Thread-safe.
 */
public final class CrashEvidence extends Protocol {
    private static final Logger LOG = LoggerFactory.getLogger(CrashEvidence.class);

    /** How long a probe may take to connect before it counts as no evidence. */
    static final int PROBE_TIMEOUT_MILLIS = 1_000;

    private final Set<Address> probing = ConcurrentHashMap.newKeySet();
    private volatile View view;
    private volatile ExecutorService prober;

    @Override
    public void start() throws Exception {
        super.start();
        prober = Executors.newSingleThreadExecutor(Threads.named("seaport-crash-evidence", true));
    }

    @Override
    public void stop() {
        ExecutorService running = prober;
        if (running != null) {
            running.shutdownNow();
        }
        super.stop();
    }

    @Override
    public Object down(Event event) {
        if (event.getType() == Event.VIEW_CHANGE) {
            view = event.getArg();
        }
        return down_prot.down(event);
    }

    @Override
    public Object up(Event event) {
        if (event.getType() == Event.VIEW_CHANGE) {
            view = event.getArg();
        } else if (event.getType() == Event.SUSPECT) {
            Collection<Address> suspects = List.copyOf(event.getArg());
            if (actsOn(view, suspects, getAddress())) {
                for (Address suspect : suspects) {
                    probeLater(suspect);
                }
            }
        }
        return up_prot.up(event);
    }

    /**
     * Returns whether {@code self} is the member that excludes {@code suspects} from {@code view}:
     * the first member that is not suspected (the coordinator, or the next in line if the
     * coordinator is suspected). Only its evidence counts, GMS elsewhere ignores it; a member
     * killed in a cluster of 64 would otherwise be probed by 63 JVMs at once, each competing for
     * the CPU with the one that acts.
     */
    static boolean actsOn(View view, Collection<Address> suspects, Address self) {
        if (view == null) {
            return false;
        }
        for (Address member : view.getMembers()) {
            if (!suspects.contains(member)) {
                return member.equals(self);
            }
        }
        return false;
    }

    private void probeLater(Address suspect) {
        ExecutorService running = prober;
        View current = view;
        if (running == null || current == null || !current.containsMember(suspect)
                || suspect.equals(getAddress()) || !probing.add(suspect)) {
            return;
        }
        try {
            running.execute(() -> {
                try {
                    probe(suspect);
                } finally {
                    probing.remove(suspect);
                }
            });
        } catch (RejectedExecutionException e) {
            probing.remove(suspect); // stopping
        }
    }

    private void probe(Address suspect) {
        Object physical = down_prot.down(new Event(Event.GET_PHYSICAL_ADDRESS, suspect));
        if (!(physical instanceof IpAddress address) || address.getIpAddress() == null) {
            LOG.debug("{}: no physical address of suspected member {} to probe", getAddress(), suspect);
            return;
        }
        if (!refused(address)) {
            return;
        }
        View current = view;
        if (current == null || !current.containsMember(suspect)) {
            return; // already gone
        }
        Protocol verify = getUpProtocol();
        if (!(verify instanceof VERIFY_SUSPECT2)) {
            return; // nothing to skip: the suspicion went up unverified already
        }
        LOG.info("{}: member {} at {} refuses connections: its process is gone, excluding it without waiting",
                getAddress(), suspect, address);
        verify.getUpProtocol().up(new Event(Event.SUSPECT, List.of(suspect)));
    }

    /** Returns whether a connection to {@code address} is refused (no listener): the only evidence taken. */
    static boolean refused(IpAddress address) {
        return PeerProbe.connect(address, PROBE_TIMEOUT_MILLIS) == PeerProbe.Outcome.REFUSED;
    }
}
