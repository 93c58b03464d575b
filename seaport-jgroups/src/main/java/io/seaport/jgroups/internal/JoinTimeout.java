package io.seaport.jgroups.internal;

import io.seaport.spi.PeerAddress;
import io.seaport.spi.SeaportConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.SocketException;
import java.net.UnknownHostException;
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
 * soon as the coordinator answers, so a long timeout costs nothing when someone is there.
 *
 * <p>So before connecting it looks at the peers' transport ports without touching any member: a
 * port of this machine that cannot be bound has a listener (a member, perhaps of another cluster);
 * a peer on another host cannot be seen without connecting to it (which members would log as a
 * failed connection), so it counts as someone who may answer. Nothing there: 1 s; otherwise 5 s.
 */
final class JoinTimeout {
    private static final Logger LOG = LoggerFactory.getLogger(JoinTimeout.class);

    /** The wait when no peer can be there: only the first member of a cluster gets here. */
    static final long ALONE_MILLIS = 1_000;
    /** The wait when a peer may be there: ended early by the coordinator's answer. */
    static final long PEERS_MILLIS = 5_000;

    private JoinTimeout() {
    }

    /** Returns the join timeout for {@code config}'s built-in stack. */
    static long choose(SeaportConfig config) {
        if (DnsDiscovery.configured().isPresent()) {
            return PEERS_MILLIS; // the name may list other hosts, which cannot be checked without connecting
        }
        if (StackFactory.usesDirectory(config)) {
            // The directory answers discovery at once: a first member finds it empty and founds
            // the cluster without waiting, so join_timeout only bounds the wait for a coordinator
            // whose (live) file it found.
            return PEERS_MILLIS;
        }
        List<InetSocketAddress> targets = new ArrayList<>();
        List<PeerAddress> peers = config.peers().isEmpty()
                ? List.of(new PeerAddress(config.effectiveBindAddress(), 0)) : config.peers();
        for (PeerAddress peer : peers) {
            int first = peer.portOr(config.effectiveBindPort());
            for (int port = first; port <= Math.min(65535, first + SeaportConfig.TRANSPORT_PORT_SPAN); port++) {
                targets.add(resolve(peer.host(), port));
            }
        }
        boolean someone = anyoneMayAnswer(targets);
        long timeout = someone ? PEERS_MILLIS : ALONE_MILLIS;
        LOG.debug("join timeout {} ms: {}", timeout, someone ? "a peer may answer" : "no peer listens");
        return timeout;
    }

    /**
     * Returns whether some target may have a member listening: a port of this machine that is
     * bound, or any port of another host.
     */
    static boolean anyoneMayAnswer(List<InetSocketAddress> targets) {
        for (InetSocketAddress target : targets) {
            if (target.isUnresolved()) {
                continue; // a peer name that does not resolve: nobody can answer from there
            }
            if (!isLocal(target.getAddress()) || !bindable(target)) {
                return true;
            }
        }
        return false;
    }

    private static InetSocketAddress resolve(String host, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            LOG.debug("peer {} does not resolve", host, e);
            return InetSocketAddress.createUnresolved(host, port);
        }
    }

    private static boolean isLocal(InetAddress address) {
        if (address.isLoopbackAddress() || address.isAnyLocalAddress()) {
            return true;
        }
        try {
            return NetworkInterface.getByInetAddress(address) != null;
        } catch (SocketException e) {
            LOG.debug("cannot tell whether {} is an address of this machine", address, e);
            return false;
        }
    }

    private static boolean bindable(InetSocketAddress target) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true); // a port in TIME_WAIT has no listener
            socket.bind(target, 1);
            return true;
        } catch (IOException e) {
            return false; // bound by a listener (or otherwise unusable): someone may be there
        }
    }
}
