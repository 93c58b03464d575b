package io.seaport.jgroups.internal;

import io.seaport.jgroups.internal.jfr.SeaportEvents;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The allocator's side of port allocation: picks a port of a host that no entry of the replica
 * holds, that it did not hand out recently, and that can be bound right now. Thread-safe.
 *
 * <p>Design note. The lock guards only the pending grants and is never held across I/O: a
 * candidate is marked pending under the lock, then test-bound outside it (and unmarked if that
 * fails). A requester's bind address must be an IP literal, so answering a peer never waits for
 * DNS, and at most {@link #MAX_BIND_TESTS} ports are test-bound per grant whatever range the
 * requester chose. Pending grants expire by the injected {@link Ticker}.
 *
 * <p>A granted port stays pending until the requester's reservation shows up in the replica
 * (from then on the replica guards it, and frees it with the registration) or {@link #PENDING_MILLIS} pass (the requester died or gave up).
 * The scan starts at a random offset so that independent clusters on one machine rarely
 * contend for the same free port.
 */
final class PortAllocator {
    private static final Logger LOG = LoggerFactory.getLogger(PortAllocator.class);
    static final long PENDING_MILLIS = 60_000;
    /** The most ports one grant test-binds: beyond, the range is as good as full. */
    static final int MAX_BIND_TESTS = 256;
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%[0-9A-Za-z_.-]+)?");

    private record HostPort(String host, int port) {
    }

    private final PortBook book;
    private final Ticker ticker;
    private final Random random = new Random();
    private final Map<HostPort, Long> pending = new HashMap<>(); // guarded by this

    PortAllocator(PortBook book, Ticker ticker) {
        this.book = book;
        this.ticker = ticker;
        book.onAdd(this::release);
    }

    /**
     * Returns a free port of {@code host} in {@code from..to} that binds on {@code bindAddress}
     * (an IP literal), or 0 if there is none. Blocks only on the test binds, never on a lock held
     * by I/O.
     */
    int grant(String host, String bindAddress, int from, int to) {
        if (!IP_LITERAL.matcher(bindAddress).matches()) {
            LOG.warn("a port request's bind address '{}' is not an IP literal; no port granted", bindAddress);
            return 0;
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(bindAddress); // a literal: no lookup
        } catch (IOException e) {
            LOG.warn("cannot parse bind address '{}' to test ports; no port granted", bindAddress, e);
            return 0;
        }
        int size = to - from + 1;
        int start;
        synchronized (this) {
            long now = ticker.read();
            pending.values().removeIf(expiry -> expiry - now < 0);
            start = random.nextInt(size);
        }
        int tests = 0;
        for (int i = 0; i < size && tests < MAX_BIND_TESTS; i++) {
            int port = from + (start + i) % size;
            HostPort key = new HostPort(host, port);
            synchronized (this) {
                if (book.isUsed(host, port) || pending.containsKey(key)) {
                    continue;
                }
                pending.put(key, ticker.read() + TimeUnit.MILLISECONDS.toNanos(PENDING_MILLIS));
            }
            tests++;
            if (canBind(address, port)) {
                SeaportEvents.portGranted(host, port, from, to);
                return port;
            }
            release(host, port);
        }
        SeaportEvents.portGranted(host, 0, from, to);
        return 0;
    }

    /** Forgets a grant: the requester's reservation reached the replica, or it did not take the port. */
    synchronized void release(String host, int port) {
        pending.remove(new HostPort(host, port));
    }

    /** Returns whether a server socket can be bound to {@code port} of {@code address} now. */
    static boolean canBind(InetAddress address, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(address, port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
