package io.seaport.jgroups.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The allocator's side of port allocation: picks a port of a host that no entry of the replica
 * holds, that it did not hand out recently, and that can be bound right now. Thread-safe
 * (grants are serialized). Pending grants expire by the injected {@link Ticker}.
 *
 * <p>A granted port stays pending until the requester's reservation shows up in the replica
 * (from then on the replica guards it, and frees it with the registration) or {@link #PENDING_MILLIS} pass (the requester died or gave up).
 * The scan starts at a random offset so that independent clusters on one machine rarely
 * contend for the same free port.
 */
final class PortAllocator {
    private static final Logger LOG = LoggerFactory.getLogger(PortAllocator.class);
    static final long PENDING_MILLIS = 60_000;

    private record HostPort(String host, int port) {
    }

    private final PortBook book;
    private final Ticker ticker;
    private final Random random = new Random();
    private final Map<HostPort, Long> pending = new HashMap<>();

    PortAllocator(PortBook book, Ticker ticker) {
        this.book = book;
        this.ticker = ticker;
        book.onAdd(this::release);
    }

    /**
     * Returns a free port of {@code host} in {@code from..to} that binds on {@code bindAddress}, or
     * 0 if there is none.
     */
    synchronized int grant(String host, String bindAddress, int from, int to) {
        long now = ticker.read();
        pending.values().removeIf(expiry -> expiry - now < 0);
        InetAddress address;
        try {
            address = InetAddress.getByName(bindAddress);
        } catch (IOException e) {
            LOG.warn("cannot resolve bind address '{}' to test ports; no port granted", bindAddress, e);
            return 0;
        }
        int size = to - from + 1;
        int start = random.nextInt(size);
        for (int i = 0; i < size; i++) {
            int port = from + (start + i) % size;
            HostPort key = new HostPort(host, port);
            if (book.isUsed(host, port) || pending.containsKey(key) || !canBind(address, port)) {
                continue;
            }
            pending.put(key, now + TimeUnit.MILLISECONDS.toNanos(PENDING_MILLIS));
            return port;
        }
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
