package io.seaport.jgroups.internal;

import io.seaport.Role;
import io.seaport.SeaportException;
import io.seaport.spi.SeaportConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jgroups.Address;
import org.jgroups.View;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Both sides of port allocation: as a requester, finds the host's allocator (the oldest member
 * of the view advertising this host), asks it for a port or grants one locally, and checks that
 * the port binds here; as an allocator, answers other members' requests on its own thread
 * ({@code seaport-ports-<member>}).
 *
 * <p>Design note. A request is a unicast PORT_REQUEST answered by a PORT_GRANT with the same id.
 * An unanswered request fails with {@link TimeoutException} once {@link #REQUEST_MILLIS} have
 * passed on the injected {@link Ticker}: {@link #expireOverdue()}, called periodically by the
 * event loop, fails it; the requester then asks again (the allocator may have changed). Requests
 * to a member that left the view fail at once ({@link #viewChanged}). Thread-safe: the requests
 * are a concurrent map, {@link PortAllocator} serializes grants.
 */
final class PortRequests {
    private static final Logger LOG = LoggerFactory.getLogger(PortRequests.class);

    /** How long a requester waits for the allocator's answer before asking again. */
    static final long REQUEST_MILLIS = 5_000;
    /** How long {@link #allocate} tries in all. */
    static final long ALLOCATE_MILLIS = 30_000;
    /** How many grants {@link #allocate} asks for before giving up. */
    static final int MAX_ATTEMPTS = 20;
    /** The most port requests of other members waiting for an answer; more are dropped. */
    static final int MAX_QUEUED_REQUESTS = 1_024;

    private record Pending(Address target, long deadline, CompletableFuture<Integer> future) {
    }

    private final String memberName;
    private final String host;
    private final SeaportConfig config;
    private final Ticker ticker;
    private final Outbox outbox;
    private final PortAllocator allocator;
    private final Map<Address, String> hosts;
    private final Supplier<View> view;
    private final Supplier<Address> self;
    private final Runnable ensureOpen;
    private final ExecutorService answers;
    private final ConcurrentHashMap<Long, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();

    /**
     * @param hosts the advertised host of each member the replica knows; read lock-free
     * @param view the channel's current view, or null before it has one
     * @param ensureOpen throws {@link IllegalStateException} once the member is closed
     */
    PortRequests(String memberName, SeaportConfig config, Ticker ticker, Outbox outbox, PortAllocator allocator,
                 Map<Address, String> hosts, Supplier<View> view, Supplier<Address> self, Runnable ensureOpen) {
        this.memberName = memberName;
        this.host = config.effectiveHost();
        this.config = config;
        this.ticker = ticker;
        this.outbox = outbox;
        this.allocator = allocator;
        this.hosts = hosts;
        this.view = view;
        this.self = self;
        this.ensureOpen = ensureOpen;
        // Bounded: a flood of requests is dropped (logged), and its senders time out and ask again.
        this.answers = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(MAX_QUEUED_REQUESTS), Threads.named("seaport-ports-" + memberName, true),
                (task, executor) -> {
                    if (executor.isShutdown()) {
                        LOG.debug("{}: port request not answered, closing", memberName);
                    } else {
                        LOG.warn("{}: {} port requests are waiting already; dropping one", memberName,
                                MAX_QUEUED_REQUESTS);
                    }
                });
    }

    /**
     * Returns a port of this member's host, in the configured range, granted by the host's
     * allocator and bindable here now. Blocks the caller; never runs on the event thread.
     *
     * @throws SeaportException if the range has no free port or no port could be had in time
     * @throws IllegalStateException if the member closes meanwhile
     */
    int allocate(Role role) {
        InetAddress bind = bindInetAddress();
        long deadline = ticker.read() + TimeUnit.MILLISECONDS.toNanos(ALLOCATE_MILLIS);
        for (int attempt = 0; attempt < MAX_ATTEMPTS && ticker.read() - deadline < 0; attempt++) {
            ensureOpen.run();
            Address allocatorAddress = allocatorFor(host);
            int port;
            boolean local = allocatorAddress == null || allocatorAddress.equals(self.get());
            if (local) {
                port = allocator.grant(host, bind.getHostAddress(), config.portRangeFrom(), config.portRangeTo());
            } else {
                Integer granted = await(allocatorAddress, request(allocatorAddress, bind.getHostAddress()), deadline);
                if (granted == null) {
                    continue;
                }
                port = granted;
            }
            if (port == 0) {
                throw new SeaportException("no free port in " + config.portRangeFrom() + "-" + config.portRangeTo()
                        + " on host " + host + " for '" + role + "' (cluster '" + config.cluster() + "')");
            }
            // The allocator tested the port; test it here too, in case it is another JVM on this host.
            if (PortAllocator.canBind(bind, port)) {
                return port;
            }
            if (local) {
                allocator.release(host, port);
            }
            LOG.debug("{}: granted port {} cannot be bound here; asking again", memberName, port);
        }
        throw new SeaportException("could not allocate a port for '" + role + "' on host " + host + " within "
                + ALLOCATE_MILLIS + " ms (cluster '" + config.cluster() + "')");
    }

    /** Returns the oldest member of the view that advertises {@code advertisedHost}, or null if unknown. */
    Address allocatorFor(String advertisedHost) {
        View current = view.get();
        if (current == null) {
            return null;
        }
        Address me = self.get();
        for (Address member : current.getMembers()) {
            String memberHost = member.equals(me) ? host : hosts.get(member);
            if (advertisedHost.equals(memberHost)) {
                return member;
            }
        }
        return null;
    }

    /**
     * Sends a port request to {@code target} for ports that bind on {@code bindLiteral} (an IP
     * literal, so the allocator need not resolve it); the future completes with its grant (0: none free),
     * or fails when {@link #REQUEST_MILLIS} pass, the target leaves or the member closes.
     *
     * @throws SeaportException if the request cannot be sent
     */
    CompletableFuture<Integer> request(Address target, String bindLiteral) {
        long id = ids.incrementAndGet();
        CompletableFuture<Integer> future = new CompletableFuture<>();
        pending.put(id, new Pending(target, ticker.read() + TimeUnit.MILLISECONDS.toNanos(REQUEST_MILLIS), future));
        future.whenComplete((port, failure) -> pending.remove(id));
        try {
            outbox.send(target, WireCodec.encode(new WireMessage.PortRequest(id, host, bindLiteral,
                    config.portRangeFrom(), config.portRangeTo())));
        } catch (RuntimeException e) {
            future.cancel(false);
            throw e;
        }
        return future;
    }

    /** Completes the request {@code grant} answers, if it is still waiting and {@code sender} was asked. */
    void granted(Address sender, WireMessage.PortGrant grant) {
        Pending request = pending.get(grant.requestId());
        if (request != null && request.target().equals(sender)) {
            request.future().complete(grant.port());
        }
    }

    /** Fails every request whose answer is overdue; called periodically. */
    void expireOverdue() {
        long now = ticker.read();
        for (Pending request : pending.values()) {
            if (now - request.deadline() >= 0) {
                request.future().completeExceptionally(new TimeoutException(
                        "port allocator " + request.target() + " did not answer within " + REQUEST_MILLIS + " ms"));
            }
        }
    }

    /** Fails the requests to members that are not in {@code current}. */
    void viewChanged(View current) {
        for (Pending request : pending.values()) {
            if (!current.containsMember(request.target())) {
                request.future().completeExceptionally(new SeaportException("allocator " + request.target() + " left"));
            }
        }
    }

    /** Answers {@code request} of {@code requester} on the allocation thread. */
    void answerLater(Address requester, WireMessage.PortRequest request) {
        try {
            answers.execute(() -> {
                try {
                    answer(requester, request);
                } catch (RuntimeException e) {
                    LOG.error("{}: internal task failed", memberName, e);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("{}: task dropped, closing", memberName, e);
        }
    }

    /** Stops answering; the allocation thread is interrupted. */
    void shutdown() {
        answers.shutdownNow();
    }

    /** Fails every waiting request with {@code closedMessage} and waits (bounded) for the allocation thread. */
    void close(String closedMessage) {
        for (Pending request : pending.values()) {
            request.future().completeExceptionally(new IllegalStateException(closedMessage));
        }
        Threads.awaitTermination(answers, memberName);
    }

    private void answer(Address requester, WireMessage.PortRequest request) {
        int port = request.from() <= request.to()
                ? allocator.grant(request.host(), request.bindAddress(), request.from(), request.to())
                : 0;
        try {
            outbox.send(requester, WireCodec.encode(new WireMessage.PortGrant(request.requestId(), port)));
        } catch (RuntimeException e) {
            LOG.warn("{}: cannot answer the port request of {}", memberName, requester, e);
        }
    }

    /** Waits for a request's answer until {@code deadline}; null means ask again. */
    private Integer await(Address target, CompletableFuture<Integer> future, long deadline) {
        try {
            long wait = TimeUnit.NANOSECONDS.toMillis(deadline - ticker.read());
            return future.get(Math.max(1, wait), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warn("{}: port allocator {} did not answer in time; asking again", memberName, target);
            return null;
        } catch (ExecutionException e) {
            ensureOpen.run();
            if (e.getCause() instanceof TimeoutException timeout) {
                LOG.warn("{}: {}; asking again", memberName, timeout.getMessage());
            } else {
                LOG.debug("{}: port request to {} failed; asking again", memberName, target, e.getCause());
            }
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SeaportException("interrupted while waiting for a port from " + target, e);
        } finally {
            future.cancel(false);
        }
    }

    private InetAddress bindInetAddress() {
        try {
            return InetAddress.getByName(config.effectiveBindAddress());
        } catch (UnknownHostException e) {
            throw new SeaportException("cannot resolve bind address '" + config.effectiveBindAddress() + "'", e);
        }
    }
}
