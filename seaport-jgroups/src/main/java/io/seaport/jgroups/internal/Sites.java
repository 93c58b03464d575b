package io.seaport.jgroups.internal;

import io.seaport.Seaport;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jgroups.Address;
import org.jgroups.JChannel;
import org.jgroups.View;
import org.jgroups.ViewId;
import org.jgroups.protocols.relay.RELAY;
import org.jgroups.protocols.relay.RouteStatusListener;
import org.jgroups.protocols.relay.SiteAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The other sites this member's cluster is bridged to by JGroups' relay protocol (RELAY3): which
 * members each has, as the relay layer reports them, and which are unreachable. The replica
 * accepts an owner's messages from a member of another site only while this says it is there
 * ({@link #accepts}), so a late message of a remote member that left cannot bring its entries back.
 *
 * <p>Design note. Three sources, each handed to the event loop: the relay's topology (each site's
 * view, pushed by its site master when it changes): members gone from it are dropped
 * ({@code MEMBER_LEFT}), new ones are asked for their snapshot; routes (a site down or up): a site
 * down for {@link #DOWN_GRACE_MILLIS} is dropped whole (a site master's failover takes less), and a
 * site up again has every member asked for a snapshot, since multicasts relayed while its route was
 * gone are lost (JGroups retransmits unicasts across sites, not multicasts), and its view is asked
 * for every {@link #TOPOLOGY_RETRY_MILLIS} until it comes (the first answer is lost when the other
 * site master has no route back yet); and this site's own
 * site master changing, after which every remote member is asked too, for the same reason. On top,
 * the topology is refreshed every {@link #REFRESH_MILLIS} in case a push was missed. Messages to
 * the relay (topology requests) are sent from a thread of their own, never from the event loop.
 * Confined to the event thread, except {@link #siteOf}, {@link #isRemote}, {@link #site} and
 * {@link #install}.
 */
final class Sites {
    private static final Logger LOG = LoggerFactory.getLogger(Sites.class);

    /** How long a site may be unreachable before its services are dropped: a site master's failover fits in it. */
    static final long DOWN_GRACE_MILLIS = 3_000;
    /** How often the topology of every site is asked for again, in case a change was missed. */
    static final long REFRESH_MILLIS = 10_000;
    /**
     * How often a site that came up is asked for its view until it answers: the first request can
     * be lost (its site master may not have the route back yet), for at most {@link #TOPOLOGY_WAIT_MILLIS}.
     */
    static final long TOPOLOGY_RETRY_MILLIS = 500;
    static final long TOPOLOGY_WAIT_MILLIS = 30_000;

    /** What the member does with what this learns; called on the event thread. */
    interface Actions {
        /** Drops every entry of {@code owner} (it left, or its site is gone). */
        void drop(Address owner);

        /** Expects a fresh snapshot of {@code member} and asks it for one. */
        void resync(Address member);

        /** Returns the owners the replica holds. */
        Set<Address> owners();

        /** Takes the members of every other site, as now known. */
        void remoteMembers(Set<Address> members);
    }

    private final String memberName;
    private final String localSite;
    private final RELAY relay; // null: no sites
    private final Ticker ticker;
    private final Map<String, Set<Address>> members = new HashMap<>();
    private final Map<String, ViewId> viewIds = new HashMap<>();
    private final Map<String, Long> downSince = new HashMap<>();
    /** Sites that came up and whose view has not come since: when each came up, and was last asked. */
    private final Map<String, long[]> topologyWanted = new HashMap<>();
    private final ExecutorService requests;
    private Actions actions;
    private Address siteMaster;
    private long refreshedAt;

    private Sites(String memberName, String localSite, RELAY relay, Ticker ticker) {
        this.memberName = memberName;
        this.localSite = localSite;
        this.relay = relay;
        this.ticker = ticker;
        this.requests = relay == null ? null
                : Executors.newSingleThreadExecutor(Threads.named("seaport-sites-" + memberName, true));
        this.refreshedAt = ticker.read();
    }

    /** Returns the sites of {@code channel}'s member: those of its relay protocol, or none if it has none. */
    static Sites of(String memberName, JChannel channel, Ticker ticker) {
        RELAY relay = channel.getProtocolStack().findProtocol(RELAY.class);
        return relay == null ? new Sites(memberName, Seaport.DEFAULT_SITE, null, ticker)
                : new Sites(memberName, relay.site(), relay, ticker);
    }

    /** Returns this member's site; any thread. */
    String site() {
        return localSite;
    }

    /** Returns the site of {@code member}: the one its address names, else this member's; any thread. */
    String siteOf(Address member) {
        if (member instanceof SiteAddress address && address.getSite() != null) {
            return address.getSite();
        }
        return localSite;
    }

    /** Returns whether {@code member} is of another site; any thread. */
    boolean isRemote(Address member) {
        return member != null && !siteOf(member).equals(localSite);
    }

    /**
     * Starts following the relay: its reports are handed to {@code loop}, where {@code actions}
     * act on them. Call once, before the channel connects.
     */
    void install(EventLoop loop, Actions actions) {
        this.actions = actions;
        if (relay == null) {
            return;
        }
        relay.topo().setViewHandler((site, view) -> loop.execute(() -> topology(site, view)));
        relay.setRouteStatusListener(new RouteStatusListener() {
            @Override
            public void sitesUp(String... sites) {
                List<String> up = List.of(sites);
                loop.execute(() -> Sites.this.sitesUp(up));
            }

            @Override
            public void sitesDown(String... sites) {
                List<String> down = List.of(sites);
                loop.execute(() -> Sites.this.sitesDown(down));
            }

            @Override
            public void sitesUnreachable(String... sites) {
                LOG.debug("{}: no route to sites {} for a message", memberName, List.of(sites));
            }
        });
    }

    /** Asks every site's master for its view now; after connecting; any thread. */
    void refreshAll() {
        if (relay != null) {
            request(null);
        }
    }

    /**
     * Returns whether an owner message from {@code member}, of another site, may be applied: its
     * site is reachable and its view lists it. Event thread.
     */
    boolean accepts(Address member) {
        String site = siteOf(member);
        Set<Address> known = members.get(site);
        return known != null && known.contains(member) && !site.equals(localSite);
    }

    /** Returns the members of every other site as now known; event thread. */
    Set<Address> remoteMembers() {
        Set<Address> all = new HashSet<>();
        members.values().forEach(all::addAll);
        return all;
    }

    /**
     * Takes a new view of this site (event thread): if this site's master changed, relayed
     * multicasts may have been lost in either direction, so every remote member is asked again.
     */
    void localView(List<Address> siteMasters) {
        if (relay == null) {
            return;
        }
        Address master = siteMasters == null || siteMasters.isEmpty() ? null : siteMasters.get(0);
        if (master != null && !master.equals(siteMaster)) {
            boolean first = siteMaster == null;
            siteMaster = master;
            if (!first) {
                LOG.info("{}: site master of '{}' is now {}; asking the other sites' members for snapshots",
                        memberName, localSite, master);
                remoteMembers().forEach(actions::resync);
                refresh(null);
            }
        }
    }

    /** Drops sites unreachable for longer than the grace, and refreshes the topology now and then; event thread. */
    void tick() {
        if (relay == null) {
            return;
        }
        long now = ticker.read();
        for (Map.Entry<String, Long> down : List.copyOf(downSince.entrySet())) {
            if (now - down.getValue() >= TimeUnit.MILLISECONDS.toNanos(DOWN_GRACE_MILLIS)) {
                downSince.remove(down.getKey());
                dropSite(down.getKey());
            }
        }
        for (Map.Entry<String, long[]> wanted : List.copyOf(topologyWanted.entrySet())) {
            long[] times = wanted.getValue();
            if (now - times[0] >= TimeUnit.MILLISECONDS.toNanos(TOPOLOGY_WAIT_MILLIS)) {
                topologyWanted.remove(wanted.getKey()); // the periodic refresh goes on
            } else if (now - times[1] >= TimeUnit.MILLISECONDS.toNanos(TOPOLOGY_RETRY_MILLIS)) {
                times[1] = now;
                LOG.debug("{}: no view of site '{}' yet; asking again", memberName, wanted.getKey());
                request(wanted.getKey());
            }
        }
        if (now - refreshedAt >= TimeUnit.MILLISECONDS.toNanos(REFRESH_MILLIS)) {
            refresh(null);
        }
    }

    /** Applies a site's view from the relay's topology (event thread). */
    void topology(String site, View view) {
        if (site == null || site.equals(localSite) || view == null) {
            return;
        }
        topologyWanted.remove(site);
        ViewId last = viewIds.get(site);
        Set<Address> previous = members.getOrDefault(site, Set.of());
        // Views come by more than one path (pushes, refresh answers): an older one must not bring back who left.
        if (last != null && view.getViewId().getId() <= last.getId() && previous.contains(view.getCoord())) {
            return;
        }
        viewIds.put(site, view.getViewId());
        Set<Address> current = new HashSet<>(view.getMembers());
        members.put(site, current);
        List<Address> joined = new ArrayList<>();
        for (Address member : current) {
            if (!previous.contains(member)) {
                joined.add(member);
            }
        }
        LOG.debug("{}: site '{}' has view {}", memberName, site, view);
        publish();
        for (Address owner : actions.owners()) {
            if (site.equals(siteOf(owner)) && !current.contains(owner)) {
                actions.drop(owner);
            }
        }
        joined.forEach(actions::resync);
    }

    private void sitesDown(List<String> sites) {
        long now = ticker.read();
        for (String site : sites) {
            topologyWanted.remove(site);
            if (!site.equals(localSite) && downSince.putIfAbsent(site, now) == null) {
                LOG.info("{}: site '{}' is unreachable; its services are dropped if it is not back within {} ms",
                        memberName, site, DOWN_GRACE_MILLIS);
            }
        }
    }

    private void sitesUp(List<String> sites) {
        for (String site : sites) {
            if (site.equals(localSite)) {
                continue;
            }
            boolean wasDown = downSince.remove(site) != null;
            LOG.info("{}: site '{}' is reachable{}; asking its members for snapshots", memberName, site,
                    wasDown ? " again" : "");
            members.getOrDefault(site, Set.of()).forEach(actions::resync);
            long now = ticker.read();
            topologyWanted.put(site, new long[] {now, now});
            refresh(site);
        }
    }

    private void dropSite(String site) {
        LOG.warn("{}: site '{}' unreachable for {} ms; dropping its services until it is back", memberName, site,
                DOWN_GRACE_MILLIS);
        members.remove(site);
        viewIds.remove(site);
        publish();
        for (Address owner : actions.owners()) {
            if (site.equals(siteOf(owner))) {
                actions.drop(owner);
            }
        }
    }

    private void publish() {
        actions.remoteMembers(remoteMembers());
    }

    /** Asks the site master of {@code site} (every site's if null) for its view; event thread. */
    private void refresh(String site) {
        refreshedAt = ticker.read();
        request(site);
    }

    /** Sends a topology request from the requests thread. */
    private void request(String site) {
        try {
            requests.execute(() -> {
                try {
                    relay.topo().refresh(site);
                } catch (RuntimeException e) {
                    LOG.debug("{}: cannot ask for the topology of {}", memberName, site == null ? "every site" : site, e);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("{}: closing, topology not refreshed", memberName, e);
        }
    }

    /** Stops sending topology requests. */
    void shutdown() {
        if (requests != null) {
            requests.shutdownNow();
            Threads.awaitTermination(requests, memberName);
        }
    }

    /** Returns the supplier of this member's site masters as the relay last computed them; any thread. */
    Supplier<List<Address>> siteMasters() {
        return () -> relay == null ? null : relay.siteMasters();
    }
}
