package io.seaport.jgroups.internal;

import io.seaport.SeaportException;
import io.seaport.spi.PeerAddress;
import io.seaport.spi.SeaportConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;
import org.jgroups.JChannel;
import org.jgroups.protocols.FD_ALL3;
import org.jgroups.protocols.FRAG4;
import org.jgroups.protocols.MERGE3;
import org.jgroups.protocols.MFC;
import org.jgroups.protocols.PerDestinationBundler;
import org.jgroups.protocols.RSVP;
import org.jgroups.protocols.TCP;
import org.jgroups.protocols.TCPPING;
import org.jgroups.protocols.TP;
import org.jgroups.protocols.UFC;
import org.jgroups.protocols.UNICAST3;
import org.jgroups.protocols.VERIFY_SUSPECT2;
import org.jgroups.protocols.pbcast.GMS;
import org.jgroups.protocols.pbcast.NAKACK2;
import org.jgroups.protocols.pbcast.STABLE;
import org.jgroups.protocols.relay.RELAY3;
import org.jgroups.protocols.relay.config.RelayConfig;
import org.jgroups.stack.DiagnosticsHandler;
import org.jgroups.stack.Protocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the JGroups channel of a member: the built-in TCP stack tuned for fast failure detection
 * and low latency, or a user's XML stack; {@link TlsTransport} adds TLS to either.
 *
 * <p>Tuning (JGroups 5.5.7, measured on a 2-core machine): {@code tcp_nodelay} avoids Nagle's
 * ~20 ms delay; a per-destination bundler (16k messages per destination) keeps a dead destination
 * from stalling the others;
 * VERIFY_SUSPECT2 0.5 s drops a killed member in under a second, and {@link CrashEvidence} below it
 * drops one whose port refuses connections (its process is gone) at once; FD_ALL3 3 s / 1 s drops a frozen
 * one in ~5 s; MERGE3 0.5 s / 2 s heals a partition in ~3.5 s, and {@link ReconnectMerge} starts
 * the merge as soon as a lost member answers a connection again (these timers are for views of up
 * to 16 members and stretch with the view's size: {@link ViewSizeTimers}); GMS join_timeout is chosen by
 * {@link JoinTimeout}: 1 s for the first member of a cluster, 5 s (ended by the coordinator's
 * answer) for a joiner.
 */
final class StackFactory {
    private static final Logger LOG = LoggerFactory.getLogger(StackFactory.class);

    static final long RSVP_TIMEOUT_MILLIS = 2_000;
    /**
     * Messages queued per destination. Each destination gets arrays of this many slots, so 64k
     * (the figure tuned for the earlier single bundler) cost ~1.1 MB of heap per peer: used heap
     * grew from 6.4 MiB (2 members) to 13.3 MiB (8), and members with -Xmx64m ran out of heap in
     * a cluster of 32 JVMs (benchmarks/run --only scale). 16k, JGroups' own default, is per peer
     * here, so the total queued across peers still far exceeds the old shared 64k.
     */
    static final int BUNDLER_CAPACITY = 16_384;
    /** How many times network discovery asks within one join timeout ({@link #discovery}). */
    static final int DISCOVERY_RUNS = 3;

    private StackFactory() {
    }

    /**
     * Refuses settings this provider would otherwise silently ignore.
     *
     * @throws IllegalArgumentException naming the settings
     */
    static void check(SeaportConfig config) {
        Optional<DnsDiscovery> dns = DnsDiscovery.configured();
        if (dns.isPresent() && (config.stack().isPresent() || !config.peers().isEmpty())) {
            throw new IllegalArgumentException(DnsDiscovery.QUERY_PROPERTY + " '" + dns.get().query()
                    + "' chooses DNS discovery, but " + (config.stack().isPresent()
                            ? "config '" + config.stack().get() + "' is a JGroups XML stack with its own discovery"
                            : "peers " + config.peers() + " are set too")
                    + "; use one of them");
        }
        if (config.stack().isPresent() && config.site().isPresent()) {
            throw new IllegalArgumentException("config '" + config.stack().get() + "' is a JGroups XML stack, so site '"
                    + config.site().get() + "' cannot be added to it; remove the site and its bridge, or put "
                    + "JGroups' relay.RELAY3 (or RELAY2) in the XML: Seaport follows the sites the stack's relay reports");
        }
        if (config.stack().isPresent()) {
            List<String> ignored = new ArrayList<>();
            config.bindAddress().ifPresent(v -> ignored.add("bind address '" + v + "'"));
            config.bindPort().ifPresent(v -> ignored.add("bind port " + v));
            if (!config.peers().isEmpty()) {
                ignored.add("peers " + config.peers());
            }
            if (!ignored.isEmpty()) {
                throw new IllegalArgumentException("config '" + config.stack().get()
                        + "' is a JGroups XML stack, which sets the transport itself; remove "
                        + String.join(", ", ignored) + " or put them in the XML");
            }
        }
    }

    /** Returns a new, unconnected channel for {@code config}. */
    static JChannel create(SeaportConfig config) {
        if (System.getProperty("jgroups.bind_addr") != null) {
            LOG.warn("system property jgroups.bind_addr={} overrides Seaport's bind address {}",
                    System.getProperty("jgroups.bind_addr"), config.effectiveBindAddress());
        }
        try {
            if (config.stack().isPresent()) {
                return withTls(quiet(fromXml(config.stack().get()), config.stack().get()), config);
            }
            return new JChannel(protocols(config));
        } catch (SeaportException | IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw new SeaportException("cannot create the JGroups channel for cluster '" + config.cluster() + "'", e);
        }
    }

    /**
     * Turns off what a stock XML stack would do behind the user's back: the diagnostics handler
     * joins a multicast group on every interface, and GMS prints a banner on stdout.
     */
    private static JChannel quiet(JChannel channel, String stack) {
        TP transport = channel.getProtocolStack().getTransport();
        DiagnosticsHandler diagnostics = transport.getDiagnosticsHandler();
        if (diagnostics != null && diagnostics.isEnabled()) {
            LOG.info("JGroups diagnostics of stack '{}' turned off: Seaport sends nothing off its bind address", stack);
            diagnostics.setEnabled(false);
        }
        GMS gms = channel.getProtocolStack().findProtocol(GMS.class);
        if (gms != null) {
            gms.printLocalAddress(false);
        }
        return channel;
    }

    private static JChannel fromXml(String stack) throws Exception {
        Path file = Path.of(stack);
        if (Files.isRegularFile(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                return new JChannel(in);
            }
        }
        ClassLoader loader = StackFactory.class.getClassLoader();
        try (InputStream in = loader.getResourceAsStream(stack.startsWith("/") ? stack.substring(1) : stack)) {
            if (in == null) {
                throw new IllegalArgumentException("config '" + stack
                        + "' is neither a readable file nor a class-path resource");
            }
            return new JChannel(in);
        }
    }

    private static JChannel withTls(JChannel channel, SeaportConfig config) {
        try {
            config.tls().ifPresent(tls -> TlsTransport.apply(channel, tls, config.stack().orElseThrow()));
            return channel;
        } catch (RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Returns a TCP transport bound to {@code bind} with the tuning of every Seaport stack: no
     * Nagle, platform threads, a closed connection suspected at once, one sender per destination,
     * bounded messages, no connection left open outside the table ({@link MemberConnectionsTcp}).
     */
    private static TCP tunedTcp(InetAddress bind) {
        TCP tcp = new MemberConnectionsTcp();
        tcp.setBindAddress(bind);
        tcp.tcpNodelay(true);
        tcp.useVirtualThreads(false);
        // A peer's connection closed (not by us) is suspected at once on every member, not only by
        // FD_SOCK2's ring neighbour: VERIFY_SUSPECT2 still verifies, CrashEvidence shortcuts a dead process.
        tcp.enableSuspectEvents(true);
        // One sender per destination: with a single sending thread, a connect() to an unreachable
        // member (sock_conn_timeout per port probed) held back the heartbeats to every live member,
        // so a cut host split the healthy ones apart too (PartitionIT across network namespaces; on
        // the bridge, SitesIT: a cut site split the other sites' masters apart).
        // Small buffers for bare transport addresses: discovery probes every port of every peer's span.
        PerDestinationBundler bundler = new ProbeSizedBundler();
        bundler.setCapacity(BUNDLER_CAPACITY);
        tcp.setBundler(bundler);
        tcp.setMaxLength(TlsTransport.MAX_MESSAGE_BYTES);
        return tcp;
    }

    private static List<Protocol> protocols(SeaportConfig config) throws UnknownHostException {
        InetAddress bind = InetAddress.getByName(config.effectiveBindAddress());
        int bindPort = config.effectiveBindPort();

        TCP tcp = tunedTcp(bind);
        if (usesDirectory(config)) {
            tcp.setBindPort(0); // any free port: the directory tells peers which one
            tcp.setPortRange(0);
        } else {
            tcp.setBindPort(bindPort);
            tcp.setPortRange(SeaportConfig.TRANSPORT_PORT_SPAN);
        }
        Protocol ping = discovery(config);

        MERGE3 merge = new ScaledMerge3();
        FD_ALL3 fdAll = new ScaledFdAll();
        VERIFY_SUSPECT2 verify = verifySuspect();
        GMS gms = new GMS().setJoinTimeout(JoinTimeout.choose(config));
        gms.printLocalAddress(false); // library code never prints to stdout
        config.tls().ifPresent(tls -> TlsTransport.apply(tcp, gms, tls));
        RSVP rsvp = new RSVP().setTimeout(RSVP_TIMEOUT_MILLIS).setResendInterval(RSVP_TIMEOUT_MILLIS / 4);

        // ReconnectMerge above MERGE3: a lost member that answers a connection again is merged at once.
        List<Protocol> protocols = new ArrayList<>(List.of(tcp, ping, merge, new ReconnectMerge()));
        protocols.addAll(crashDetection(config, tcp, bind));
        // CrashEvidence below VERIFY_SUSPECT2: a suspect that refuses connections is excluded without the wait.
        protocols.addAll(List.of(fdAll, new CrashEvidence(), verify, new NAKACK2(), new UNICAST3(), new STABLE(),
                gms, new UFC(), new MFC(), new FRAG4(), rsvp));
        // RELAY3 on top. JGroups suggests it between NAKACK2 and UNICAST3, to retransmit unicasts end
        // to end across sites, but RELAY3 drops a unicast to a member of its site outside its view
        // (RELAY3.deliver, JGroups 5.5), which is what GMS's merge requests between subgroup
        // coordinators are: partitions within a site would not heal. Seaport re-asks a snapshot that
        // does not come, so it needs no retransmission across sites.
        config.site().ifPresent(site -> protocols.add(relay(config, site)));
        return protocols;
    }

    /** The name of the bridge cluster that the site masters of every site join. */
    static final String BRIDGE_CLUSTER = "seaport-sites";
    /** The bridge's GMS join timeout: the first site master to start waits this long before forming the bridge. */
    static final long BRIDGE_JOIN_MILLIS = 1_000;
    /** The bridge's GMS join timeout with TLS, whose handshakes a cold JVM needs time for (see JoinTimeout). */
    static final long BRIDGE_TLS_JOIN_MILLIS = 3_000;

    /**
     * Returns the RELAY3 of a member of {@code site}: a site master candidate if bridge peers are
     * set (one site master at a time, the oldest candidate, so that one owner's changes reach
     * another site along one path, in order), else a member that relays through one.
     */
    private static RELAY3 relay(SeaportConfig config, String site) {
        RelayConfig.SiteConfig siteConfig = new RelayConfig.SiteConfig(site);
        boolean candidate = !config.bridgePeers().isEmpty();
        if (candidate) {
            siteConfig.addBridge(new SeaportBridge(config));
        }
        RELAY3 relay = new RELAY3();
        relay.site(site);
        relay.addSite(site, siteConfig);
        relay.canBecomeSiteMaster(candidate);
        relay.setMaxSiteMasters(1);
        // Seaport waits itself before dropping an unreachable site (Sites.DOWN_GRACE_MILLIS) and
        // asks its members for snapshots when it is back: it needs every route loss reported.
        relay.delaySitesDown(false);
        return relay;
    }

    /** The bridge between sites: a channel built afresh each time this member becomes site master. */
    private static final class SeaportBridge extends RelayConfig.BridgeConfig {
        private final SeaportConfig config;

        SeaportBridge(SeaportConfig config) {
            super(BRIDGE_CLUSTER);
            this.config = config;
        }

        @Override
        public JChannel createChannel() throws Exception {
            return new JChannel(bridgeProtocols(config));
        }
    }

    /**
     * Returns the bridge's protocols: TCP on the bind address at the bridge port (first free of
     * {@code port..port+10}), TCPPING over the bridge peers, and the failure detection and merging
     * of the member stack; TLS as the member's. No multicast, no diagnostics.
     */
    static List<Protocol> bridgeProtocols(SeaportConfig config) throws UnknownHostException {
        InetAddress bind = InetAddress.getByName(config.effectiveBindAddress());
        TCP tcp = tunedTcp(bind);
        tcp.setBindPort(config.effectiveBridgePort());
        tcp.setPortRange(SeaportConfig.TRANSPORT_PORT_SPAN);
        TCPPING ping = new TCPPING();
        StringJoiner hosts = new StringJoiner(",");
        for (PeerAddress peer : config.bridgePeers()) {
            hosts.add(peer.host() + "[" + peer.portOr(config.effectiveBridgePort()) + "]");
        }
        ping.setValue("initial_hosts_str", hosts.toString());
        ping.setPortRange(SeaportConfig.TRANSPORT_PORT_SPAN);
        GMS gms = new GMS().setJoinTimeout(config.tls().isPresent() ? BRIDGE_TLS_JOIN_MILLIS : BRIDGE_JOIN_MILLIS);
        gms.printLocalAddress(false);
        config.tls().ifPresent(tls -> TlsTransport.apply(tcp, gms, tls));
        return List.of(tcp, ping,
                new ScaledMerge3(), new ScaledFdAll(), new CrashEvidence(), verifySuspect(),
                new NAKACK2(), new UNICAST3(), new STABLE(), gms, new UFC(), new MFC(), new FRAG4());
    }

    /** Returns VERIFY_SUSPECT2 with the timeout of a small view; {@link ScaledFdAll} stretches it as the view grows. */
    private static VERIFY_SUSPECT2 verifySuspect() {
        return new VERIFY_SUSPECT2().setTimeout(ViewSizeTimers.verifySuspect(1));
    }

    /**
     * Returns the protocols that suspect a crashed member at once (a closed TCP connection): without
     * TLS, FD_SOCK2 on its side socket (transport port + 100) with bounded messages; with TLS, none,
     * because the TLS transport suspects a member whose connection closes (JGroups'
     * {@code enable_suspect_events}, set by {@link TlsTransport}) and a plaintext side socket would
     * answer strangers with the cluster name and the member's address.
     */
    private static List<Protocol> crashDetection(SeaportConfig config, TCP tcp, InetAddress bind) {
        if (config.tls().isPresent()) {
            return List.of();
        }
        return List.of(new BoundedFdSock().setBindAddress(bind));
    }

    /**
     * Returns whether {@code config}'s built-in stack finds its peers through this user's
     * discovery directory ({@link DirectoryPing}): when neither peers nor a bind port are set.
     * Explicit peers or a bind port keep TCPPING over {@code host[port..port+10]}, as across hosts.
     */
    static boolean usesDirectory(SeaportConfig config) {
        return config.peers().isEmpty() && config.bindPort().isEmpty() && config.stack().isEmpty()
                && DnsDiscovery.configured().isEmpty();
    }

    /**
     * Returns the discovery protocol of the built-in stack.
     *
     * <p>Discovery over the network (TCPPING, DNS_PING) asks {@value #DISCOVERY_RUNS} times within
     * the join timeout. A discovery request and its answer travel below JGroups' reliable layers,
     * so one that is lost (for example on a connection that loses a simultaneous-connect race
     * with another joiner and is closed unread) is never resent; with a single run the joiner
     * then hears nobody for the whole join timeout and founds a cluster of its own, and its
     * {@code join()} returns an empty replica until MERGE3 merges it seconds later. (One CI run
     * saw {@code seaport show} print {@code []} while a member held two services; its logs were
     * not kept, and a lost discovery exchange is the one cause found that fits.)
     */
    private static Protocol discovery(SeaportConfig config) {
        Optional<DnsDiscovery> dns = DnsDiscovery.configured();
        if (dns.isPresent()) {
            return dns.get().protocol().numDiscoveryRuns(DISCOVERY_RUNS);
        }
        if (usesDirectory(config)) {
            return new DirectoryPing(DirectoryPing.root());
        }
        TCPPING ping = new TCPPING();
        ping.setValue("initial_hosts_str", initialHosts(config));
        ping.setPortRange(SeaportConfig.TRANSPORT_PORT_SPAN);
        return ping.numDiscoveryRuns(DISCOVERY_RUNS);
    }

    /** Returns TCPPING's {@code initial_hosts}: every peer, or the bind address, as {@code host[port]}. */
    static String initialHosts(SeaportConfig config) {
        List<PeerAddress> peers = config.peers().isEmpty()
                ? List.of(new PeerAddress(config.effectiveBindAddress(), 0))
                : config.peers();
        StringJoiner hosts = new StringJoiner(",");
        for (PeerAddress peer : peers) {
            hosts.add(peer.host() + "[" + peer.portOr(config.effectiveBindPort()) + "]");
        }
        return hosts.toString();
    }

    /** Returns a short description of the stack for logs. */
    static String describe(SeaportConfig config) {
        String tls = (config.tls().isPresent() ? " with TLS" : "") + config.site().map(site -> ", site '" + site + "'"
                + (config.bridgePeers().isEmpty() ? "" : " bridged at " + config.effectiveBindAddress() + "["
                        + config.effectiveBridgePort() + "+" + SeaportConfig.TRANSPORT_PORT_SPAN + "] to "
                        + config.bridgePeers())).orElse("");
        Optional<DnsDiscovery> dns = DnsDiscovery.configured();
        if (dns.isPresent() && config.stack().isEmpty()) {
            return "TCP " + config.effectiveBindAddress() + "[" + config.effectiveBindPort() + "+"
                    + SeaportConfig.TRANSPORT_PORT_SPAN + "]" + tls + " peers from " + dns.get();
        }
        if (usesDirectory(config)) {
            return "TCP " + config.effectiveBindAddress() + "[any free port]" + tls + " peers found in "
                    + DirectoryPing.root().resolve(DirectoryPing.directoryName(config.cluster()));
        }
        return config.stack().map(s -> "JGroups XML " + s + tls).orElseGet(() -> "TCP " + config.effectiveBindAddress()
                + "[" + config.effectiveBindPort() + "+" + SeaportConfig.TRANSPORT_PORT_SPAN + "]" + tls + " peers "
                + initialHosts(config));
    }
}
