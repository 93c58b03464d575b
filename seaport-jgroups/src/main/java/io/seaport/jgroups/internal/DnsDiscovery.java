package io.seaport.jgroups.internal;

import java.util.Locale;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.jgroups.protocols.dns.DNS_PING;

/**
 * Discovery through DNS, for a Kubernetes headless service (JGroups' {@code DNS_PING}): the
 * members are the addresses a DNS name resolves to, each probed on the transport's ports.
 * Chosen by the provider settings below (system property, else environment variable), so a pod
 * spec can switch it on without code.
 *
 * <ul>
 * <li>{@value #QUERY_PROPERTY} / {@code SEAPORT_DNS_QUERY}: the name, e.g.
 *     {@code seaport.shop.svc.cluster.local}; setting it switches DNS discovery on.
 * <li>{@value #SERVER_PROPERTY} / {@code SEAPORT_DNS_SERVER}: {@code host[:port]} of the DNS
 *     server; default: the system's resolver ({@code /etc/resolv.conf}).
 * <li>{@value #TYPE_PROPERTY} / {@code SEAPORT_DNS_RECORD_TYPE}: {@code A} (default: every
 *     address, probed on the bind port's span) or {@code SRV} (records carry the ports).
 * </ul>
 *
 * @param query the DNS name
 * @param server the DNS server, or empty for the system's
 * @param recordType {@code A} or {@code SRV}
 */
record DnsDiscovery(String query, Optional<String> server, String recordType) {
    static final String QUERY_PROPERTY = "seaport.dns.query";
    static final String SERVER_PROPERTY = "seaport.dns.server";
    static final String TYPE_PROPERTY = "seaport.dns.record.type";

    /** Checks the settings, quoting a bad one. */
    DnsDiscovery {
        if (query.isBlank() || query.chars().anyMatch(c -> c <= ' ')) {
            throw new IllegalArgumentException(QUERY_PROPERTY + " must be a DNS name, was '" + query + "'");
        }
        if (!recordType.equals("A") && !recordType.equals("SRV")) {
            throw new IllegalArgumentException(TYPE_PROPERTY + " must be A or SRV, was '" + recordType + "'");
        }
        server.ifPresent(s -> {
            if (s.isBlank() || s.chars().anyMatch(c -> c <= ' ' || c == '/')) {
                throw new IllegalArgumentException(SERVER_PROPERTY + " must be host or host:port, was '" + s + "'");
            }
        });
    }

    /** Returns the DNS settings from system properties and environment variables, if the query is set. */
    static Optional<DnsDiscovery> configured() {
        return configured(name -> System.getProperty(name,
                System.getenv(name.toUpperCase(Locale.ROOT).replace('.', '_'))));
    }

    /** Returns the DNS settings that {@code settings} (property name to value, or null) give, if the query is set. */
    static Optional<DnsDiscovery> configured(UnaryOperator<String> settings) {
        String query = settings.apply(QUERY_PROPERTY);
        if (query == null || query.isEmpty()) {
            return Optional.empty();
        }
        String server = settings.apply(SERVER_PROPERTY);
        String type = settings.apply(TYPE_PROPERTY);
        return Optional.of(new DnsDiscovery(query.trim(), Optional.ofNullable(server).filter(s -> !s.isEmpty()),
                type == null || type.isEmpty() ? "A" : type.trim().toUpperCase(Locale.ROOT)));
    }

    /** Returns the JGroups protocol. */
    DNS_PING protocol() {
        DNS_PING ping = new DNS_PING().dnsQuery(query).dnsRecordType(recordType);
        ping.setValue("probe_transport_ports", true); // A records carry no port: probe the transport's span
        server.ifPresent(ping::dnsAddress);
        return ping;
    }

    @Override
    public String toString() {
        return "DNS " + recordType + " " + query + server.map(s -> " at " + s).orElse("");
    }
}
