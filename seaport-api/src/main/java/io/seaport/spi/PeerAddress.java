package io.seaport.spi;

import io.seaport.internal.BuilderSupport;
import java.util.Objects;

/**
 * A place to look for members: a host and, optionally, the first port of its transport span.
 *
 * @param host a host name or IP literal (IPv6 without brackets)
 * @param port the first transport port to probe, or 0 for "the bind port"
 */
public record PeerAddress(String host, int port) {

    /**
     * Checks the host and the port.
     *
     * @param host a host name or IP literal (IPv6 without brackets)
     * @param port the first transport port to probe, or 0 for "the bind port"
     */
    public PeerAddress {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("peer port must be in 1..65535, was " + port);
        }
    }

    /**
     * Parses {@code host}, {@code host:port}, {@code [v6]:port}, {@code [v6]} or JGroups'
     * {@code host[port]}.
     *
     * @param hostPort the text to parse
     * @return the peer address
     * @throws IllegalArgumentException if the text is not one of those forms, quoting it
     */
    public static PeerAddress parse(String hostPort) {
        Objects.requireNonNull(hostPort, "peer");
        String text = hostPort.trim();
        String host;
        String port = null;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw invalid(hostPort);
            }
            host = text.substring(1, close);
            String rest = text.substring(close + 1);
            if (rest.startsWith(":")) {
                port = rest.substring(1);
            } else if (!rest.isEmpty()) {
                throw invalid(hostPort);
            }
        } else if (text.endsWith("]") && text.indexOf('[') > 0) {
            int open = text.indexOf('[');
            host = text.substring(0, open);
            port = text.substring(open + 1, text.length() - 1);
        } else {
            int colon = text.indexOf(':');
            if (colon >= 0 && colon == text.lastIndexOf(':')) {
                host = text.substring(0, colon);
                port = text.substring(colon + 1);
            } else {
                host = text; // a bare IPv6 literal has several colons and no port
            }
        }
        if (host.isEmpty()) {
            throw invalid(hostPort);
        }
        try {
            BuilderSupport.checkHost("peer", host);
        } catch (IllegalArgumentException e) {
            throw invalid(hostPort);
        }
        int portNumber = 0;
        if (port != null) {
            try {
                portNumber = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                throw invalid(hostPort);
            }
            if (portNumber < 1 || portNumber > 65535) {
                throw invalid(hostPort);
            }
        }
        return new PeerAddress(host, portNumber);
    }

    /**
     * Returns the port to probe first: this address's own, or {@code defaultPort}.
     *
     * @param defaultPort the bind port, used when none was given
     * @return the first transport port to probe
     */
    public int portOr(int defaultPort) {
        return port == 0 ? defaultPort : port;
    }

    @Override
    public String toString() {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return port == 0 ? h : h + ":" + port;
    }

    private static IllegalArgumentException invalid(String hostPort) {
        return new IllegalArgumentException("invalid peer '" + hostPort
                + "': expected host, host:port, [ipv6]:port or host[port] with a port in 1..65535");
    }
}
