package io.seaport.jgroups.internal;

import io.seaport.spi.PeerAddress;
import io.seaport.spi.SeaportConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses how long a joiner waits for a coordinator's answer (GMS {@code join_timeout}) before it
 * founds a cluster of its own.
 *
 * <p>Why: the first member of a cluster always waits the whole timeout, so it should be short; but
 * a joiner on a loaded machine whose coordinator answers late founds a one-member cluster of its
 * own, and until MERGE3 merges it seconds later its {@code join()} returns an empty replica (seen
 * about once in five cold starts on a loaded 2-core machine with 1 s). A joiner stops waiting as
 * soon as the coordinator answers, so a long timeout costs nothing when someone is there. Before
 * connecting, this probes every peer's transport ports with non-blocking connects (bounded in
 * total): if nothing listens, nobody can answer and the wait is short; if something listens, the
 * wait is long. A listener of another cluster sharing the ports makes a first member wait the long
 * timeout; that costs seconds once, where a wrong guess the other way costs an empty replica.
 */
final class JoinTimeout {
    private static final Logger LOG = LoggerFactory.getLogger(JoinTimeout.class);

    /** The wait when no peer port has a listener: only the first member of a cluster gets here. */
    static final long ALONE_MILLIS = 1_000;
    /** The wait when some peer port has a listener: ended early by the coordinator's answer. */
    static final long PEERS_MILLIS = 5_000;
    /** How long all the probes together may take. */
    static final long PROBE_MILLIS = 500;

    private JoinTimeout() {
    }

    /** Returns the join timeout for {@code config}'s built-in stack, probing its peers' ports. */
    static long choose(SeaportConfig config) {
        List<InetSocketAddress> targets = new ArrayList<>();
        List<PeerAddress> peers = config.peers().isEmpty()
                ? List.of(new PeerAddress(config.effectiveBindAddress(), 0)) : config.peers();
        for (PeerAddress peer : peers) {
            int first = peer.portOr(config.effectiveBindPort());
            for (int port = first; port <= Math.min(65535, first + SeaportConfig.TRANSPORT_PORT_SPAN); port++) {
                targets.add(new InetSocketAddress(peer.host(), port));
            }
        }
        boolean someone = anyListening(targets, PROBE_MILLIS);
        long timeout = someone ? PEERS_MILLIS : ALONE_MILLIS;
        LOG.debug("join timeout {} ms: {} listening at the peers' ports", timeout, someone ? "something" : "nothing");
        return timeout;
    }

    /** Returns whether any of {@code targets} accepts a TCP connection within {@code budgetMillis}. */
    static boolean anyListening(List<InetSocketAddress> targets, long budgetMillis) {
        List<SocketChannel> channels = new ArrayList<>();
        try (Selector selector = Selector.open()) {
            for (InetSocketAddress target : targets) {
                if (target.isUnresolved()) {
                    continue; // a peer name that does not resolve (yet): JGroups will say so
                }
                SocketChannel channel = SocketChannel.open();
                channels.add(channel);
                channel.configureBlocking(false);
                try {
                    if (channel.connect(target)) {
                        return true;
                    }
                    channel.register(selector, SelectionKey.OP_CONNECT);
                } catch (IOException e) {
                    LOG.trace("probe of {} failed at once", target, e); // refused or unreachable: nobody there
                }
            }
            long deadline = System.nanoTime() + budgetMillis * 1_000_000;
            while (!selector.keys().isEmpty()) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0 || selector.select(left) == 0 && System.nanoTime() >= deadline) {
                    return false;
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    key.cancel();
                    try {
                        if (((SocketChannel) key.channel()).finishConnect()) {
                            return true;
                        }
                    } catch (IOException e) {
                        LOG.trace("probe of {} refused", key.channel(), e);
                    }
                }
                selector.selectedKeys().clear();
                selector.selectNow(); // flush the cancelled keys
            }
            return false;
        } catch (IOException e) {
            LOG.warn("cannot probe the peers' ports; waiting the long join timeout", e);
            return true;
        } finally {
            for (SocketChannel channel : channels) {
                try {
                    channel.close();
                } catch (IOException e) {
                    LOG.trace("closing a probe failed", e);
                }
            }
        }
    }
}
