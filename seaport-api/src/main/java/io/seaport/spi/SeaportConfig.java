package io.seaport.spi;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The settings of one member, as {@link io.seaport.Seaport.Builder} hands them to a provider
 * after system properties, environment variables and defaults are applied. An empty optional
 * means the user did not set the option, so the provider applies its own default.
 *
 * @param cluster the cluster's name
 * @param environment the environment to register into and query by default
 * @param advertisedHost the host peers are told; empty: the bind address
 * @param bindAddress the transport's bind address; empty: {@value #DEFAULT_BIND_ADDRESS}
 * @param bindPort the transport's first port; empty: {@value #DEFAULT_BIND_PORT} if peers are set,
 *     else the provider's same-host discovery (any free port)
 * @param peers where to look for members; empty: the members of this host
 * @param portRangeFrom the first port {@code service()} and {@code allocate()} hand out
 * @param portRangeTo the last port {@code service()} and {@code allocate()} hand out
 * @param stack a provider-specific stack (for JGroups, an XML file or resource)
 * @param tls TLS settings; empty: plaintext transport
 * @param site the site (data centre) whose cluster this member joins; empty: no sites, the
 *     cluster is not bridged
 * @param bridgePort the first port of this member's bridge transport; empty:
 *     {@value #DEFAULT_BRIDGE_PORT} when bridge peers are set
 * @param bridgePeers the site masters of every site, as {@code host[:port]}; empty: this member
 *     never becomes a site master and relays through one of its site that has bridge peers
 */
public record SeaportConfig(
        String cluster,
        String environment,
        Optional<String> advertisedHost,
        Optional<String> bindAddress,
        OptionalInt bindPort,
        List<PeerAddress> peers,
        int portRangeFrom,
        int portRangeTo,
        Optional<String> stack,
        Optional<TlsConfig> tls,
        Optional<String> site,
        OptionalInt bridgePort,
        List<PeerAddress> bridgePeers) {

    /** The environment of a member that sets none. */
    public static final String DEFAULT_ENVIRONMENT = "default";

    /** The transport's bind address unless set: loopback, so nothing leaves the machine. */
    public static final String DEFAULT_BIND_ADDRESS = "127.0.0.1";

    /** The transport's first port when peers are set but no bind port; it takes the first free port of 7800..7810. */
    public static final int DEFAULT_BIND_PORT = 7800;

    /** The bridge transport's first port when bridge peers are set but no bridge port; it takes the first free of 7700..7710. */
    public static final int DEFAULT_BRIDGE_PORT = 7700;

    /** How many ports above the bind port the transport and discovery try. */
    public static final int TRANSPORT_PORT_SPAN = 10;

    /** The first port handed out unless set: clear of the transport's ports and the ephemeral range. */
    public static final int DEFAULT_PORT_RANGE_FROM = 20000;

    /** The last port handed out unless set. */
    public static final int DEFAULT_PORT_RANGE_TO = 29999;

    /**
     * Checks that every component is present and the port range is well formed.
     *
     * @param cluster the cluster's name
     * @param environment the environment to register into and query by default
     * @param advertisedHost the host peers are told; empty: the bind address
     * @param bindAddress the transport's bind address; empty: {@value #DEFAULT_BIND_ADDRESS}
     * @param bindPort the transport's first port; empty: {@value #DEFAULT_BIND_PORT}
     * @param peers where to look for members; empty: the bind address
     * @param portRangeFrom the first port {@code service()} and {@code allocate()} hand out
     * @param portRangeTo the last port {@code service()} and {@code allocate()} hand out
     * @param stack a provider-specific stack (for JGroups, an XML file or resource)
     * @param tls TLS settings; empty: plaintext transport
     * @param site the site whose cluster this member joins; empty: no sites
     * @param bridgePort the first port of the bridge transport; empty: {@value #DEFAULT_BRIDGE_PORT}
     * @param bridgePeers the site masters of every site; empty: this member never becomes a site
     *     master
     * @throws IllegalArgumentException if the port range is malformed, or a bridge is set without
     *     a site
     */
    public SeaportConfig {
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(advertisedHost, "advertisedHost");
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(bindPort, "bindPort");
        peers = List.copyOf(peers);
        Objects.requireNonNull(stack, "stack");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(site, "site");
        Objects.requireNonNull(bridgePort, "bridgePort");
        bridgePeers = List.copyOf(bridgePeers);
        if (site.isEmpty() && (bridgePort.isPresent() || !bridgePeers.isEmpty())) {
            throw new IllegalArgumentException("a bridge (port " + (bridgePort.isPresent() ? bridgePort.getAsInt() : "unset")
                    + ", peers " + bridgePeers + ") is set but no site: set the site this member's cluster is");
        }
        if (bridgePort.isPresent() && bridgePeers.isEmpty()) {
            throw new IllegalArgumentException("bridge port " + bridgePort.getAsInt()
                    + " is set but no bridge peers: list the site masters of every site");
        }
        if (portRangeFrom < 1 || portRangeTo > 65535 || portRangeFrom > portRangeTo) {
            throw new IllegalArgumentException(
                    "port range must be within 1..65535 with from <= to, was " + portRangeFrom + "-" + portRangeTo);
        }
    }

    /**
     * Creates a configuration without sites: the cluster is not bridged to others.
     *
     * @param cluster the cluster's name
     * @param environment the environment to register into and query by default
     * @param advertisedHost the host peers are told; empty: the bind address
     * @param bindAddress the transport's bind address; empty: {@value #DEFAULT_BIND_ADDRESS}
     * @param bindPort the transport's first port; empty: {@value #DEFAULT_BIND_PORT}
     * @param peers where to look for members; empty: the bind address
     * @param portRangeFrom the first port {@code service()} and {@code allocate()} hand out
     * @param portRangeTo the last port {@code service()} and {@code allocate()} hand out
     * @param stack a provider-specific stack (for JGroups, an XML file or resource)
     * @param tls TLS settings; empty: plaintext transport
     */
    public SeaportConfig(String cluster, String environment, Optional<String> advertisedHost,
                         Optional<String> bindAddress, OptionalInt bindPort, List<PeerAddress> peers,
                         int portRangeFrom, int portRangeTo, Optional<String> stack, Optional<TlsConfig> tls) {
        this(cluster, environment, advertisedHost, bindAddress, bindPort, peers, portRangeFrom, portRangeTo, stack,
                tls, Optional.empty(), OptionalInt.empty(), List.of());
    }

    /**
     * Returns the bridge transport's first port, or its default.
     *
     * @return the first port the bridge transport tries
     */
    public int effectiveBridgePort() {
        return bridgePort.orElse(DEFAULT_BRIDGE_PORT);
    }

    /**
     * Returns the bind address, or its default.
     *
     * @return the address the transport binds to
     */
    public String effectiveBindAddress() {
        return bindAddress.orElse(DEFAULT_BIND_ADDRESS);
    }

    /**
     * Returns the bind port, or its default.
     *
     * @return the first port the transport tries
     */
    public int effectiveBindPort() {
        return bindPort.orElse(DEFAULT_BIND_PORT);
    }

    /**
     * Returns the advertised host, or the bind address.
     *
     * @return the host written into this member's services
     */
    public String effectiveHost() {
        return advertisedHost.orElseGet(this::effectiveBindAddress);
    }
}
