package io.seaport.jgroups.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * Which ports of which hosts the replica's entries hold, published or only reserved. Written by
 * the event thread, read lock-free by the allocator and by {@code register}.
 */
final class PortBook {
    private record HostPort(String host, int port) {
    }

    private final ConcurrentHashMap<HostPort, Integer> used = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<HostPort, Integer> allocated = new ConcurrentHashMap<>();
    private volatile BiConsumer<String, Integer> onAdd = (host, port) -> { };

    /** Sets what to call when an entry takes a port: the allocator forgets its pending grant. */
    void onAdd(BiConsumer<String, Integer> listener) {
        this.onAdd = listener;
    }

    /** Records that {@code entry} holds its port; returns whether another entry held that port already. */
    boolean add(Entry entry) {
        HostPort key = new HostPort(entry.host(), entry.port());
        boolean taken = used.merge(key, 1, Integer::sum) > 1;
        if (entry.allocated()) {
            allocated.merge(key, 1, Integer::sum);
        }
        onAdd.accept(entry.host(), entry.port());
        return taken;
    }

    void remove(Entry entry) {
        HostPort key = new HostPort(entry.host(), entry.port());
        used.computeIfPresent(key, (k, n) -> n > 1 ? n - 1 : null);
        if (entry.allocated()) {
            allocated.computeIfPresent(key, (k, n) -> n > 1 ? n - 1 : null);
        }
    }

    /** Returns whether any entry holds {@code port} on {@code host}. */
    boolean isUsed(String host, int port) {
        return used.containsKey(new HostPort(host, port));
    }

    /** Returns whether an entry holds {@code port} on {@code host} through the allocator. */
    boolean isAllocated(String host, int port) {
        return allocated.containsKey(new HostPort(host, port));
    }
}
