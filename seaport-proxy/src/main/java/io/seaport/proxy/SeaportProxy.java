package io.seaport.proxy;

import io.seaport.Seaport;
import io.seaport.SeaportException;
import io.seaport.proxy.internal.ProxyConfig;
import io.seaport.proxy.internal.ProxyServer;
import io.seaport.RoleRange;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Objects;

/**
 * A TCP proxy that listens on a local port and sends each accepted connection to one live
 * service matching a semver range, chosen from the local replica of a {@link Seaport}.
 *
 * <p>Services are looked up in the member's own {@linkplain Seaport#environment() environment},
 * from its replica: the proxy watches the range and never polls. For each connection the proxy
 * picks a matching service by its {@link Balancing} strategy
 * (round robin by default). A service that refuses or does not answer within the connect timeout
 * is skipped for the next one and left out of new picks for a short while. When nothing matches
 * yet, the connection waits, like {@link Seaport#get(String)}, until a matching service registers
 * or the wait timeout passes, then it is closed. A service that leaves the registry receives no
 * new connections from the moment its event arrives; connections already open to it are left to
 * finish. Bytes are piped both ways without unbounded buffering, and a half-close on either side
 * is passed on.
 *
 * <pre>{@code
 * try (SeaportProxy proxy = SeaportProxy.forward(seaport, "http@1.x", 8080)) {
 *     // http://127.0.0.1:8080 reaches a live http@1.x.x service
 * }
 * }</pre>
 *
 * <p>Instances are thread-safe and returned started. {@link #close()} stops listening, closes
 * every connection and stops the proxy's threads (named {@code seaport-proxy-...}).
 */
public final class SeaportProxy implements AutoCloseable {
    private final ProxyServer server;

    private SeaportProxy(ProxyServer server) {
        this.server = server;
    }

    /**
     * Returns a started proxy that forwards {@code 127.0.0.1:localPort} to the services matching
     * {@code range}, with the default options of {@link Builder}.
     *
     * @param seaport the member whose replica is used to find services; not closed by the proxy
     * @param range a bare name or {@code name@npm-range}, such as {@code http@1.x}
     * @param localPort the port to listen on, or 0 for any free port (see {@link #port()})
     * @return the started proxy
     * @throws IllegalArgumentException if the range or the port is invalid
     * @throws IllegalStateException if {@code seaport} is closed
     * @throws SeaportException if the port cannot be listened on, such as when it is in use
     */
    public static SeaportProxy forward(Seaport seaport, String range, int localPort) {
        return builder(seaport).range(range).port(localPort).build();
    }

    /**
     * Returns a builder for a proxy with options other than the defaults.
     *
     * @param seaport the member whose replica is used to find services; not closed by the proxy
     * @return a new builder
     * @throws NullPointerException if {@code seaport} is null
     */
    public static Builder builder(Seaport seaport) {
        return new Builder(Objects.requireNonNull(seaport, "seaport"));
    }

    /**
     * Returns the port this proxy listens on; useful when it was built with port 0.
     *
     * @return the local port, 1..65535
     */
    public int port() {
        return server.port();
    }

    /**
     * Returns the address this proxy listens on.
     *
     * @return the bind address, {@code 127.0.0.1} unless set
     */
    public InetAddress bindAddress() {
        return server.bindAddress();
    }

    /**
     * Returns a snapshot of this proxy's counters. Thread-safe; cheap enough to poll.
     *
     * @return the counters now
     */
    public ProxyStats stats() {
        return server.stats();
    }

    /**
     * Stops listening, closes every open connection, stops the proxy's threads and stops watching
     * the registry. The local port is free again when it returns. The {@link Seaport} is not
     * closed. Idempotent.
     */
    @Override
    public void close() {
        server.close();
    }

    @Override
    public String toString() {
        return "SeaportProxy[" + server + "]";
    }

    /**
     * Builds a {@link SeaportProxy}. Each option is validated when set; an invalid value is
     * refused with an {@link IllegalArgumentException} that quotes it. Not thread-safe.
     */
    public static final class Builder {
        private final Seaport seaport;
        private String range;
        private InetAddress bindAddress = InetAddress.getLoopbackAddress();
        private int port;
        private Balancing balancing = Balancing.ROUND_ROBIN;
        private Duration connectTimeout = Duration.ofSeconds(3);
        private Duration waitTimeout = Duration.ofSeconds(10);
        private Duration ejection = Duration.ofSeconds(5);
        private int maxConnections;
        private int ioThreads = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));

        private Builder(Seaport seaport) {
            this.seaport = seaport;
        }

        /**
         * Sets the range of services to forward to. Required.
         *
         * @param range a bare name or {@code name@npm-range}, such as {@code http@1.x}
         * @return this builder
         * @throws IllegalArgumentException if the range is invalid
         * @throws NullPointerException if {@code range} is null
         */
        public Builder range(String range) {
            RoleRange.parse(range);
            this.range = range;
            return this;
        }

        /**
         * Sets the address to listen on. Defaults to {@code 127.0.0.1}: only this machine can
         * connect.
         *
         * @param address an IP literal ({@code 127.0.0.1}, {@code ::1}, {@code [::1]}) or a host
         *     name of this machine
         * @return this builder
         * @throws IllegalArgumentException if it is blank or cannot be resolved
         */
        public Builder bindAddress(String address) {
            Objects.requireNonNull(address, "bind address");
            String host = address.strip();
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            if (host.isEmpty()) {
                throw new IllegalArgumentException(
                        "bind address must be an IP literal or host name, was '" + address + "'");
            }
            try {
                this.bindAddress = InetAddress.getByName(host);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("bind address '" + address
                        + "' cannot be resolved; expected an IP literal or a host name of this machine", e);
            }
            return this;
        }

        /**
         * Sets the local port to listen on. Defaults to 0: any free port, see {@link #port()}.
         *
         * @param port 0..65535
         * @return this builder
         * @throws IllegalArgumentException if the port is out of range
         */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be in 0..65535 (0 = any free port), was " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * Sets how a service is chosen for each new connection. Defaults to
         * {@link Balancing#ROUND_ROBIN}.
         *
         * @param balancing the strategy
         * @return this builder
         * @throws NullPointerException if {@code balancing} is null
         */
        public Builder balancing(Balancing balancing) {
            this.balancing = Objects.requireNonNull(balancing, "balancing");
            return this;
        }

        /**
         * Sets how long a connection attempt to one service may take before the next service is
         * tried. Defaults to 3 seconds.
         *
         * @param timeout positive, at most one hour
         * @return this builder
         * @throws IllegalArgumentException if it is zero, negative or longer than one hour
         */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = checkDuration("connect timeout", timeout, false);
            return this;
        }

        /**
         * Sets how long a connection waits for a matching service to register when none is
         * present, before it is closed. Defaults to 10 seconds; zero closes it at once.
         *
         * @param timeout zero or positive, at most one hour
         * @return this builder
         * @throws IllegalArgumentException if it is negative or longer than one hour
         */
        public Builder waitTimeout(Duration timeout) {
            this.waitTimeout = checkDuration("wait timeout", timeout, true);
            return this;
        }

        /**
         * Sets how long a service that refused or timed out is left out of new picks (outlier
         * ejection). It is still tried when every matching service is left out. Defaults to 5
         * seconds; zero turns ejection off.
         *
         * @param duration zero or positive, at most one hour
         * @return this builder
         * @throws IllegalArgumentException if it is negative or longer than one hour
         */
        public Builder ejection(Duration duration) {
            this.ejection = checkDuration("ejection", duration, true);
            return this;
        }

        /**
         * Sets the most client connections open at once; while at the limit the proxy stops
         * accepting, and further clients wait in the listen backlog. Unlimited by default.
         *
         * @param max 1 or more
         * @return this builder
         * @throws IllegalArgumentException if it is less than 1
         */
        public Builder maxConnections(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("max connections must be at least 1, was " + max);
            }
            this.maxConnections = max;
            return this;
        }

        /**
         * Sets how many selector threads move bytes. Defaults to the number of processors, at
         * most 2.
         *
         * @param threads 1..64
         * @return this builder
         * @throws IllegalArgumentException if it is out of range
         */
        public Builder ioThreads(int threads) {
            if (threads < 1 || threads > 64) {
                throw new IllegalArgumentException("io threads must be in 1..64, was " + threads);
            }
            this.ioThreads = threads;
            return this;
        }

        /**
         * Returns a started proxy: it listens, watches the registry and forwards connections.
         * Nothing is left open when it throws.
         *
         * @return the started proxy
         * @throws IllegalStateException if no range is set, or the {@link Seaport} is closed
         * @throws SeaportException if the port cannot be listened on, such as when it is in use
         */
        public SeaportProxy build() {
            if (range == null) {
                throw new IllegalStateException("no range set: call range(\"name@range\")");
            }
            ProxyConfig config = new ProxyConfig(range, bindAddress, port, balancing, connectTimeout,
                    waitTimeout, ejection, maxConnections, ioThreads);
            return new SeaportProxy(ProxyServer.start(seaport, config));
        }

        private static Duration checkDuration(String what, Duration value, boolean zeroAllowed) {
            Objects.requireNonNull(value, what);
            if (value.isNegative() || (!zeroAllowed && value.isZero()) || value.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException(what + " must be " + (zeroAllowed ? "zero or positive" : "positive")
                        + " and at most one hour, was " + value);
            }
            return value;
        }
    }
}
