package io.seaport.jgroups.internal;

import io.seaport.PortStarter;
import io.seaport.ReadyStarter;
import io.seaport.Registration;
import io.seaport.Seaport;
import io.seaport.SeaportException;
import io.seaport.Service;
import io.seaport.ServiceEvent;
import io.seaport.Subscription;
import io.seaport.Role;
import io.seaport.RoleRange;
import io.seaport.spi.SeaportConfig;
import io.seaport.internal.ServiceIds;
import java.net.BindException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jgroups.Address;
import org.jgroups.BytesMessage;
import org.jgroups.JChannel;
import org.jgroups.MergeView;
import org.jgroups.Message;
import org.jgroups.Receiver;
import org.jgroups.View;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Seaport member over one JChannel.
 *
 * <p>Design note. Threads: JGroups callbacks only decode and enqueue. One event thread
 * ({@code seaport-events-*}) applies every change to the {@link Replica} in arrival order and hands
 * events to the per-subscription queues of {@link Watcher}s; a listener pool
 * ({@code seaport-listener-*}) runs user listeners and completes {@code get} futures; an allocation
 * thread ({@code seaport-ports-*}) answers other members' port requests when this member is its
 * host's allocator. Reads ({@link #query}) go to the lock-free {@link ServiceIndex}.
 *
 * <p>Own changes are made under {@code ownLock}: the sequence number is taken, the change is
 * multicast, and it is queued for the local replica, all in one order, so a snapshot (also taken
 * under the lock) is always consistent with the sequence number it carries. The caller then waits
 * for the local replica to have applied the change, so a query right after {@code register}
 * returns sees it.
 *
 * <p>Views: on each view (event thread) owners no longer in it are dropped (MEMBER_LEFT). After a
 * merge, every member multicasts a snapshot of its own entries. A joiner multicasts a snapshot
 * request once admitted, every member answers with a multicast snapshot, and {@code join} returns
 * once a snapshot from every member of the view has been applied. A periodic check asks again any
 * member whose snapshot is overdue (a multicast can be lost to a member being admitted).
 */
final class JGroupsSeaport implements Seaport, Receiver {
    private static final Logger LOG = LoggerFactory.getLogger(JGroupsSeaport.class);
    private static final long JOIN_WAIT_MILLIS = 15_000;
    private static final long PORT_REQUEST_MILLIS = 5_000;
    private static final long ALLOCATE_MILLIS = 30_000;
    private static final long LOCAL_APPLY_MILLIS = 30_000;
    private static final long CLOSE_WAIT_MILLIS = 5_000;
    private static final int MAX_PORT_ATTEMPTS = 20;
    private static final int MAX_BIND_ATTEMPTS = 3;
    private static final long SNAPSHOT_CHECK_MILLIS = 250;
    private static final long SNAPSHOT_RETRY_MILLIS = 1_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private record PendingGet(String environment, RoleRange range, CompletableFuture<List<Service>> future) {
    }

    private record PortRequestState(Address target, CompletableFuture<Integer> future) {
    }

    private final SeaportConfig config;
    private final String host;
    private final String memberName;
    private final long incarnation;
    private final JChannel channel;
    private final ServiceIndex index = new ServiceIndex();
    private final PortBook ports = new PortBook();
    private final Replica replica = new Replica(index, ports);
    private final PortAllocator allocator = new PortAllocator(ports, System::currentTimeMillis);
    private final ScheduledExecutorService events;
    private final ExecutorService listeners;
    private final ExecutorService allocations;
    private final CopyOnWriteArrayList<Watcher> watchers = new CopyOnWriteArrayList<>();
    private final Set<PendingGet> pendingGets = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<Long, PortRequestState> portRequests = new ConcurrentHashMap<>();
    private final AtomicLong requestIds = new AtomicLong();
    private final CompletableFuture<Void> joined = new CompletableFuture<>();
    private final Object ownLock = new Object();
    private final Map<String, Entry> ownEntries = new LinkedHashMap<>(); // guarded by ownLock
    private long ownSeq; // guarded by ownLock
    private volatile boolean closed;
    private volatile Thread eventThread;
    private volatile Address selfAddress;
    private volatile String missingSnapshots = "";
    private List<Address> members = List.of(); // event thread: the last view applied
    private final Map<Address, long[]> snapshotWaits = new HashMap<>(); // event thread: {missing since, last asked}

    private JGroupsSeaport(SeaportConfig config, JChannel channel, String memberName) {
        this.config = config;
        this.host = config.effectiveHost();
        this.memberName = memberName;
        this.incarnation = (System.currentTimeMillis() << 12) | RANDOM.nextInt(1 << 12);
        this.channel = channel;
        ScheduledThreadPoolExecutor eventExecutor =
                new ScheduledThreadPoolExecutor(1, threads("seaport-events-" + memberName, true));
        eventExecutor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        eventExecutor.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
        this.events = eventExecutor;
        this.listeners = Executors.newCachedThreadPool(threads(listenerThreadPrefix(), false));
        this.allocations = Executors.newSingleThreadExecutor(threads("seaport-ports-" + memberName, true));
    }

    /** Returns a member of {@code config}'s cluster, joined and with a complete replica. */
    static JGroupsSeaport join(SeaportConfig config) {
        String name = memberName(config.effectiveHost());
        JChannel channel = StackFactory.create(config);
        JGroupsSeaport seaport = new JGroupsSeaport(config, channel, name);
        seaport.connect();
        return seaport;
    }

    private void connect() {
        events.scheduleWithFixedDelay(() -> {
            try {
                requestMissingSnapshots();
            } catch (RuntimeException e) {
                LOG.error("{}: asking for missing snapshots failed", memberName, e);
            }
        }, SNAPSHOT_CHECK_MILLIS, SNAPSHOT_CHECK_MILLIS, TimeUnit.MILLISECONDS);
        try {
            channel.setName(memberName);
            channel.setReceiver(this);
            channel.connect(config.cluster());
        } catch (Exception e) {
            shutdown();
            throw new SeaportException("cannot join cluster '" + config.cluster() + "' over "
                    + StackFactory.describe(config), e);
        }
        View view = channel.getView();
        if (view != null && view.size() > 1) {
            // Members send nothing on their own when someone joins: a multicast sent while the joiner
            // is being admitted can be lost to it. Asked now, they answer after it is admitted.
            try {
                multicast(WireCodec.encode(new WireMessage.SnapshotRequest()), false);
            } catch (RuntimeException e) {
                LOG.debug("{}: cannot ask for snapshots yet; asking each member shortly", memberName, e);
            }
        }
        try {
            joined.get(JOIN_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warn("{} joined cluster '{}' but after {} ms still has no snapshot from {}; their registrations "
                    + "will appear when they answer", memberName, config.cluster(), JOIN_WAIT_MILLIS, missingSnapshots);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new SeaportException("interrupted while joining cluster '" + config.cluster() + "'", e);
        } catch (ExecutionException e) {
            close();
            throw new SeaportException("cannot join cluster '" + config.cluster() + "'", e.getCause());
        }
        LOG.info("{} joined cluster '{}' (environment '{}', host {}, {}): view {}", memberName, config.cluster(),
                config.environment(), host, StackFactory.describe(config), channel.getView());
    }

    // ---- the public API

    @Override
    public String cluster() {
        ensureOpen();
        return config.cluster();
    }

    @Override
    public String environment() {
        ensureOpen();
        return config.environment();
    }

    @Override
    public String member() {
        ensureOpen();
        return memberName;
    }

    @Override
    public Registration service(String role, PortStarter starter) {
        Objects.requireNonNull(starter, "starter");
        LocalRegistration registration = start(parseRole(role), r -> starter.start(r.port()));
        registration.ready();
        return registration;
    }

    @Override
    public Registration service(String role, ReadyStarter starter) {
        Objects.requireNonNull(starter, "starter");
        return start(parseRole(role), r -> starter.start(r.port(), r::ready));
    }

    /** Runs a starter on a freshly reserved port. */
    @FunctionalInterface
    private interface Start {
        void run(LocalRegistration registration) throws Exception;
    }

    /**
     * Reserves a port for {@code role} and runs {@code start} on it; on failure releases the port.
     * A port is bindable when it is handed out, but a process outside this cluster (or, during a
     * split, a member on the other side) may take it before the starter binds it: a starter that
     * fails with {@link BindException} is run again on another port, a few times.
     */
    private LocalRegistration start(Role role, Start start) {
        for (int attempt = 1; ; attempt++) {
            LocalRegistration registration = reserve(role);
            boolean started = false;
            try {
                start.run(registration);
                started = true;
                return registration;
            } catch (Exception e) {
                if (causedByBind(e) && attempt < MAX_BIND_ATTEMPTS) {
                    LOG.info("{}: port {} for '{}' was taken before its starter bound it ({}); trying another port",
                            memberName, registration.port(), role, e.toString());
                    continue;
                }
                throw new SeaportException("starter of '" + role + "' failed on port " + registration.port()
                        + "; the port is released and nothing was published", e);
            } finally {
                if (!started) {
                    registration.close();
                }
            }
        }
    }

    private static boolean causedByBind(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof BindException) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Registration allocate(String role) {
        return reserve(parseRole(role));
    }

    @Override
    public Registration register(String role, int port, Map<String, String> metadata) {
        Role parsed = parseRole(role);
        Validation.checkPort(port);
        Map<String, String> checked = Validation.checkMetadata(metadata);
        if (ports.isAllocated(host, port)) {
            throw new IllegalArgumentException("port " + port + " of host " + host + " is reserved by another "
                    + "registration of cluster '" + config.cluster() + "' (handed out by service() or allocate()); "
                    + "register a port your service listens on and no one allocated");
        }
        Entry entry = new Entry(ServiceIds.next(), config.environment(), parsed.name(), parsed.version(), host, port,
                checked, true, false);
        ownPut(entry);
        return new LocalRegistration(this, entry, true);
    }

    @Override
    public List<Service> query(String environment, String range) {
        ensureOpen();
        String env = Validation.checkEnvironment(environment);
        return index.query(env, Roles.range(Objects.requireNonNull(range, "range")));
    }

    @Override
    public CompletableFuture<List<Service>> get(String range) {
        ensureOpen();
        RoleRange parsed = Roles.range(Objects.requireNonNull(range, "range"));
        CompletableFuture<List<Service>> future = new CompletableFuture<>();
        PendingGet pending = new PendingGet(config.environment(), parsed, future);
        pendingGets.add(pending);
        // A cancelled or timed-out future is forgotten at once.
        future.whenComplete((result, failure) -> pendingGets.remove(pending));
        runOnEvents(() -> {
            if (pendingGets.contains(pending)) {
                List<Service> matches = index.query(pending.environment(), parsed);
                if (!matches.isEmpty() && pendingGets.remove(pending)) {
                    completeLater(future, matches);
                }
            }
        });
        return future;
    }

    @Override
    public List<Service> services(String environment) {
        ensureOpen();
        return index.services(Validation.checkEnvironment(environment));
    }

    @Override
    public Subscription watch(String range, Consumer<ServiceEvent> listener) {
        ensureOpen();
        return subscribe(Roles.range(Objects.requireNonNull(range, "range")), listener);
    }

    @Override
    public Subscription watchAll(Consumer<ServiceEvent> listener) {
        ensureOpen();
        return subscribe(null, listener);
    }

    /** Subscribes {@code listener} to {@code range}, or to every role if it is null. */
    private Subscription subscribe(RoleRange range, Consumer<ServiceEvent> listener) {
        Objects.requireNonNull(listener, "listener");
        Watcher watcher = new Watcher(config.environment(), range, listener, listeners, watchers::remove);
        // Subscribing on the event thread puts the current matches before every later change.
        await(onEvents(() -> {
            List<Service> current = range == null
                    ? index.services(config.environment()) : index.query(config.environment(), range);
            for (Service service : current) {
                watcher.offer(new ServiceEvent.Registered(service));
            }
            watchers.add(watcher);
        }), "subscribe to " + watcher);
        return watcher;
    }

    @Override
    public void close() {
        synchronized (ownLock) {
            if (closed) {
                return;
            }
            closed = true;
            List<String> ids = List.copyOf(ownEntries.keySet());
            ownEntries.clear();
            if (!ids.isEmpty()) {
                WireMessage.Owner owner = owner(++ownSeq);
                try {
                    // RSVP: wait (briefly) until peers have the FREE, so they see Freed(FREED), not MEMBER_LEFT.
                    if (channel.isConnected()) {
                        multicast(WireCodec.encode(new WireMessage.Free(owner, ids)), true);
                    }
                } catch (RuntimeException e) {
                    LOG.warn("{} could not tell the cluster that it frees {} registrations; peers will drop them "
                            + "when it leaves the view", memberName, ids.size(), e);
                }
                Address self = self();
                onEvents(() -> afterChange(replica.free(self, owner, ids)));
            }
        }
        shutdown();
        LOG.info("{} left cluster '{}'", memberName, config.cluster());
    }

    private void shutdown() {
        closed = true;
        try {
            channel.close();
        } catch (RuntimeException e) {
            LOG.warn("{}: closing the JGroups channel failed", memberName, e);
        }
        events.shutdown();
        allocations.shutdownNow();
        awaitTermination(events);
        for (PortRequestState request : portRequests.values()) {
            request.future().completeExceptionally(new IllegalStateException(closedMessage()));
        }
        for (PendingGet pending : List.copyOf(pendingGets)) {
            pending.future().completeExceptionally(new IllegalStateException(closedMessage()));
        }
        watchers.clear();
        listeners.shutdown();
        if (!Thread.currentThread().getName().startsWith(listenerThreadPrefix())) {
            awaitTermination(listeners); // a listener that closes its Seaport must not wait for itself
        }
        awaitTermination(allocations);
    }

    private void awaitTermination(ExecutorService executor) {
        try {
            if (!executor.awaitTermination(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                LOG.warn("{}: threads still busy {} ms after close (a blocked listener?); interrupting them",
                        memberName, CLOSE_WAIT_MILLIS);
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            executor.shutdownNow();
        }
    }

    /** Returns the member, its view and its published services, for failure messages. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("Seaport[").append(memberName).append(" of '").append(config.cluster())
                .append("' env '").append(config.environment()).append("'").append(closed ? " CLOSED" : "")
                .append("] view ").append(channel.getView()).append(", ").append(index.all().size())
                .append(" published:");
        for (Service service : index.all()) {
            out.append("\n    ").append(service.roleAtVersion()).append(' ').append(service.address())
                    .append(" id=").append(service.id()).append(" member=").append(service.member())
                    .append(" env=").append(service.environment());
        }
        return out.toString();
    }

    // ---- package-private seams for tests and registrations

    /** Returns how many {@code get} futures wait for a match. */
    int pendingGets() {
        return pendingGets.size();
    }

    /** Returns every published service of every environment; for tests and diagnostics. */
    List<Service> published() {
        return index.all();
    }

    /** Returns the ports the replica holds; for tests. */
    PortBook ports() {
        return ports;
    }

    /** Returns the channel; tests insert protocols to split the cluster. */
    JChannel channel() {
        return channel;
    }

    void ensureOpen() {
        if (closed) {
            throw new IllegalStateException(closedMessage());
        }
    }

    /** Publishes or replaces one of this member's entries and waits until the local replica has it. */
    void ownPut(Entry entry) {
        CompletableFuture<Void> applied;
        synchronized (ownLock) {
            ensureOpen();
            if (!ownEntries.containsKey(entry.id()) && ownEntries.size() >= WireCodec.Limits.MEMBER_ENTRIES) {
                throw new SeaportException(memberName + " already holds " + ownEntries.size()
                        + " registrations, the most one member may hold; close some before adding '"
                        + entry.role() + "@" + entry.version() + "'");
            }
            WireMessage.Owner owner = owner(ownSeq + 1);
            multicast(WireCodec.encode(new WireMessage.Put(owner, entry)), false);
            ownSeq++;
            ownEntries.put(entry.id(), entry);
            Address self = self();
            applied = onEvents(() -> afterChange(replica.put(self, owner, entry)));
        }
        await(applied, "publish " + entry.role() + "@" + entry.version());
    }

    /** Frees one of this member's entries, if this member is still open. */
    void ownFree(String id) {
        CompletableFuture<Void> applied;
        synchronized (ownLock) {
            if (closed || !ownEntries.containsKey(id)) {
                return; // close() freed it already
            }
            WireMessage.Owner owner = owner(ownSeq + 1);
            multicast(WireCodec.encode(new WireMessage.Free(owner, List.of(id))), false);
            ownSeq++;
            ownEntries.remove(id);
            Address self = self();
            applied = onEvents(() -> afterChange(replica.free(self, owner, List.of(id))));
        }
        await(applied, "free " + id);
    }

    String memberName() {
        return memberName;
    }

    // ---- JGroups callbacks: decode and enqueue only

    @Override
    public void receive(Message message) {
        Address sender = message.getSrc();
        if (sender == null || sender.equals(self())) {
            return; // our own multicast, already applied locally
        }
        WireMessage decoded;
        try {
            if (!message.hasArray()) {
                throw new WireFormatException("not a byte message: " + message.getClass().getSimpleName());
            }
            decoded = WireCodec.decode(message.getArray(), message.getOffset(), message.getLength());
        } catch (WireFormatException e) {
            LOG.warn("{} dropped a malformed message from {}: {}", memberName, sender, e.getMessage());
            return;
        }
        if (decoded instanceof WireMessage.PortRequest request) {
            runOn(allocations, () -> answer(sender, request));
        } else if (decoded instanceof WireMessage.SnapshotRequest) {
            runOnEvents(() -> {
                LOG.debug("{} sends its snapshot again, asked by {}", memberName, sender);
                sendSnapshot();
            });
        } else if (decoded instanceof WireMessage.PortGrant grant) {
            PortRequestState state = portRequests.get(grant.requestId());
            if (state != null && state.target().equals(sender)) {
                state.future().complete(grant.port());
            }
        } else {
            runOnEvents(() -> applyOwnerMessage(sender, decoded));
        }
    }

    @Override
    public void viewAccepted(View view) {
        runOnEvents(() -> applyView(view));
    }

    // ---- the event thread

    private void applyOwnerMessage(Address sender, WireMessage message) {
        View latest = channel.getView();
        if (!members.contains(sender) && (latest == null || !latest.containsMember(sender))) {
            LOG.debug("{} ignored a message from {}, not a member", memberName, sender);
            return;
        }
        if (message instanceof WireMessage.Put put) {
            afterChange(replica.put(sender, put.owner(), put.entry()));
        } else if (message instanceof WireMessage.Free free) {
            afterChange(replica.free(sender, free.owner(), free.ids()));
        } else if (message instanceof WireMessage.Snapshot snapshot) {
            afterChange(replica.snapshot(sender, snapshot.owner(), snapshot.entries()));
        }
        checkJoined();
    }

    private void applyView(View view) {
        Address self = self();
        List<Address> previous = members;
        members = view.getMembers();
        View latest = channel.getView();
        for (Address owner : replica.owners()) {
            // An owner missing from this view but present in a newer one is alive: keep it.
            if (!owner.equals(self) && !view.containsMember(owner)
                    && (latest == null || !latest.containsMember(owner))) {
                afterChange(replica.drop(owner));
            }
        }
        for (PortRequestState request : portRequests.values()) {
            if (!view.containsMember(request.target())) {
                request.future().completeExceptionally(new SeaportException("allocator " + request.target() + " left"));
            }
        }
        if (view instanceof MergeView) {
            // After a partition each side may have missed the other's changes: everyone re-announces.
            for (Address member : members) {
                if (!member.equals(self) && !previous.contains(member)) {
                    replica.expectSnapshot(member);
                }
            }
            sendSnapshot();
        }
        snapshotWaits.keySet().retainAll(members);
        LOG.debug("{} applied view {}", memberName, view);
        checkJoined();
    }

    /**
     * Asks members whose snapshot is overdue to send it again. A multicast sent while a joiner is
     * being admitted can be lost to it for good (the joiner's digest starts after it), so the
     * proactive snapshot alone is not enough.
     */
    private void requestMissingSnapshots() {
        long now = System.nanoTime();
        Address self = self();
        for (Address member : members) {
            if (member.equals(self) || replica.hasSnapshot(member)) {
                snapshotWaits.remove(member);
                continue;
            }
            long[] wait = snapshotWaits.computeIfAbsent(member, m -> new long[] {now, 0});
            boolean overdue = now - wait[0] >= TimeUnit.MILLISECONDS.toNanos(SNAPSHOT_CHECK_MILLIS);
            boolean askedLongAgo = wait[1] == 0 || now - wait[1] >= TimeUnit.MILLISECONDS.toNanos(SNAPSHOT_RETRY_MILLIS);
            if (overdue && askedLongAgo) {
                wait[1] = now;
                try {
                    send(member, WireCodec.encode(new WireMessage.SnapshotRequest()));
                } catch (RuntimeException e) {
                    LOG.debug("{}: cannot ask {} for its snapshot", memberName, member, e);
                }
            }
        }
    }

    private void sendSnapshot() {
        synchronized (ownLock) {
            if (closed) {
                return;
            }
            try {
                multicast(WireCodec.encode(new WireMessage.Snapshot(owner(ownSeq), List.copyOf(ownEntries.values()))),
                        false);
            } catch (RuntimeException e) {
                LOG.warn("{} could not send its snapshot; peers miss its registrations until the next view",
                        memberName, e);
            }
        }
    }

    private void afterChange(List<ServiceEvent> changes) {
        if (changes.isEmpty()) {
            return;
        }
        for (ServiceEvent event : changes) {
            for (Watcher watcher : watchers) {
                watcher.offer(event);
            }
        }
        if (pendingGets.isEmpty()) {
            return;
        }
        for (PendingGet pending : pendingGets) {
            boolean relevant = changes.stream().anyMatch(e -> e instanceof ServiceEvent.Registered
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

    private void checkJoined() {
        if (joined.isDone() || members.isEmpty()) {
            return;
        }
        Address self = self();
        List<Address> missing = new ArrayList<>();
        for (Address member : members) {
            if (!member.equals(self) && !replica.hasSnapshot(member)) {
                missing.add(member);
            }
        }
        missingSnapshots = missing.toString();
        if (missing.isEmpty()) {
            joined.complete(null);
        }
    }

    // ---- port allocation

    private LocalRegistration reserve(Role role) {
        ensureOpen();
        int port = allocatePort(role);
        Entry entry = new Entry(ServiceIds.next(), config.environment(), role.name(), role.version(), host, port,
                Map.of(), false, true);
        ownPut(entry);
        return new LocalRegistration(this, entry, false);
    }

    private int allocatePort(Role role) {
        InetAddress bind = bindInetAddress();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ALLOCATE_MILLIS);
        for (int attempt = 0; attempt < MAX_PORT_ATTEMPTS && System.nanoTime() - deadline < 0; attempt++) {
            ensureOpen();
            Address allocatorAddress = allocatorFor(host);
            int port;
            boolean local = allocatorAddress == null || allocatorAddress.equals(self());
            if (local) {
                port = allocator.grant(host, config.effectiveBindAddress(), config.portRangeFrom(), config.portRangeTo());
            } else {
                Integer granted = requestPort(allocatorAddress, deadline);
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

    private InetAddress bindInetAddress() {
        try {
            return InetAddress.getByName(config.effectiveBindAddress());
        } catch (UnknownHostException e) {
            throw new SeaportException("cannot resolve bind address '" + config.effectiveBindAddress() + "'", e);
        }
    }

    /** Returns the oldest member of the view that advertises {@code host}, or null if unknown. */
    private Address allocatorFor(String advertisedHost) {
        View view = channel.getView();
        Address self = self();
        if (view == null) {
            return null;
        }
        Map<Address, String> hosts = replica.hosts();
        for (Address member : view.getMembers()) {
            String memberHost = member.equals(self) ? host : hosts.get(member);
            if (advertisedHost.equals(memberHost)) {
                return member;
            }
        }
        return null;
    }

    private Integer requestPort(Address target, long deadline) {
        long id = requestIds.incrementAndGet();
        PortRequestState state = new PortRequestState(target, new CompletableFuture<>());
        portRequests.put(id, state);
        try {
            send(target, WireCodec.encode(new WireMessage.PortRequest(id, host, config.effectiveBindAddress(),
                    config.portRangeFrom(), config.portRangeTo())));
            long wait = Math.min(PORT_REQUEST_MILLIS, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
            return state.future().get(Math.max(1, wait), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warn("{}: port allocator {} did not answer within {} ms; asking again", memberName, target,
                    PORT_REQUEST_MILLIS);
            return null;
        } catch (ExecutionException e) {
            ensureOpen();
            LOG.debug("{}: port request to {} failed; asking again", memberName, target, e.getCause());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SeaportException("interrupted while waiting for a port from " + target, e);
        } finally {
            portRequests.remove(id);
        }
    }

    private void answer(Address requester, WireMessage.PortRequest request) {
        int port = request.from() <= request.to()
                ? allocator.grant(request.host(), request.bindAddress(), request.from(), request.to())
                : 0;
        try {
            send(requester, WireCodec.encode(new WireMessage.PortGrant(request.requestId(), port)));
        } catch (RuntimeException e) {
            LOG.warn("{}: cannot answer the port request of {}", memberName, requester, e);
        }
    }

    // ---- helpers

    /** Returns this member's address, kept once known: a closed channel forgets it. */
    private Address self() {
        Address address = selfAddress;
        if (address == null) {
            address = channel.getAddress();
            selfAddress = address;
        }
        return address;
    }

    private WireMessage.Owner owner(long seq) {
        return new WireMessage.Owner(incarnation, seq, memberName, host);
    }

    private void multicast(byte[] bytes, boolean rsvp) {
        Message message = new BytesMessage(null, bytes);
        if (rsvp) {
            message.setFlag(Message.Flag.RSVP);
        }
        try {
            channel.send(message);
        } catch (Exception e) {
            throw new SeaportException("cannot send to cluster '" + config.cluster() + "'", e);
        }
    }

    private void send(Address target, byte[] bytes) {
        try {
            channel.send(new BytesMessage(target, bytes));
        } catch (Exception e) {
            throw new SeaportException("cannot send to " + target + " of cluster '" + config.cluster() + "'", e);
        }
    }

    private void completeLater(CompletableFuture<List<Service>> future, List<Service> matches) {
        try {
            listeners.execute(() -> future.complete(matches));
        } catch (RejectedExecutionException e) {
            future.completeExceptionally(new IllegalStateException(closedMessage()));
        }
    }

    private void runOnEvents(Runnable task) {
        runOn(events, task);
    }

    private void runOn(ExecutorService executor, Runnable task) {
        try {
            executor.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.error("{}: internal task failed", memberName, e);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("{}: task dropped, closing", memberName, e);
        }
    }

    /** Runs {@code task} on the event thread (inline if already there); the future completes after it. */
    private CompletableFuture<Void> onEvents(Runnable task) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (Thread.currentThread() == eventThread) {
            task.run();
            done.complete(null);
            return done;
        }
        try {
            events.execute(() -> {
                try {
                    task.run();
                    done.complete(null);
                } catch (RuntimeException e) {
                    LOG.error("{}: internal task failed", memberName, e);
                    done.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            done.completeExceptionally(new IllegalStateException(closedMessage(), e));
        }
        return done;
    }

    private void await(CompletableFuture<Void> future, String what) {
        try {
            future.get(LOCAL_APPLY_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SeaportException("interrupted while waiting to " + what, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IllegalStateException closedNow) {
                throw closedNow;
            }
            throw new SeaportException("failed to " + what, e.getCause());
        } catch (TimeoutException e) {
            throw new SeaportException("timed out after " + LOCAL_APPLY_MILLIS + " ms waiting to " + what, e);
        }
    }

    private Role parseRole(String role) {
        ensureOpen();
        return Roles.role(Objects.requireNonNull(role, "role"));
    }

    private String listenerThreadPrefix() {
        return "seaport-listener-" + memberName + "-";
    }

    private String closedMessage() {
        return "Seaport member " + memberName + " of cluster '" + config.cluster() + "' is closed";
    }

    private ThreadFactory threads(String name, boolean single) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, single ? name : name + count.incrementAndGet());
            thread.setDaemon(true);
            if (single && name.startsWith("seaport-events-")) {
                eventThread = thread;
            }
            return thread;
        };
    }

    private static String memberName(String host) {
        String alphabet = "abcdefghijkmnpqrstuvwxyz23456789";
        StringBuilder suffix = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            suffix.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return host + "-" + ProcessHandle.current().pid() + "-" + suffix;
    }
}
