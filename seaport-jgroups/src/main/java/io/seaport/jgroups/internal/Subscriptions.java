package io.seaport.jgroups.internal;

import io.seaport.Health;
import io.seaport.RoleRange;
import io.seaport.Service;
import io.seaport.ServiceEvent;
import io.seaport.Subscription;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Everything that waits for the replica to change: {@code watch} subscriptions ({@link Watcher}s)
 * and {@code get} futures still without a match. {@link #afterChange} hands each change to them.
 *
 * <p>Design note. The event thread decides, in replica order, which subscriber sees what; user
 * code (listeners, the stages a user chained to a {@code get} future) runs on the listener pool
 * ({@code seaport-listener-<member>-N}), never on the event thread. A new subscription is
 * registered on the event thread, after the current matches are queued to it, so it sees every
 * later change exactly once and in order. Thread-safe: the collections are concurrent, and
 * {@link #afterChange} runs on the event thread only.
 */
final class Subscriptions {
    private record PendingGet(String environment, RoleRange range, CompletableFuture<List<Service>> future) {
    }

    private final String memberName;
    private final String environment;
    private final ServiceIndex index;
    private final EventLoop loop;
    private final Supplier<String> closedMessage;
    private final ExecutorService listeners;
    private final CopyOnWriteArrayList<Watcher> watchers = new CopyOnWriteArrayList<>();
    private final Set<PendingGet> pendingGets = ConcurrentHashMap.newKeySet();
    private volatile Consumer<List<ServiceEvent>> observer = changes -> { };
    private volatile boolean closed;

    Subscriptions(String memberName, String environment, ServiceIndex index, EventLoop loop,
                  Supplier<String> closedMessage) {
        this.memberName = memberName;
        this.closedMessage = closedMessage;
        this.environment = environment;
        this.index = index;
        this.loop = loop;
        this.listeners = Executors.newCachedThreadPool(Threads.named(listenerThreadPrefix(), false));
    }

    /** Returns a future of the matches of {@code range} in this member's environment, once there are any. */
    CompletableFuture<List<Service>> get(RoleRange range) {
        CompletableFuture<List<Service>> future = new CompletableFuture<>();
        PendingGet pending = new PendingGet(environment, range, future);
        pendingGets.add(pending);
        // A cancelled or timed-out future is forgotten at once.
        future.whenComplete((result, failure) -> pendingGets.remove(pending));
        if (closed) { // close() may have failed the pending gets before this one was added
            future.completeExceptionally(new IllegalStateException(closedMessage.get()));
            return future;
        }
        loop.execute(() -> {
            if (pendingGets.contains(pending)) {
                List<Service> matches = index.query(pending.environment(), range);
                if (!matches.isEmpty() && pendingGets.remove(pending)) {
                    completeLater(future, matches);
                }
            }
        });
        return future;
    }

    /**
     * Subscribes {@code listener} to {@code range} (every role if null) in this member's
     * environment; returns once the current matches are queued to it.
     */
    Subscription subscribe(RoleRange range, Consumer<ServiceEvent> listener) {
        Watcher watcher = new Watcher(environment, range, listener, listeners, watchers::remove);
        EventLoop.await(loop.submit(() -> {
            List<Service> current = range == null ? index.services(environment) : index.query(environment, range, true);
            for (Service service : current) {
                watcher.offer(new ServiceEvent.Registered(service));
            }
            watchers.add(watcher);
        }), "subscribe to " + watcher);
        return watcher;
    }

    /** Hands {@code changes} to every subscription and completes the {@code get}s they satisfy; event thread. */
    void afterChange(List<ServiceEvent> changes) {
        if (changes.isEmpty()) {
            return;
        }
        observer.accept(changes);
        for (ServiceEvent event : changes) {
            for (Watcher watcher : watchers) {
                watcher.offer(event);
            }
        }
        if (pendingGets.isEmpty()) {
            return;
        }
        for (PendingGet pending : pendingGets) {
            boolean relevant = changes.stream().anyMatch(e -> (e instanceof ServiceEvent.Registered
                    || e instanceof ServiceEvent.HealthChanged) && e.service().health() == Health.PASSING
                    && e.service().environment().equals(pending.environment())
                    && pending.range().matches(Roles.role(e.service().role(), e.service().version())));
            if (relevant) {
                List<Service> matches = index.query(pending.environment(), pending.range());
                if (!matches.isEmpty() && pendingGets.remove(pending)) {
                    completeLater(pending.future(), matches);
                }
            }
        }
    }

    /** Sets what sees every change first, before the subscriptions (the member's statistics). */
    void observe(Consumer<List<ServiceEvent>> changes) {
        this.observer = changes;
    }

    /** Returns how many {@code get} futures wait for a match. */
    int pendingGets() {
        return pendingGets.size();
    }

    /**
     * Fails every waiting {@code get} as closed, drops every subscription and
     * stops the listener pool, waiting (bounded) for it unless called from a listener.
     */
    void close() {
        closed = true;
        for (PendingGet pending : List.copyOf(pendingGets)) {
            pending.future().completeExceptionally(new IllegalStateException(closedMessage.get()));
        }
        watchers.clear();
        listeners.shutdown();
        if (!Thread.currentThread().getName().startsWith(listenerThreadPrefix())) {
            Threads.awaitTermination(listeners, memberName); // a listener that closes its Seaport must not wait for itself
        }
    }

    private void completeLater(CompletableFuture<List<Service>> future, List<Service> matches) {
        try {
            listeners.execute(() -> future.complete(matches));
        } catch (RejectedExecutionException e) {
            future.completeExceptionally(new IllegalStateException(closedMessage.get()));
        }
    }

    private String listenerThreadPrefix() {
        return "seaport-listener-" + memberName + "-";
    }
}
