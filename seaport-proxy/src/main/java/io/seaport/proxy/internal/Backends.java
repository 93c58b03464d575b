package io.seaport.proxy.internal;

import io.seaport.Health;
import io.seaport.Service;
import io.seaport.ServiceEvent;
import io.seaport.proxy.Balancing;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live services matching a proxy's range, kept current by watch events, and the choice of
 * one for each new connection.
 *
 * <p>Design: events (on the Seaport's event thread) and the initial seed update a map under a
 * lock and publish a sorted immutable array through a volatile field; selector threads read that
 * array without locking. Connections waiting for a first match park in a queue and are handed
 * back to their selector thread when a service registers; a waiter re-checks the array after
 * parking, so a registration between its check and its parking is not missed. Failed services
 * are ejected for a while: a map from id to the time they may be picked again. Only
 * {@link Health#PASSING} services are picked: a health change adds or removes one like a
 * registration or a free.
 */
final class Backends implements Consumer<ServiceEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(Backends.class);
    private static final Backend[] NONE = new Backend[0];

    private final String range;
    private final Balancing balancing;
    private final long ejectionNanos;
    private final Object lock = new Object();
    private final Map<String, Backend> byId = new HashMap<>(); // guarded by lock
    private Set<String> freedWhileSeeding = new HashSet<>(); // guarded by lock; null once seeded
    private volatile Backend[] live = NONE;
    private final Map<String, Long> ejectedUntil = new ConcurrentHashMap<>();
    private final Queue<Pipe> waiters = new ConcurrentLinkedQueue<>();
    private final AtomicInteger next = new AtomicInteger();
    private final String site;

    Backends(String range, Balancing balancing, long ejectionNanos) {
        this(range, balancing, ejectionNanos, io.seaport.Seaport.DEFAULT_SITE);
    }

    /** Backends of a proxy whose member is of {@code site}: that site's services are picked first. */
    Backends(String range, Balancing balancing, long ejectionNanos, String site) {
        this.range = range;
        this.balancing = balancing;
        this.ejectionNanos = ejectionNanos;
        this.site = site;
    }

    /** Applies a watch event; runs on the Seaport's event thread. */
    @Override
    public void accept(ServiceEvent event) {
        Service service = event.service();
        // A service that leaves PASSING gets no new connections; those it has are left to finish.
        if (!(event instanceof ServiceEvent.Freed) && service.health() == Health.PASSING) {
            Backend backend = Backend.of(service);
            synchronized (lock) {
                Backend known = byId.get(service.id());
                if (known == null || !known.service().equals(service)) { // a repeat changes nothing
                    byId.put(service.id(), backend);
                    publish();
                }
            }
            LOG.debug("proxy for '{}': {} registered", range, backend);
            wakeWaiters();
        } else {
            synchronized (lock) {
                if (freedWhileSeeding != null) {
                    freedWhileSeeding.add(service.id());
                }
                byId.remove(service.id());
                publish();
            }
            ejectedUntil.remove(service.id());
            LOG.debug("proxy for '{}': {} at {} left ({})", range, service.roleAtVersion(), service.address(),
                    event instanceof ServiceEvent.Freed freed ? freed.reason() : service.health());
        }
    }

    /**
     * Adds the services a query returned after the watch was set up, except those whose Freed
     * event has already arrived, so that a proxy knows the present services when it starts.
     */
    void seed(List<Service> present) {
        synchronized (lock) {
            for (Service service : present) {
                if (!freedWhileSeeding.contains(service.id())) {
                    byId.putIfAbsent(service.id(), Backend.of(service));
                }
            }
            freedWhileSeeding = null;
            publish();
        }
        wakeWaiters();
    }

    private void publish() {
        Backend[] sorted = byId.values().toArray(NONE);
        Arrays.sort(sorted, Backend.ORDER);
        live = sorted;
    }

    /**
     * Returns the services to try for a new connection, in order: the non-ejected ones of this
     * member's site starting at the balancing choice, then the non-ejected ones of other sites (so
     * a proxy prefers its own data centre and crosses to another only when its own has none that
     * answers), then the ejected ones (soonest back first), so that a lone service that failed once
     * is still tried. Empty when nothing matches.
     */
    List<Backend> candidates() {
        Backend[] now = live;
        if (now.length == 0) {
            return List.of();
        }
        if (now.length == 1) {
            return List.of(now[0]);
        }
        List<Backend> healthy = new ArrayList<>(now.length);
        List<Backend> away = null;
        List<Backend> ejected = null;
        long time = ejectedUntil.isEmpty() ? 0 : System.nanoTime();
        for (Backend backend : now) {
            Long until = ejectedUntil.isEmpty() ? null : ejectedUntil.get(backend.id());
            if (until != null && until - time > 0) {
                if (ejected == null) {
                    ejected = new ArrayList<>(2);
                }
                ejected.add(backend);
            } else if (backend.service().site().equals(site)) {
                healthy.add(backend);
            } else {
                if (away == null) {
                    away = new ArrayList<>(2);
                }
                away.add(backend);
            }
        }
        List<Backend> order = new ArrayList<>(now.length);
        int choice = switch (balancing) {
            case ROUND_ROBIN -> next.getAndIncrement();
            case RANDOM -> ThreadLocalRandom.current().nextInt(Integer.MAX_VALUE);
            case FIRST -> 0;
        };
        addRotated(order, healthy, choice);
        if (away != null) {
            addRotated(order, away, choice);
        }
        if (ejected != null) {
            ejected.sort((a, b) -> Long.compare(
                    ejectedUntil.getOrDefault(a.id(), 0L) - time, ejectedUntil.getOrDefault(b.id(), 0L) - time));
            order.addAll(ejected);
        }
        return order;
    }

    /** Appends {@code backends} to {@code order}, starting at the {@code choice}-th (modulo their number). */
    private static void addRotated(List<Backend> order, List<Backend> backends, int choice) {
        int n = backends.size();
        if (n == 0) {
            return;
        }
        int start = Math.floorMod(choice, n);
        for (int i = 0; i < n; i++) {
            order.add(backends.get((start + i) % n));
        }
    }

    /** Returns whether {@code backend} is still registered, so that a gone one is not tried. */
    boolean isLive(Backend backend) {
        for (Backend each : live) {
            if (each == backend || each.id().equals(backend.id())) {
                return true;
            }
        }
        return false;
    }

    /** Leaves {@code backend} out of picks for the ejection time; logs only when newly ejected. */
    void failed(Backend backend, Exception cause) {
        if (ejectionNanos <= 0 || !isLive(backend)) {
            return;
        }
        long now = System.nanoTime();
        Long before = ejectedUntil.put(backend.id(), now + ejectionNanos);
        if (before == null || before - now <= 0) {
            LOG.warn("proxy for '{}': {} failed ({}); left out of new connections for {} ms", range, backend,
                    cause.toString(), ejectionNanos / 1_000_000);
        }
    }

    void succeeded(Backend backend) {
        if (!ejectedUntil.isEmpty()) {
            ejectedUntil.remove(backend.id());
        }
    }

    /** Parks {@code pipe} until a service registers; it is woken at once if one already has. */
    void await(Pipe pipe) {
        waiters.add(pipe);
        if (live.length > 0) {
            wakeWaiters();
        }
    }

    void cancelWait(Pipe pipe) {
        waiters.remove(pipe);
    }

    private void wakeWaiters() {
        if (live.length == 0) {
            return;
        }
        Pipe pipe;
        while ((pipe = waiters.poll()) != null) {
            pipe.wake();
        }
    }

    /** Returns the services in query order, for logs and tests. */
    List<Backend> live() {
        return List.of(live);
    }
}
