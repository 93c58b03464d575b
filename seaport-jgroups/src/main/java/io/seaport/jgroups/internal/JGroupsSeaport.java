package io.seaport.jgroups.internal;

import io.seaport.Health;
import io.seaport.PortStarter;
import io.seaport.ReadyStarter;
import io.seaport.Registration;
import io.seaport.Role;
import io.seaport.RoleRange;
import io.seaport.Seaport;
import io.seaport.SeaportException;
import io.seaport.SeaportStatistics;
import io.seaport.Service;
import io.seaport.ServiceEvent;
import io.seaport.Subscription;
import io.seaport.internal.Limits;
import io.seaport.internal.ServiceIds;
import io.seaport.spi.SeaportConfig;
import java.net.BindException;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.jgroups.Address;
import org.jgroups.JChannel;
import org.jgroups.MergeView;
import org.jgroups.Message;
import org.jgroups.Receiver;
import org.jgroups.View;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Seaport member over one JChannel: the {@link Seaport} API and the JGroups {@link Receiver},
 * delegating to one helper per concern.
 *
 * <p>Design note. {@link EventLoop}: the single event thread that applies every change to the
 * {@link Replica} in arrival order; JGroups callbacks only decode and enqueue there.
 * {@link OwnChanges}: this member's entries and its numbered stream of PUT/FREE/SNAPSHOT.
 * {@link SnapshotSync}: who still owes this member a snapshot, re-asking, and join completion.
 * {@link PortRequests}: the port allocator's protocol, both sides. {@link Subscriptions}: watchers
 * and pending {@code get}s, fed after each change. Reads ({@link #query}) go to the lock-free
 * {@link ServiceIndex}. {@link HealthChecks}: this member's checks, on their own scheduler; a
 * change of health is one HEALTH message in the owner's stream. Timing rules read the injected
 * {@link Ticker}.
 *
 * <p>Views: on each view (event thread) owners no longer in it are dropped (MEMBER_LEFT). A joiner
 * multicasts a snapshot request once admitted; after a merge, every member asks each member that
 * came back. Every member answers a request by unicast to the asker ({@link SnapshotSender}, in
 * parts when large, reassembled by {@link SnapshotParts}), and {@code join} returns once a
 * snapshot from every member of the view has been applied. While {@code join} waits, nobody reads
 * the replica, so a large snapshot's parts are applied as they arrive, unpublished
 * ({@link Replica#snapshotPartAhead}), and the whole, once complete, finds them in place: the
 * newcomer builds its replica during the transfer rather than after it. Thread-safe.
 */
final class JGroupsSeaport implements Seaport, Receiver {
    private static final Logger LOG = LoggerFactory.getLogger(JGroupsSeaport.class);
    private static final long JOIN_WAIT_MILLIS = 15_000;
    private static final int MAX_BIND_ATTEMPTS = 3;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SeaportConfig config;
    private final String host;
    private final String memberName;
    private final JChannel channel;
    private final Outbox outbox;
    private final Sites sites;
    private final ServiceIndex index;
    private final PortBook ports = new PortBook();
    private final Replica replica;
    private final EventLoop loop;
    private final OwnChanges own;
    private final ExecutorService completions;
    private final SnapshotSync sync;
    private final SnapshotSender snapshots;
    private final SnapshotParts parts = new SnapshotParts();
    private final PortRequests portRequests;
    private final Subscriptions subscriptions;
    private final ConcurrentHashMap<String, LocalRegistration> movable = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Start> restartsById = new ConcurrentHashMap<>();
    private final Set<String> conflictsReported = ConcurrentHashMap.newKeySet();
    private final ExecutorService moves;
    private final Telemetry telemetry;
    private final HealthChecks healthChecks;
    private volatile boolean closed;
    private volatile Address selfAddress;
    /** True until {@link #join} returns: nobody reads the replica yet (see {@link #applySnapshotPart}). */
    private volatile boolean joining = true;

    private JGroupsSeaport(SeaportConfig config, JChannel channel, String memberName, Ticker ticker) {
        this.config = config;
        this.host = config.effectiveHost();
        this.memberName = memberName;
        this.channel = channel;
        this.sites = Sites.of(memberName, channel, ticker);
        this.index = new ServiceIndex(sites.site());
        this.replica = new Replica(index, ports, sites::siteOf);
        long incarnation = (System.currentTimeMillis() << 12) | RANDOM.nextInt(1 << 12);
        this.outbox = new ChannelOutbox(channel, config.cluster());
        this.loop = new EventLoop(memberName, this::closedMessage);
        this.completions = Executors.newSingleThreadExecutor(Threads.named("seaport-completions-" + memberName, true));
        this.own = new OwnChanges(memberName, host, incarnation, outbox, loop,
                Executors.newSingleThreadExecutor(Threads.named("seaport-send-" + memberName, true)),
                message -> applyOwnerMessage(self(), message), completions, this::closedMessage);
        this.snapshots = new SnapshotSender(memberName, outbox, own::snapshot, address -> {
            // A member of another site gets every later change through the relay, whatever this view.
            View view = channel.getView();
            return view != null && view.containsMember(address) || sites.isRemote(address);
        });
        this.sync = new SnapshotSync(memberName, replica, this::self, ticker, snapshots::ask);
        this.portRequests = new PortRequests(memberName, config, ticker, outbox, new PortAllocator(ports, ticker),
                replica.hosts(), channel::getView, this::self, this::ensureOpen);
        this.subscriptions = new Subscriptions(memberName, config.environment(), index, loop, this::closedMessage);
        this.moves = Executors.newSingleThreadExecutor(Threads.named("seaport-moves-" + memberName, true));
        replica.onConflict(this::conflict);
        this.telemetry = new Telemetry(config.cluster(), memberName);
        subscriptions.observe(telemetry::changed);
        this.healthChecks = new HealthChecks(memberName, ticker);
    }

    /** Returns a member of {@code config}'s cluster, joined and with a complete replica. */
    static JGroupsSeaport join(SeaportConfig config) {
        String name = memberName(config.effectiveHost());
        JChannel channel = StackFactory.create(config);
        JGroupsSeaport seaport = new JGroupsSeaport(config, channel, name, Ticker.system());
        seaport.connect();
        return seaport;
    }

    private void connect() {
        sites.install(loop, new Sites.Actions() {
            @Override
            public void drop(Address owner) {
                subscriptions.afterChange(replica.drop(owner));
            }

            @Override
            public void resync(Address member) {
                sync.expect(member);
            }

            @Override
            public Set<Address> owners() {
                return replica.owners();
            }

            @Override
            public void remoteMembers(Set<Address> members) {
                sync.remoteMembers(members);
            }
        });
        loop.every(SnapshotSync.CHECK_MILLIS, "checking overdue snapshots, port requests and sites", () -> {
            sync.askOverdue();
            portRequests.expireOverdue();
            sites.tick();
        });
        try {
            channel.setName(memberName);
            channel.setReceiver(this);
            channel.connect(config.cluster());
            self(); // remembered from now on
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
                // This site only: members of other sites are asked one by one once the relay reports them.
                outbox.multicastHere(WireCodec.encode(new WireMessage.SnapshotRequest()));
            } catch (RuntimeException e) {
                LOG.debug("{}: cannot ask for snapshots yet; asking each member shortly", memberName, e);
            }
        }
        sites.refreshAll();
        try {
            sync.joined().get(JOIN_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warn("{} joined cluster '{}' but after {} ms still has no snapshot from {}; their registrations "
                    + "will appear when they answer", memberName, config.cluster(), JOIN_WAIT_MILLIS, sync.missing());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new SeaportException("interrupted while joining cluster '" + config.cluster() + "'", e);
        } catch (ExecutionException e) {
            close();
            throw new SeaportException("cannot join cluster '" + config.cluster() + "'", e.getCause());
        }
        joining = false;
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
    public String site() {
        ensureOpen();
        return sites.site();
    }

    @Override
    public Registration service(String role, PortStarter starter) {
        Objects.requireNonNull(starter, "starter");
        LocalRegistration registration = start(parseRole(role), r -> starter.start(r.port()));
        registration.ready();
        return movable(registration, r -> {
            starter.start(r.port());
            r.ready();
        });
    }

    @Override
    public Registration service(String role, ReadyStarter starter) {
        Objects.requireNonNull(starter, "starter");
        Start start = r -> starter.start(r.port(), r::ready);
        return movable(start(parseRole(role), start), start);
    }

    /** Remembers how to start {@code registration}'s service again, should it lose its port after a merge. */
    private LocalRegistration movable(LocalRegistration registration, Start restart) {
        String id = registration.entry().id();
        restartsById.put(id, restart);
        movable.put(id, registration);
        registration.onClose(() -> {
            movable.remove(id);
            restartsById.remove(id);
        });
        return registration;
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
        Entry entry = registered(role, port, metadata);
        ownPut(entry);
        return new LocalRegistration(own, memberName, sites.site(), healthChecks, entry, true);
    }

    @Override
    public CompletableFuture<Registration> registerAsync(String role, int port, Map<String, String> metadata) {
        Entry entry = registered(role, port, metadata);
        return own.putAsync(entry)
                .thenApply(applied -> new LocalRegistration(own, memberName, sites.site(), healthChecks, entry, true));
    }

    /** Returns the entry that registers {@code port} under {@code role}, after checking every argument. */
    private Entry registered(String role, int port, Map<String, String> metadata) {
        Role parsed = parseRole(role);
        Validation.checkPort(port);
        Map<String, String> checked = Validation.checkMetadata(metadata);
        if (ports.isAllocated(host, port)) {
            throw new IllegalArgumentException("port " + port + " of host " + host + " is reserved by another "
                    + "registration of cluster '" + config.cluster() + "' (handed out by service() or allocate()); "
                    + "register a port your service listens on and no one allocated");
        }
        return new Entry(ServiceIds.next(), config.environment(), parsed.name(), parsed.version(), host, port,
                checked, true, false);
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
        return subscriptions.get(Roles.range(Objects.requireNonNull(range, "range")));
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
        return subscriptions.subscribe(range, listener);
    }

    @Override
    public SeaportStatistics statistics() {
        ensureOpen();
        return telemetry.snapshot(channel.getView(), index.all(), subscriptions.pendingGets());
    }

    @Override
    public void close() {
        closed = true;
        if (!own.close(channel.isConnected())) {
            return;
        }
        shutdown();
        LOG.info("{} left cluster '{}'", memberName, config.cluster());
    }

    private void shutdown() {
        closed = true;
        healthChecks.close();
        own.abandon();
        try {
            channel.close();
        } catch (RuntimeException e) {
            LOG.warn("{}: closing the JGroups channel failed", memberName, e);
        }
        loop.shutdown();
        portRequests.shutdown();
        snapshots.shutdown();
        moves.shutdownNow();
        sites.shutdown();
        loop.awaitTermination();
        snapshots.awaitTermination();
        Threads.awaitTermination(moves, memberName);
        portRequests.close(closedMessage());
        completions.shutdown();
        Threads.awaitTermination(completions, memberName);
        subscriptions.close();
    }

    /** Returns the member, its view and its published services, for failure messages. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("Seaport[").append(memberName).append(" of '").append(config.cluster())
                .append("' env '").append(config.environment()).append("' site '").append(sites.site()).append("'")
                .append(closed ? " CLOSED" : "")
                .append("] view ").append(channel.getView()).append(", ").append(index.all().size())
                .append(" published:");
        for (Service service : index.all()) {
            out.append("\n    ").append(service.roleAtVersion()).append(' ').append(service.address())
                    .append(" id=").append(service.id()).append(" member=").append(service.member())
                    .append(" env=").append(service.environment()).append(" site=").append(service.site());
        }
        return out.toString();
    }

    // ---- package-private seams for tests and registrations

    /** Returns how many {@code get} futures wait for a match. */
    int pendingGets() {
        return subscriptions.pendingGets();
    }

    /** Returns every published service of every environment; for tests and diagnostics. */
    List<Service> published() {
        return index.all();
    }

    /** Returns the ports the replica holds; for tests. */
    PortBook ports() {
        return ports;
    }

    /**
     * Returns a line per owner this member's replica holds, for a test's failure report; read on
     * the event thread (waits up to 5 s for it).
     */
    String describeReplica() {
        CompletableFuture<String> summary = new CompletableFuture<>();
        loop.execute(() -> summary.complete(replica.describe()));
        return summary.completeOnTimeout("    (the event thread did not answer within 5 s)\n", 5, TimeUnit.SECONDS)
                .join();
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
        own.put(entry);
    }

    /** Frees one of this member's entries, if this member is still open. */
    void ownFree(String id) {
        own.free(id);
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
            portRequests.answerLater(sender, request);
        } else if (decoded instanceof WireMessage.SnapshotRequest) {
            LOG.debug("{} sends its snapshot, asked by {}", memberName, sender);
            snapshots.sendTo(sender);
        } else if (decoded instanceof WireMessage.Snapshot part && part.parts() > 1) {
            loop.executeBounded(message.getLength(), () -> applySnapshotPart(sender, part));
        } else if (decoded instanceof WireMessage.PortGrant grant) {
            portRequests.granted(sender, grant);
        } else {
            loop.executeBounded(message.getLength(), () -> applyPeerMessage(sender, decoded));
        }
    }

    @Override
    public void viewAccepted(View view) {
        snapshots.viewChanged(); // the channel holds this view already: answers given before it may be stale
        List<Address> siteMasters = sites.siteMasters().get(); // computed by the relay for this view already
        loop.execute(() -> {
            applyView(view);
            sites.localView(siteMasters);
        });
    }

    // ---- the event thread

    private void applyPeerMessage(Address sender, WireMessage message) {
        if (sites.isRemote(sender)) {
            applyRemoteMessage(sender, message);
            return;
        }
        if (!isMember(sender)) {
            LOG.debug("{} ignored a message from {}, not a member", memberName, sender);
            return;
        }
        applyNoticingGaps(sender, message);
        sync.checkJoined();
    }

    /** Returns whether {@code sender} is a member of the last view applied or of the channel's latest. */
    private boolean isMember(Address sender) {
        View latest = channel.getView();
        return sync.members().contains(sender) || latest != null && latest.containsMember(sender);
    }

    /**
     * Applies an owner message of a member of another site, if the relay lists it (else it is
     * asked for its snapshot once listed).
     */
    private void applyRemoteMessage(Address sender, WireMessage message) {
        if (!sites.accepts(sender)) {
            LOG.debug("{} ignored a message from {} of site '{}', not a member the relay lists", memberName, sender,
                    sites.siteOf(sender));
            return;
        }
        applyNoticingGaps(sender, message);
    }

    /**
     * Applies an owner message; if its number is past the next one, changes of the owner were lost
     * on the way and its snapshot is asked for. Within a cluster NAKACK2 delivers every message of a
     * view, but a merge can start a receiver's window past messages it never got (see
     * {@link SnapshotSync#viewChanged}); relayed multicasts between sites are not retransmitted.
     */
    private void applyNoticingGaps(Address sender, WireMessage message) {
        WireMessage.Owner owner = message instanceof WireMessage.Put put ? put.owner()
                : message instanceof WireMessage.Free free ? free.owner()
                : message instanceof WireMessage.Batch batch ? batch.owner()
                : message instanceof WireMessage.HealthChange change ? change.owner() : null;
        long applied = owner == null ? -1 : replica.appliedSeq(sender, owner.incarnation());
        applyOwnerMessage(sender, message);
        if (applied >= 0 && owner.seq() > applied + 1) {
            LOG.debug("{}: changes {}..{} of {} were lost on the way; asking for its snapshot", memberName,
                    applied + 1, owner.seq() - 1, sender);
            sync.expect(sender);
        }
    }

    private void applySnapshotPart(Address sender, WireMessage.Snapshot part) {
        WireMessage.Snapshot whole = parts.add(sender, part);
        boolean taken = whole != null || parts.took(sender, part);
        if (joining && taken && !sites.isRemote(sender) && isMember(sender)) {
            // Nobody reads this replica before join() returns: apply the part now, while the rest of
            // the snapshot is on its way, so that the whole finds its entries in place (Replica).
            subscriptions.afterChange(replica.snapshotPartAhead(sender, part));
        }
        if (whole != null) {
            applyPeerMessage(sender, whole);
        } else {
            sync.progress(sender);
        }
    }

    /** Applies an owner's PUT, FREE, BATCH, HEALTH or SNAPSHOT (this member's own ones too) and notifies subscribers. */
    private void applyOwnerMessage(Address sender, WireMessage message) {
        if (message instanceof WireMessage.Put put) {
            subscriptions.afterChange(replica.put(sender, put.owner(), put.entry()));
        } else if (message instanceof WireMessage.Free free) {
            subscriptions.afterChange(replica.free(sender, free.owner(), free.ids()));
        } else if (message instanceof WireMessage.Batch batch) {
            subscriptions.afterChange(replica.batch(sender, batch));
        } else if (message instanceof WireMessage.HealthChange change) {
            subscriptions.afterChange(replica.health(sender, change.owner(), change.id(), change.health()));
        } else if (message instanceof WireMessage.Snapshot snapshot) {
            Object started = telemetry.snapshotStarting();
            subscriptions.afterChange(telemetry.snapshotApplied(started, String.valueOf(sender),
                    snapshot.entries().size(), replica.snapshot(sender, snapshot)));
        }
    }

    private void applyView(View view) {
        telemetry.viewApplied(view);
        Address self = self();
        sync.viewChanged(view.getMembers(), view instanceof MergeView);
        View latest = channel.getView();
        for (Address owner : replica.owners()) {
            // An owner missing from this view but present in a newer one is alive: keep it. Owners of
            // other sites come and go as the relay reports (Sites).
            if (!owner.equals(self) && !sites.isRemote(owner) && !view.containsMember(owner)
                    && (latest == null || !latest.containsMember(owner))) {
                subscriptions.afterChange(replica.drop(owner));
            }
        }
        portRequests.viewChanged(view);
        Set<Address> keep = new HashSet<>(view.getMembers());
        keep.addAll(sites.remoteMembers());
        parts.retain(keep);
        LOG.debug("{} applied view {}", memberName, view);
        sync.checkJoined();
    }

    // ---- duplicate host:port after a merge

    /**
     * Handles two owners' entries at one host:port (event thread). Rule: the younger registration
     * loses. If the loser is this member's and came from {@code service()}, it moves to a fresh
     * port through its starter; otherwise (the user chose the port with {@code register()}, or an
     * {@code allocate()} whose port the user holds) both stay and each owner logs the conflict.
     */
    private void conflict(Replica.PortConflict conflict) {
        Address self = self();
        boolean mine = conflict.loserOwner().equals(self) || conflict.winnerOwner().equals(self);
        if (!mine || !conflictsReported.add(conflict.winner().id() + " " + conflict.loser().id())) {
            return;
        }
        Entry loser = conflict.loser();
        boolean moving = conflict.loserOwner().equals(self) && movable.containsKey(loser.id());
        LOG.warn("{}: {}:{} is held twice, by '{}@{}' ({}, id {}) and the younger '{}@{}' ({}, id {}), as after a "
                + "partition or an allocator handover; {}", memberName, loser.host(), loser.port(),
                conflict.winner().role(), conflict.winner().version(), conflict.winnerMember(), conflict.winner().id(),
                loser.role(), loser.version(), conflict.loserMember(), loser.id(),
                moving ? "this member moves the younger to a fresh port through its starter"
                        : "both stay listed: a port the user chose (register) or holds (allocate) is not moved; "
                        + "close one of them");
        if (moving) {
            try {
                moves.execute(() -> move(loser.id()));
            } catch (RejectedExecutionException e) {
                LOG.debug("{}: not moving {}, closing", memberName, loser.id(), e);
            }
        }
    }

    /** Moves a {@code service()} registration that lost its port to a fresh one and runs its starter there. */
    private void move(String id) {
        LocalRegistration registration = movable.get(id);
        Start restart = restartsById.get(id);
        if (registration == null || restart == null || registration.isClosed() || closed) {
            return;
        }
        Entry old = registration.entry();
        try {
            int port = portRequests.allocate(Roles.role(old.role(), old.version()));
            Entry reserved = new Entry(old.id(), old.environment(), old.role(), old.version(), host, port,
                    old.metadata(), false, true);
            if (registration.moveTo(reserved)) {
                restart.run(registration);
                LOG.info("{}: moved '{}@{}' from port {} to {}", memberName, old.role(), old.version(), old.port(), port);
            }
        } catch (Exception e) {
            LOG.error("{}: could not move '{}@{}' off port {}; closing it", memberName, old.role(), old.version(),
                    old.port(), e);
            try {
                registration.close();
            } catch (RuntimeException closeFailed) {
                LOG.warn("{}: closing '{}@{}' failed too", memberName, old.role(), old.version(), closeFailed);
            }
        }
    }

    // ---- port allocation

    private LocalRegistration reserve(Role role) {
        ensureOpen();
        int port = portRequests.allocate(role);
        Entry entry = new Entry(ServiceIds.next(), config.environment(), role.name(), role.version(), host, port,
                Map.of(), false, true);
        ownPut(entry);
        return new LocalRegistration(own, memberName, sites.site(), healthChecks, entry, false);
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

    private Role parseRole(String role) {
        ensureOpen();
        return Roles.role(Objects.requireNonNull(role, "role"));
    }

    private String closedMessage() {
        return "Seaport member " + memberName + " of cluster '" + config.cluster() + "' is closed";
    }

    /** Returns a member name for {@code host}: the host, this process's id and a random suffix. */
    static String memberName(String host) {
        String alphabet = "abcdefghijkmnpqrstuvwxyz23456789";
        StringBuilder suffix = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            suffix.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        String tail = "-" + ProcessHandle.current().pid() + "-" + suffix;
        // The builder keeps hosts within Limits.HOST_CHARS, which MEMBER_CHARS allows for; cut anyway.
        return host.substring(0, Math.min(host.length(), Limits.MEMBER_CHARS - tail.length())) + tail;
    }
}
