package io.seaport.jgroups.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seaport.Seaport;
import java.util.Map;
import java.util.Optional;
import org.jgroups.protocols.dns.DNS_PING;
import org.junit.jupiter.api.Test;

final class DnsDiscoveryTest {

    @Test
    void configured_noQuery_isEmpty() {
        assertThat(DnsDiscovery.configured(Map.<String, String>of()::get)).isEmpty();
    }

    @Test
    void configured_queryServerAndType_buildsDnsPing() {
        Optional<DnsDiscovery> dns = DnsDiscovery.configured(Map.of("seaport.dns.query", "seaport.shop.svc.cluster.local",
                "seaport.dns.server", "10.96.0.10:53", "seaport.dns.record.type", "srv")::get);

        DNS_PING ping = dns.orElseThrow().protocol();

        assertThat(ping.dnsQuery()).isEqualTo("seaport.shop.svc.cluster.local");
        assertThat(ping.dnsAddress()).isEqualTo("10.96.0.10:53");
        assertThat(ping.dnsRecordType()).isEqualTo("SRV");
    }

    @Test
    void configured_badRecordType_isRefusedQuotingIt() {
        assertThatThrownBy(() -> DnsDiscovery.configured(Map.of("seaport.dns.query", "x.test",
                "seaport.dns.record.type", "MX")::get))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("seaport.dns.record.type must be A or SRV, was 'MX'");
    }

    @Test
    void configured_queryWithSpace_isRefusedQuotingIt() {
        assertThatThrownBy(() -> DnsDiscovery.configured(Map.of("seaport.dns.query", "a b")::get))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("seaport.dns.query must be a DNS name, was 'a b'");
    }

    @Test
    void check_dnsAndPeers_isRefusedNamingBoth() {
        System.setProperty(DnsDiscovery.QUERY_PROPERTY, "seaport.test");
        try {
            assertThatThrownBy(() -> StackFactory.check(Seaport.builder().cluster("DnsDiscoveryTest")
                    .peers("10.0.0.5:7800").toConfig()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("seaport.dns.query 'seaport.test' chooses DNS discovery, but peers [10.0.0.5:7800] are "
                            + "set too; use one of them");
            assertThat(StackFactory.usesDirectory(Seaport.builder().cluster("DnsDiscoveryTest").toConfig())).isFalse();
        } finally {
            System.clearProperty(DnsDiscovery.QUERY_PROPERTY);
        }
    }
}
