package io.seaport.jgroups.internal;

import org.jgroups.Message;
import org.jgroups.PhysicalAddress;
import org.jgroups.View;
import org.jgroups.protocols.PerDestinationBundler;
import org.jgroups.protocols.TP;

/**
 * JGroups' per-destination bundler whose buffers for members are full size, and those for bare
 * transport addresses small. Discovery over the network (TCPPING) asks every port of every peer's
 * span ({@code port..port+10}) directly at its transport address, and MERGE3 sends its INFO there
 * too; the stock bundler gives each such address a sender thread and buffers sized for a member's
 * traffic (a 64 KB frame, a queue of {@link StackFactory#BUNDLER_CAPACITY} slots: ~140 KB). With
 * 16 hosts that is 176 addresses per member: a member JVM with {@code -Xmx64m} running two
 * members ran out of heap (hosts benchmark, 32 members on 16 hosts). Messages to a bare transport
 * address are small (discovery requests and answers, INFO), so they go through a second
 * per-destination bundler with {@link #PROBE_CAPACITY} slots and {@link #PROBE_MAX_SIZE} byte
 * frames: still one sender per address, so an unreachable one holds back nobody. Thread-safety:
 * as {@link PerDestinationBundler}.
 */
final class ProbeSizedBundler extends PerDestinationBundler {
    /** Messages queued per bare transport address. */
    static final int PROBE_CAPACITY = 64;
    /** Bytes bundled into one frame to a bare transport address. */
    static final int PROBE_MAX_SIZE = 8_192;

    private final Probes probes = new Probes();

    ProbeSizedBundler() {
        useSingleSenderThread(false);
        probes.useSingleSenderThread(false);
        probes.setCapacity(PROBE_CAPACITY);
        probes.setMaxSize(PROBE_MAX_SIZE);
    }

    @Override
    public void init(TP transport) {
        super.init(transport);
        probes.init(transport);
    }

    @Override
    public void start() {
        super.start();
        probes.start();
    }

    @Override
    public void stop() {
        try {
            probes.stop();
        } finally {
            super.stop();
        }
    }

    @Override
    public void viewChange(View view) {
        super.viewChange(view);
        probes.viewChange(view);
    }

    @Override
    public void doSend(Message message) throws Exception {
        if (message.dest() instanceof PhysicalAddress) {
            probes.doSend(message);
        } else {
            super.doSend(message);
        }
    }

    /** Returns how many destinations have full-size buffers (members, and the multicast buffer). */
    int memberDestinations() {
        return dests.size();
    }

    /** Returns how many bare transport addresses have small buffers. */
    int probeDestinations() {
        return probes.destinations();
    }

    /** The bundler for bare transport addresses. */
    private static final class Probes extends PerDestinationBundler {
        int destinations() {
            return dests.size();
        }
    }
}
