package io.seaport.jgroups.internal;

import io.seaport.ServiceEvent;
import io.seaport.Subscription;
import io.seaport.RoleRange;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code watch} subscription: its own ordered queue of events, drained by at most one pool
 * thread at a time. So a listener sees its events in order, and a slow or throwing listener
 * delays only itself.
 *
 * <p>Policy for a listener that does not keep up (or never returns): its queue holds at most
 * {@link #MAX_QUEUED} events. One more, and the subscription is closed (its queued events are
 * dropped) with an error logged that names it: memory stays bounded, the registry and every
 * other subscription carry on, and the owner can subscribe again. Thread-safe; {@link #offer}
 * is called by the event thread only.
 */
final class Watcher implements Subscription {
    private static final Logger LOG = LoggerFactory.getLogger(Watcher.class);

    /** The most events waiting for one listener; one more closes the subscription. */
    static final int MAX_QUEUED = 100_000;

    private final String environment;
    private final RoleRange range; // null: every role
    private final Consumer<ServiceEvent> listener;
    private final Executor executor;
    private final Consumer<Watcher> onClose;
    private final ConcurrentLinkedQueue<ServiceEvent> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicInteger queued = new AtomicInteger();
    private volatile boolean closed;

    Watcher(String environment, RoleRange range, Consumer<ServiceEvent> listener, Executor executor,
            Consumer<Watcher> onClose) {
        this.environment = environment;
        this.range = range;
        this.listener = listener;
        this.executor = executor;
        this.onClose = onClose;
    }

    /** Queues {@code event} if it is of this subscription's environment and range; event thread. */
    void offer(ServiceEvent event) {
        // The name first: with many watchers, most events are rejected without looking at versions.
        if (closed || !event.service().environment().equals(environment) || (range != null
                && (!range.name().equals(event.service().role())
                        || !range.matches(Roles.role(event.service().role(), event.service().version()))))) {
            return;
        }
        if (queued.incrementAndGet() > MAX_QUEUED) {
            LOG.error("listener of {} has {} events waiting and is not taking them (blocked?); closing its "
                    + "subscription so that memory stays bounded", this, MAX_QUEUED);
            close();
            return;
        }
        queue.add(event);
        schedule();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            queue.clear();
            onClose.accept(this);
        }
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            try {
                executor.execute(this::drain);
            } catch (RejectedExecutionException e) {
                scheduled.set(false);
                LOG.debug("listener of {} not called: Seaport is closing", this, e);
            }
        }
    }

    private void drain() {
        ServiceEvent event;
        while (!closed && (event = queue.poll()) != null) {
            queued.decrementAndGet();
            try {
                listener.accept(event);
            } catch (Throwable e) { // a listener's failure must not stop its later events
                if (e instanceof VirtualMachineError fatal) {
                    throw fatal;
                }
                LOG.warn("listener of {} threw on {}; it keeps receiving events", this, event, e);
            }
        }
        scheduled.set(false);
        // An event queued after the loop ended but before the flag was cleared would be stranded.
        if (!closed && !queue.isEmpty()) {
            schedule();
        }
    }

    @Override
    public String toString() {
        return "watch(" + (range == null ? "every role" : range) + " in " + environment + ")";
    }
}
