package io.seaport.internal;

import io.seaport.spi.PeerAddress;
import io.seaport.spi.TlsConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Validation of builder options and their fallback to system properties and environment
 * variables. Validation does no I/O: host names are checked for form, not resolved.
 */
public final class BuilderSupport {
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    private static final Pattern DOTTED_NUMBERS = Pattern.compile("[0-9.]+");
    private static final Pattern IPV4 = Pattern.compile(
            "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+(%[0-9A-Za-z_.-]+)?");

    private final UnaryOperator<String> systemProperties;
    private final UnaryOperator<String> environmentVariables;

    /**
     * Creates support reading the given sources.
     *
     * @param systemProperties usually {@code System::getProperty}
     * @param environmentVariables usually {@code System::getenv}
     */
    public BuilderSupport(UnaryOperator<String> systemProperties, UnaryOperator<String> environmentVariables) {
        this.systemProperties = systemProperties;
        this.environmentVariables = environmentVariables;
    }

    /**
     * Returns {@code explicit} if set, else the property's value, else the variable's, parsed.
     *
     * @param explicit the value set on the builder, or null
     * @param property the system property's name
     * @param variable the environment variable's name
     * @param parse validates and converts the text; its message is prefixed with the source
     * @param <T> the option's type
     * @return the value, or null if no source sets it
     * @throws IllegalArgumentException naming the property or variable if its value is invalid
     */
    public <T> T resolve(T explicit, String property, String variable, Function<String, T> parse) {
        if (explicit != null) {
            return explicit;
        }
        String fromProperty = systemProperties.apply(property);
        if (fromProperty != null && !fromProperty.isBlank()) {
            return parseFrom("system property " + property, fromProperty, parse);
        }
        String fromVariable = environmentVariables.apply(variable);
        if (fromVariable != null && !fromVariable.isBlank()) {
            return parseFrom("environment variable " + variable, fromVariable, parse);
        }
        return null;
    }

    /**
     * Returns the TLS settings given by properties or variables, or null if none is given.
     *
     * @return the settings, or null
     * @throws IllegalArgumentException if a keystore is named but its password is not, or a file
     *     is not readable
     */
    public TlsConfig tlsFromEnvironment() {
        String keystore = resolve(null, "seaport.tls.keystore", "SEAPORT_TLS_KEYSTORE", v -> v);
        String truststore = resolve(null, "seaport.tls.truststore", "SEAPORT_TLS_TRUSTSTORE", v -> v);
        if (keystore == null) {
            if (truststore != null) {
                throw new IllegalArgumentException("a TLS truststore is set ('" + truststore
                        + "') but no keystore: set seaport.tls.keystore or SEAPORT_TLS_KEYSTORE too");
            }
            return null;
        }
        String password = resolve(null, "seaport.tls.password", "SEAPORT_TLS_PASSWORD", v -> v);
        if (password == null) {
            throw new IllegalArgumentException("TLS keystore '" + keystore
                    + "' is set but no password: set seaport.tls.password or SEAPORT_TLS_PASSWORD");
        }
        if (truststore == null) {
            return TlsConfig.sharedKey(Path.of(keystore), password.toCharArray());
        }
        String trustPassword = resolve(null, "seaport.tls.truststore.password", "SEAPORT_TLS_TRUSTSTORE_PASSWORD", v -> v);
        return TlsConfig.withTruststore(Path.of(keystore), password.toCharArray(), Path.of(truststore),
                (trustPassword != null ? trustPassword : password).toCharArray());
    }

    private static <T> T parseFrom(String source, String value, Function<String, T> parse) {
        try {
            return parse.apply(value.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
    }

    /**
     * Checks a cluster or environment name.
     *
     * @param what the option's name, for the message
     * @param name the value
     * @return the trimmed name
     * @throws IllegalArgumentException if it is blank, too long, has control characters or a lone
     *     UTF-16 surrogate
     */
    public static String checkName(String what, String name) {
        Objects.requireNonNull(name, what);
        String trimmed = name.strip();
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException(what + " name must not be blank, was '" + name + "'");
        }
        if (trimmed.length() > Names.MAX_LENGTH) {
            throw new IllegalArgumentException(what + " name must have at most " + Names.MAX_LENGTH
                    + " characters, had " + trimmed.length());
        }
        if (trimmed.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException(what + " name must not contain control characters, was '"
                    + Names.printable(name) + "'");
        }
        if (!Limits.isWellFormed(trimmed)) {
            throw new IllegalArgumentException(what + " name must not contain a lone UTF-16 surrogate, was '"
                    + Names.printable(name) + "'");
        }
        return trimmed;
    }

    /**
     * Checks that a value is not blank.
     *
     * @param what the option's name
     * @param value the value
     * @return the trimmed value
     * @throws IllegalArgumentException if it is blank
     */
    public static String checkNotBlank(String what, String value) {
        Objects.requireNonNull(value, what);
        if (value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank, was '" + value + "'");
        }
        return value.strip();
    }

    /**
     * Checks the form of a host name or IP literal, without resolving it.
     *
     * @param what the option's name
     * @param host the value; an IPv6 literal may be in brackets
     * @return the host, trimmed and without brackets
     * @throws IllegalArgumentException if it is neither a host name nor an IP literal
     */
    public static String checkHost(String what, String host) {
        Objects.requireNonNull(host, what);
        String h = host.strip();
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        boolean valid;
        if (h.indexOf(':') >= 0) {
            valid = IPV6.matcher(h).matches() && isIpv6(h);
        } else if (DOTTED_NUMBERS.matcher(h).matches()) {
            valid = IPV4.matcher(h).matches();
        } else {
            valid = h.length() <= 253 && !h.isEmpty();
            for (String label : h.split("\\.", -1)) {
                valid &= LABEL.matcher(label).matches();
            }
        }
        valid &= h.length() <= Limits.HOST_CHARS;
        if (!valid) {
            throw new IllegalArgumentException(what + " must be a host name or an IP address, was '"
                    + Names.printable(host) + "'");
        }
        return h;
    }

    private static boolean isIpv6(String literal) {
        try {
            // A literal with ':' is parsed, never looked up.
            int zone = literal.indexOf('%'); // a zone (fe80::1%eth0) names a local interface
            String address = zone < 0 ? literal : literal.substring(0, zone);
            return java.net.InetAddress.getByName("[" + address + "]") instanceof java.net.Inet6Address
                    || address.contains(".");
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    /**
     * Checks a port number.
     *
     * @param what the option's name
     * @param port the value
     * @return the port
     * @throws IllegalArgumentException if it is outside 1..65535
     */
    public static int checkPort(String what, int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(what + " must be in 1..65535, was " + port);
        }
        return port;
    }

    /**
     * Checks a port range.
     *
     * @param from the first port
     * @param to the last port
     * @return {@code {from, to}}
     * @throws IllegalArgumentException if either is outside 1..65535 or from > to
     */
    public static int[] checkPortRange(int from, int to) {
        if (from < 1 || to > 65535 || from > to) {
            throw new IllegalArgumentException("port range must be within 1..65535 with from <= to, was "
                    + from + "-" + to);
        }
        return new int[] {from, to};
    }

    /**
     * Parses {@code FROM-TO}.
     *
     * @param text the range text
     * @return {@code {from, to}}
     * @throws IllegalArgumentException if it is not two ports joined by '-'
     */
    public static int[] parsePortRange(String text) {
        String[] parts = text.split("-", -1);
        if (parts.length != 2) {
            throw new IllegalArgumentException("port range must be FROM-TO such as 20000-29999, was '" + text + "'");
        }
        return checkPortRange(parseInt("port range", parts[0]), parseInt("port range", parts[1]));
    }

    /**
     * Parses a comma- or space-separated list of peers.
     *
     * @param text the list
     * @return the peers
     * @throws IllegalArgumentException if the list is empty or an entry is invalid
     */
    public static List<PeerAddress> parsePeers(String text) {
        List<PeerAddress> peers = new ArrayList<>();
        for (String entry : text.split("[,\\s]+")) {
            if (!entry.isEmpty()) {
                peers.add(PeerAddress.parse(entry));
            }
        }
        if (peers.isEmpty()) {
            throw new IllegalArgumentException("peers must name at least one host, was '" + text + "'");
        }
        return List.copyOf(peers);
    }

    /**
     * Parses a decimal integer.
     *
     * @param what the option's name
     * @param text the text
     * @return the number
     * @throws IllegalArgumentException if it is not a number
     */
    public static int parseInt(String what, String text) {
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " must be a number, was '" + text + "'", e);
        }
    }
}
