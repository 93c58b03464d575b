package io.seaport;

import io.seaport.internal.BuilderSupport;
import io.seaport.internal.ProviderLookup;
import io.seaport.spi.PeerAddress;
import io.seaport.spi.SeaportConfig;
import io.seaport.spi.TlsConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * A member of a Seaport cluster: it offers services under semver roles and finds the services of
 * every member from its own replica of the registry.
 *
 * <p>Instances are thread-safe and returned joined. Reads ({@link #query}, {@link #get},
 * {@link #watch}) never leave the JVM; writes are sent to every member. Close the instance to
 * free its registrations and leave the cluster.
 *
 * <pre>{@code
 * try (Seaport seaport = Seaport.join("shop")) {
 *     seaport.service("http@1.0.0", port -> server.bind(new InetSocketAddress(port), 0));
 *     Service db = seaport.get("db@^2").join().get(0);
 * }
 * }</pre>
 *
 * <p>After {@link #close()}, every method but {@code close()} throws {@link IllegalStateException}.
 */
public interface Seaport extends AutoCloseable {

    /**
     * The site of a member whose cluster is not bridged to other sites ({@link Builder#site} not
     * set), and so of every service it registers.
     */
    String DEFAULT_SITE = "default";

    /**
     * Joins {@code cluster} with the defaults: a loopback-only transport on {@code 127.0.0.1},
     * discovery of the other JVMs on this machine, environment {@code default}, or what the
     * {@code seaport.*} system properties and {@code SEAPORT_*} environment variables say
     * (see {@link Builder}).
     *
     * @param cluster the cluster's name; members of other clusters are never seen
     * @return a joined member whose replica is complete
     * @throws IllegalArgumentException if the name is blank or has control characters
     * @throws SeaportException if the cluster cannot be joined
     */
    static Seaport join(String cluster) {
        return builder().cluster(cluster).join();
    }

    /**
     * Returns a builder for a member with options other than the defaults.
     *
     * @return a new builder
     */
    static Builder builder() {
        return new Builder(System::getProperty, System::getenv);
    }

    /**
     * Returns the cluster's name.
     *
     * @return the name given at join
     */
    String cluster();

    /**
     * Returns the environment this member registers into and queries by default.
     *
     * @return the environment, {@code default} unless set
     */
    String environment();

    /**
     * Returns this member's name in the cluster, as it appears in {@link Service#member()}.
     *
     * @return the member's name
     */
    String member();

    /**
     * Returns the site (data centre) of this member's cluster, as it appears in
     * {@link Service#site()}. Lookups ({@link #query}, {@link #get}, {@link #services()},
     * {@link #watch}) cover every site bridged to this one and list this site's services first;
     * {@link #querySite(String)} covers this site only.
     *
     * @return the site set with {@link Builder#site(String)}, or {@value #DEFAULT_SITE}
     */
    String site();

    /**
     * Allocates a port for {@code role}, runs {@code starter} with it and publishes the service
     * when the starter returns.
     *
     * @param role a role such as {@code http@1.0.0}
     * @param starter starts the server on the port
     * @return the published registration
     * @throws IllegalArgumentException if the role is invalid; nothing is allocated
     * @throws SeaportException if no port is free or the starter throws; the port is released
     */
    Registration service(String role, PortStarter starter);

    /**
     * Allocates a port for {@code role}, runs {@code starter} with it and publishes the service
     * when the starter calls {@code ready.run()}.
     *
     * @param role a role such as {@code http@1.0.0}
     * @param starter starts the server on the port and calls {@code ready}
     * @return the registration, published once {@code ready} has run
     * @throws IllegalArgumentException if the role is invalid; nothing is allocated
     * @throws SeaportException if no port is free or the starter throws; the port is released
     */
    Registration service(String role, ReadyStarter starter);

    /**
     * Reserves a port for {@code role} without publishing it; publish it later with
     * {@link Registration#ready()}.
     *
     * @param role a role such as {@code http@1.0.0}
     * @return the unpublished registration
     * @throws IllegalArgumentException if the role is invalid
     * @throws SeaportException if no port is free
     */
    Registration allocate(String role);

    /**
     * Publishes a service that already listens on {@code port} of this member's advertised host
     * (seaport's {@code assume}, hyperseaport's sidecar).
     *
     * @param role a role such as {@code couchdb@3.2.2}
     * @param port the port the service listens on, 1..65535
     * @return the published registration
     * @throws IllegalArgumentException if the role or the port is invalid; nothing is registered
     */
    default Registration register(String role, int port) {
        return register(role, port, Map.of());
    }

    /**
     * Publishes a service that already listens on {@code port}, with metadata.
     *
     * @param role a role such as {@code couchdb@3.2.2}
     * @param port the port the service listens on, 1..65535
     * @param metadata free-form key/value pairs published with the service
     * @return the published registration
     * @throws IllegalArgumentException if the role, port or metadata is invalid; nothing is
     *     registered
     */
    Registration register(String role, int port, Map<String, String> metadata);

    /**
     * Publishes a service that already listens on {@code port}, without waiting: the change is
     * queued and sent with others in one message. Registrations made from one thread are applied
     * on every member in call order.
     *
     * @param role a role such as {@code couchdb@3.2.2}
     * @param port the port the service listens on, 1..65535
     * @return a future that completes with the registration once this member's own replica holds
     *     it (what {@link #register(String, int)} waits for), or fails with
     *     {@link IllegalStateException} if this member is closed before the change is sent, or with
     *     {@link SeaportException} if it cannot be sent
     * @throws IllegalArgumentException if the role or the port is invalid; nothing is registered
     * @throws IllegalStateException if this member is closed; nothing is registered
     */
    default CompletableFuture<Registration> registerAsync(String role, int port) {
        return registerAsync(role, port, Map.of());
    }

    /**
     * Publishes a service that already listens on {@code port}, with metadata, without waiting;
     * see {@link #registerAsync(String, int)}.
     *
     * @param role a role such as {@code couchdb@3.2.2}
     * @param port the port the service listens on, 1..65535
     * @param metadata free-form key/value pairs published with the service
     * @return a future that completes with the registration once this member's own replica holds it
     * @throws IllegalArgumentException if the role, port or metadata is invalid; nothing is
     *     registered
     * @throws IllegalStateException if this member is closed; nothing is registered
     */
    CompletableFuture<Registration> registerAsync(String role, int port, Map<String, String> metadata);

    /**
     * Returns the {@link Health#PASSING} services of this member's environment that match
     * {@code range}, now.
     *
     * @param range a bare name or {@code name@npm-range}
     * @return the matches of every site: this site's first, then by highest version, then oldest
     *     registration first; may be empty
     * @throws IllegalArgumentException if the range is invalid
     */
    default List<Service> query(String range) {
        return query(environment(), range);
    }

    /**
     * Returns the {@link Health#PASSING} services of this member's environment and of this
     * member's {@link #site()} that match {@code range}, now: {@link #query(String)} without the
     * services of other sites.
     *
     * @param range a bare name or {@code name@npm-range}
     * @return the matches of this site, highest version first, then oldest registration first;
     *     may be empty
     * @throws IllegalArgumentException if the range is invalid
     */
    default List<Service> querySite(String range) {
        String site = site();
        List<Service> here = new ArrayList<>();
        for (Service service : query(range)) {
            if (service.site().equals(site)) {
                here.add(service);
            }
        }
        return List.copyOf(here);
    }

    /**
     * Returns the {@link Health#PASSING} services of {@code environment} that match {@code range},
     * now.
     *
     * @param environment the environment to look in
     * @param range a bare name or {@code name@npm-range}
     * @return the matches of every site: this site's first, then by highest version, then oldest
     *     registration first; may be empty
     * @throws IllegalArgumentException if the environment or range is invalid
     */
    List<Service> query(String environment, String range);

    /**
     * Returns every service of this member's environment, now, whatever its {@link Health}:
     * seaport's port map.
     *
     * @return the services by role name, then ordered as {@link #query(String)}; may be empty
     */
    default List<Service> services() {
        return services(environment());
    }

    /**
     * Returns every service of {@code environment}, now, whatever its {@link Health}.
     *
     * @param environment the environment to look in
     * @return the services by role name, then ordered as {@link #query(String)}; may be empty
     * @throws IllegalArgumentException if the environment is invalid
     */
    List<Service> services(String environment);

    /**
     * Returns a future that completes with the {@link Health#PASSING} matches of {@code range} as
     * soon as there is at least one. A future that the caller cancels or times out is forgotten by the registry.
     * It completes on a Seaport-owned thread; chain with {@code *Async} methods for slow work.
     *
     * @param range a bare name or {@code name@npm-range}
     * @return a future of a non-empty list, ordered as {@link #query(String)}
     * @throws IllegalArgumentException if the range is invalid
     */
    CompletableFuture<List<Service>> get(String range);

    /**
     * Calls {@code listener} for every service of this environment that matches {@code range}:
     * first a {@link ServiceEvent.Registered} for each one present now (whatever its health), then
     * each change as it is applied ({@link ServiceEvent.HealthChanged} when its health changes).
     * Events arrive in order on a Seaport-owned thread; a slow listener delays only
     * its own events and an exception it throws is logged and does not stop delivery.
     *
     * @param range a bare name or {@code name@npm-range}
     * @param listener receives the events; must not block for long
     * @return a subscription that stops the events when closed
     * @throws IllegalArgumentException if the range is invalid
     */
    Subscription watch(String range, Consumer<ServiceEvent> listener);

    /**
     * Calls {@code listener} for every service of this environment, whatever its role: first a
     * {@link ServiceEvent.Registered} for each one present now, then each change as it is applied,
     * with the same ordering and isolation as {@link #watch(String, Consumer)}.
     *
     * @param listener receives the events; must not block for long
     * @return a subscription that stops the events when closed
     */
    Subscription watchAll(Consumer<ServiceEvent> listener);

    /**
     * Returns a snapshot of this member's view of the cluster, for monitoring: members, live
     * services per environment and role, and counters since this member joined. Cheap enough to
     * call on every scrape; it takes no lock and sends nothing.
     *
     * @return the statistics as of now
     * @throws IllegalStateException if this member is closed
     */
    SeaportStatistics statistics();

    /**
     * Frees this member's registrations, telling every member at once, and leaves the cluster.
     * Idempotent.
     */
    @Override
    void close();

    /**
     * Builds a member with options other than the defaults. Each option is validated when set;
     * an invalid value is refused with an {@link IllegalArgumentException} that quotes it.
     * Not thread-safe.
     *
     * <p>An option not set here is read from a system property, then from an environment
     * variable, then takes its default:
     *
     * <table>
     * <caption>Options</caption>
     * <tr><th>option</th><th>property</th><th>variable</th><th>default</th></tr>
     * <tr><td>cluster</td><td>{@code seaport.cluster}</td><td>{@code SEAPORT_CLUSTER}</td><td>required</td></tr>
     * <tr><td>environment</td><td>{@code seaport.environment}</td><td>{@code SEAPORT_ENVIRONMENT}</td><td>{@code default}</td></tr>
     * <tr><td>host</td><td>{@code seaport.host}</td><td>{@code SEAPORT_HOST}</td><td>the bind address</td></tr>
     * <tr><td>bind address</td><td>{@code seaport.bind}</td><td>{@code SEAPORT_BIND}</td><td>{@code 127.0.0.1}</td></tr>
     * <tr><td>bind port</td><td>{@code seaport.bind.port}</td><td>{@code SEAPORT_BIND_PORT}</td><td>{@code 7800} with peers, else any free port</td></tr>
     * <tr><td>peers</td><td>{@code seaport.peers}</td><td>{@code SEAPORT_PEERS}</td><td>the members of this host (a discovery directory), or the bind address if a bind port is set</td></tr>
     * <tr><td>port range</td><td>{@code seaport.ports}</td><td>{@code SEAPORT_PORTS}</td><td>{@code 20000-29999}</td></tr>
     * <tr><td>config</td><td>{@code seaport.config}</td><td>{@code SEAPORT_CONFIG}</td><td>none</td></tr>
     * <tr><td>site</td><td>{@code seaport.site}</td><td>{@code SEAPORT_SITE}</td><td>none: the cluster is not bridged</td></tr>
     * <tr><td>bridge port</td><td>{@code seaport.bridge.port}</td><td>{@code SEAPORT_BRIDGE_PORT}</td><td>{@code 7700} with bridge peers</td></tr>
     * <tr><td>bridge peers</td><td>{@code seaport.bridge.peers}</td><td>{@code SEAPORT_BRIDGE_PEERS}</td><td>none: never a site master</td></tr>
     * <tr><td>keystore</td><td>{@code seaport.tls.keystore}</td><td>{@code SEAPORT_TLS_KEYSTORE}</td><td>none (no TLS)</td></tr>
     * <tr><td>keystore password</td><td>{@code seaport.tls.password}</td><td>{@code SEAPORT_TLS_PASSWORD}</td><td>none</td></tr>
     * <tr><td>truststore</td><td>{@code seaport.tls.truststore}</td><td>{@code SEAPORT_TLS_TRUSTSTORE}</td><td>the keystore</td></tr>
     * <tr><td>truststore password</td><td>{@code seaport.tls.truststore.password}</td><td>{@code SEAPORT_TLS_TRUSTSTORE_PASSWORD}</td><td>the keystore's</td></tr>
     * </table>
     */
    final class Builder {
        private final BuilderSupport support;
        private String cluster;
        private String environment;
        private String host;
        private String bindAddress;
        private Integer bindPort;
        private List<PeerAddress> peers;
        private int[] portRange;
        private String config;
        private TlsConfig tls;
        private String site;
        private Integer bridgePort;
        private List<PeerAddress> bridgePeers;

        Builder(UnaryOperator<String> systemProperties, UnaryOperator<String> environmentVariables) {
            this.support = new BuilderSupport(systemProperties, environmentVariables);
        }

        /**
         * Sets the cluster to join; members of other clusters are never seen.
         *
         * @param name the cluster's name: not blank, no control characters, at most 255 characters
         * @return this builder
         * @throws IllegalArgumentException if the name is invalid
         */
        public Builder cluster(String name) {
            this.cluster = BuilderSupport.checkName("cluster", name);
            return this;
        }

        /**
         * Sets the environment to register into and query by default; environments of one
         * cluster keep their maps apart.
         *
         * @param name the environment's name: not blank, no control characters, at most 255 characters
         * @return this builder
         * @throws IllegalArgumentException if the name is invalid
         */
        public Builder environment(String name) {
            this.environment = BuilderSupport.checkName("environment", name);
            return this;
        }

        /**
         * Sets the host that peers are told to connect to for this member's services.
         *
         * @param advertisedHost a host name or an IP literal ({@code ::1} or {@code [::1]})
         * @return this builder
         * @throws IllegalArgumentException if it is not a valid host name or IP literal
         */
        public Builder host(String advertisedHost) {
            this.host = BuilderSupport.checkHost("host", advertisedHost);
            return this;
        }

        /**
         * Sets the address the cluster transport binds to; it is also the advertised host unless
         * {@link #host(String)} is set.
         *
         * @param address an IP literal or host name of this machine
         * @return this builder
         * @throws IllegalArgumentException if it is not a valid host name or IP literal
         */
        public Builder bindAddress(String address) {
            this.bindAddress = BuilderSupport.checkHost("bind address", address);
            return this;
        }

        /**
         * Sets the first port the cluster transport tries; it takes the first free one of
         * {@code port..port+10}. Peers without a port are probed on the same span. Unset and with no
         * peers, the transport takes any free port and members of this host find each other
         * without a port span (so there is no cap on members per host).
         *
         * @param port 1..65535
         * @return this builder
         * @throws IllegalArgumentException if the port is out of range
         */
        public Builder bindPort(int port) {
            this.bindPort = BuilderSupport.checkPort("bind port", port);
            return this;
        }

        /**
         * Sets the members to contact when joining, for clusters that span hosts: every host
         * should be listed. {@code host:port} probes {@code port..port+10} on that host;
         * {@code host} alone uses the bind port.
         *
         * @param hostPorts entries like {@code 10.0.0.5:7800}, {@code [fd00::5]:7800}, {@code db1}
         * @return this builder
         * @throws IllegalArgumentException if the list is empty or an entry is invalid
         */
        public Builder peers(String... hostPorts) {
            Objects.requireNonNull(hostPorts, "peers");
            if (hostPorts.length == 0) {
                throw new IllegalArgumentException("peers must name at least one host, was empty");
            }
            List<PeerAddress> parsed = new ArrayList<>(hostPorts.length);
            for (String hostPort : hostPorts) {
                parsed.add(PeerAddress.parse(hostPort));
            }
            this.peers = List.copyOf(parsed);
            return this;
        }

        /**
         * Sets the ports that {@link Seaport#service} and {@link Seaport#allocate} hand out.
         *
         * @param from the first port, 1..65535
         * @param to the last port, from..65535
         * @return this builder
         * @throws IllegalArgumentException if the range is empty or out of bounds
         */
        public Builder portRange(int from, int to) {
            this.portRange = BuilderSupport.checkPortRange(from, to);
            return this;
        }

        /**
         * Sets a provider-specific stack to use instead of the built-in transport: for the
         * JGroups provider, a JGroups XML file or class-path resource.
         *
         * @param stack a file path or resource name
         * @return this builder
         * @throws IllegalArgumentException if it is blank
         */
        public Builder config(String stack) {
            this.config = BuilderSupport.checkNotBlank("config", stack);
            return this;
        }

        /**
         * Makes this member's cluster one site (data centre) of several, bridged by JGroups' RELAY3:
         * each site runs its own cluster, and its site master (a member with
         * {@link #bridgePeers(String...)}) relays every change to the other sites and theirs to
         * this one, so lookups see the services of every site ({@link Service#site()} tells
         * which). Every member of a cluster must name the same site.
         *
         * @param name the site's name: not blank, no control characters, at most 255 characters
         * @return this builder
         * @throws IllegalArgumentException if the name is invalid
         */
        public Builder site(String name) {
            this.site = BuilderSupport.checkName("site", name);
            return this;
        }

        /**
         * Sets the first port of this member's bridge transport (bound to the bind address); it
         * takes the first free one of {@code port..port+10}. Needs {@link #bridgePeers(String...)}.
         *
         * @param port 1..65535
         * @return this builder
         * @throws IllegalArgumentException if the port is out of range
         */
        public Builder bridgePort(int port) {
            this.bridgePort = BuilderSupport.checkPort("bridge port", port);
            return this;
        }

        /**
         * Makes this member a site master candidate: when it is the oldest candidate of its site,
         * it joins the bridge cluster formed by these peers (TCP, probing {@code port..port+10} of
         * each) and relays between its site and the others. List the bridge address of every
         * candidate of every site. A member without bridge peers relays through a candidate of
         * its site.
         *
         * @param hostPorts entries like {@code 10.0.0.5:7700}, {@code [fd00::5]:7700}, {@code dc1-a}
         *     ({@code host} alone uses the bridge port)
         * @return this builder
         * @throws IllegalArgumentException if the list is empty or an entry is invalid
         */
        public Builder bridgePeers(String... hostPorts) {
            Objects.requireNonNull(hostPorts, "bridge peers");
            if (hostPorts.length == 0) {
                throw new IllegalArgumentException("bridge peers must name at least one host, was empty");
            }
            List<PeerAddress> parsed = new ArrayList<>(hostPorts.length);
            for (String hostPort : hostPorts) {
                parsed.add(PeerAddress.parse(hostPort));
            }
            this.bridgePeers = List.copyOf(parsed);
            return this;
        }

        /**
         * Turns on TLS with one shared key: the keystore's certificate is also the only trusted
         * one, so whoever holds the file can join ("know the key to take part").
         *
         * @param keystore a PKCS12 file holding one private key and its certificate
         * @param password the keystore's password
         * @return this builder
         * @throws IllegalArgumentException if the file is not readable
         */
        public Builder tls(Path keystore, char[] password) {
            this.tls = TlsConfig.sharedKey(keystore, password);
            return this;
        }

        /**
         * Turns on TLS with a member key and a separate truststore, typically holding a cluster CA.
         *
         * @param keystore a PKCS12 file holding this member's private key and certificate chain
         * @param password the keystore's password
         * @param truststore a PKCS12 file holding the trusted certificates
         * @param truststorePassword the truststore's password
         * @return this builder
         * @throws IllegalArgumentException if a file is not readable
         */
        public Builder tls(Path keystore, char[] password, Path truststore, char[] truststorePassword) {
            this.tls = TlsConfig.withTruststore(keystore, password, truststore, truststorePassword);
            return this;
        }

        /**
         * Joins the cluster with a provider found by {@link java.util.ServiceLoader}. It returns
         * once this member's replica holds the registrations of every member of the view it
         * joined.
         *
         * @return a joined member
         * @throws IllegalStateException if no cluster is set, or no provider is on the class or
         *     module path
         * @throws IllegalArgumentException if a setting read from a property or variable is invalid,
         *     or the provider does not support a setting
         * @throws SeaportException if the cluster cannot be joined
         */
        public Seaport join() {
            return ProviderLookup.provider().join(toConfig());
        }

        /**
         * Returns the settings this builder would join with, after properties, variables and
         * defaults are applied.
         *
         * @return the complete configuration handed to the provider
         * @throws IllegalStateException if no cluster is set
         * @throws IllegalArgumentException if a setting read from a property or variable is invalid,
         *     or a bridge is set without a site
         */
        public SeaportConfig toConfig() {
            String clusterName = support.resolve(cluster, "seaport.cluster", "SEAPORT_CLUSTER",
                    v -> BuilderSupport.checkName("cluster", v));
            if (clusterName == null) {
                throw new IllegalStateException(
                        "no cluster set: call cluster(name), use Seaport.join(name), or set seaport.cluster");
            }
            String env = support.resolve(environment, "seaport.environment", "SEAPORT_ENVIRONMENT",
                    v -> BuilderSupport.checkName("environment", v));
            String bind = support.resolve(bindAddress, "seaport.bind", "SEAPORT_BIND",
                    v -> BuilderSupport.checkHost("bind address", v));
            Integer port = support.resolve(bindPort, "seaport.bind.port", "SEAPORT_BIND_PORT",
                    v -> BuilderSupport.checkPort("bind port", BuilderSupport.parseInt("bind port", v)));
            String advertised = support.resolve(host, "seaport.host", "SEAPORT_HOST",
                    v -> BuilderSupport.checkHost("host", v));
            List<PeerAddress> peerList = support.resolve(peers, "seaport.peers", "SEAPORT_PEERS",
                    BuilderSupport::parsePeers);
            int[] ports = support.resolve(portRange, "seaport.ports", "SEAPORT_PORTS",
                    BuilderSupport::parsePortRange);
            String stack = support.resolve(config, "seaport.config", "SEAPORT_CONFIG",
                    v -> BuilderSupport.checkNotBlank("config", v));
            TlsConfig tlsConfig = tls != null ? tls : support.tlsFromEnvironment();
            String siteName = support.resolve(site, "seaport.site", "SEAPORT_SITE",
                    v -> BuilderSupport.checkName("site", v));
            Integer bridge = support.resolve(bridgePort, "seaport.bridge.port", "SEAPORT_BRIDGE_PORT",
                    v -> BuilderSupport.checkPort("bridge port", BuilderSupport.parseInt("bridge port", v)));
            List<PeerAddress> bridgeList = support.resolve(bridgePeers, "seaport.bridge.peers",
                    "SEAPORT_BRIDGE_PEERS", BuilderSupport::parsePeers);
            return new SeaportConfig(
                    clusterName,
                    env != null ? env : SeaportConfig.DEFAULT_ENVIRONMENT,
                    Optional.ofNullable(advertised),
                    Optional.ofNullable(bind),
                    port != null ? OptionalInt.of(port) : OptionalInt.empty(),
                    peerList != null ? peerList : List.of(),
                    ports != null ? ports[0] : SeaportConfig.DEFAULT_PORT_RANGE_FROM,
                    ports != null ? ports[1] : SeaportConfig.DEFAULT_PORT_RANGE_TO,
                    Optional.ofNullable(stack),
                    Optional.ofNullable(tlsConfig),
                    Optional.ofNullable(siteName),
                    bridge != null ? OptionalInt.of(bridge) : OptionalInt.empty(),
                    bridgeList != null ? bridgeList : List.of());
        }
    }
}
