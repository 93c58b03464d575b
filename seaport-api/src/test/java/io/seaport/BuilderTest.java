package io.seaport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seaport.spi.PeerAddress;
import io.seaport.spi.SeaportConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

final class BuilderTest {
    private final Map<String, String> properties = new HashMap<>();
    private final Map<String, String> variables = new HashMap<>();

    private Seaport.Builder builder() {
        return new Seaport.Builder(properties::get, variables::get);
    }

    @Test
    void toConfig_onlyCluster_appliesDefaults() {
        SeaportConfig config = builder().cluster(" shop ").toConfig();

        assertThat(config.cluster()).isEqualTo("shop");
        assertThat(config.environment()).isEqualTo("default");
        assertThat(config.effectiveBindAddress()).isEqualTo("127.0.0.1");
        assertThat(config.effectiveHost()).isEqualTo("127.0.0.1");
        assertThat(config.effectiveBindPort()).isEqualTo(7800);
        assertThat(config.peers()).isEmpty();
        assertThat(config.portRangeFrom()).isEqualTo(20000);
        assertThat(config.portRangeTo()).isEqualTo(29999);
        assertThat(config.stack()).isEmpty();
        assertThat(config.tls()).isEmpty();
    }

    @Test
    void toConfig_everyOption_isCarriedToTheProvider() {
        SeaportConfig config = builder().cluster("shop").environment("staging").host("[fd00::7]")
                .bindAddress("10.0.0.7").bindPort(7900).peers("10.0.0.5:7800", "[fd00::5]:7800", "db1")
                .portRange(40000, 40099).config("my-stack.xml").toConfig();

        assertThat(config.environment()).isEqualTo("staging");
        assertThat(config.effectiveHost()).isEqualTo("fd00::7");
        assertThat(config.effectiveBindAddress()).isEqualTo("10.0.0.7");
        assertThat(config.effectiveBindPort()).isEqualTo(7900);
        assertThat(config.peers()).containsExactly(new PeerAddress("10.0.0.5", 7800),
                new PeerAddress("fd00::5", 7800), new PeerAddress("db1", 0));
        assertThat(config.portRangeFrom()).isEqualTo(40000);
        assertThat(config.portRangeTo()).isEqualTo(40099);
        assertThat(config.stack()).contains("my-stack.xml");
    }

    @Test
    void toConfig_siteAndBridge_areCarriedToTheProvider() {
        SeaportConfig config = builder().cluster("shop").site(" east ").bridgePort(7701)
                .bridgePeers("10.1.0.5:7700", "10.2.0.5").toConfig();

        assertThat(config.site()).contains("east");
        assertThat(config.effectiveBridgePort()).isEqualTo(7701);
        assertThat(config.bridgePeers()).containsExactly(new PeerAddress("10.1.0.5", 7700),
                new PeerAddress("10.2.0.5", 0));
    }

    @Test
    void toConfig_sitesFromPropertiesAndVariables_defaultBridgePort() {
        properties.put("seaport.site", "west");
        variables.put("SEAPORT_BRIDGE_PEERS", "10.1.0.5:7700, 10.2.0.5:7700");

        SeaportConfig config = builder().cluster("shop").toConfig();

        assertThat(config.site()).contains("west");
        assertThat(config.bridgePort()).isEmpty();
        assertThat(config.effectiveBridgePort()).isEqualTo(7700);
        assertThat(config.bridgePeers()).hasSize(2);
    }

    @Test
    void toConfig_noSite_isNotBridged() {
        SeaportConfig config = builder().cluster("shop").toConfig();

        assertThat(config.site()).isEmpty();
        assertThat(config.bridgePeers()).isEmpty();
    }

    @Test
    void toConfig_bridgeWithoutSite_isRefusedNamingIt() {
        Seaport.Builder builder = builder().cluster("shop").bridgePeers("10.1.0.5:7700");

        assertThatThrownBy(builder::toConfig).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("peers [10.1.0.5:7700]").hasMessageContaining("no site");
    }

    @Test
    void toConfig_bridgePortWithoutPeers_isRefused() {
        Seaport.Builder builder = builder().cluster("shop").site("east").bridgePort(7700);

        assertThatThrownBy(builder::toConfig).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bridge port 7700 is set but no bridge peers: list the site masters of every site");
    }

    @Test
    void site_blank_isRefusedQuotingIt() {
        assertThatThrownBy(() -> builder().site("  ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("site name must not be blank, was '  '");
    }

    @Test
    void bridgePeers_badEntry_isRefused() {
        assertThatThrownBy(() -> builder().bridgePeers("10.1.0.5:99999"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("99999");
    }

    @Test
    void toConfig_noCluster_failsNamingHowToSetIt() {
        assertThatThrownBy(() -> builder().toConfig())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cluster(name)").hasMessageContaining("seaport.cluster");
    }

    @Test
    void toConfig_propertiesAndVariables_fillUnsetOptions() {
        properties.put("seaport.cluster", "from-property");
        properties.put("seaport.ports", "31000-31010");
        variables.put("SEAPORT_CLUSTER", "from-variable");
        variables.put("SEAPORT_ENVIRONMENT", "prod");
        variables.put("SEAPORT_PEERS", "10.0.0.1:7800, 10.0.0.2");
        variables.put("SEAPORT_BIND", "10.0.0.9");
        variables.put("SEAPORT_BIND_PORT", "7801");
        variables.put("SEAPORT_HOST", "svc.example.org");

        SeaportConfig config = builder().toConfig();

        assertThat(config.cluster()).isEqualTo("from-property");
        assertThat(config.environment()).isEqualTo("prod");
        assertThat(config.portRangeFrom()).isEqualTo(31000);
        assertThat(config.portRangeTo()).isEqualTo(31010);
        assertThat(config.peers()).containsExactly(new PeerAddress("10.0.0.1", 7800), new PeerAddress("10.0.0.2", 0));
        assertThat(config.effectiveBindAddress()).isEqualTo("10.0.0.9");
        assertThat(config.effectiveBindPort()).isEqualTo(7801);
        assertThat(config.effectiveHost()).isEqualTo("svc.example.org");
    }

    @Test
    void toConfig_explicitCalls_winOverPropertiesAndVariables() {
        properties.put("seaport.environment", "from-property");
        variables.put("SEAPORT_BIND_PORT", "9999");

        SeaportConfig config = builder().cluster("c").environment("explicit").bindPort(7000).toConfig();

        assertThat(config.environment()).isEqualTo("explicit");
        assertThat(config.effectiveBindPort()).isEqualTo(7000);
    }

    @Test
    void toConfig_invalidVariable_failsNamingTheVariableAndValue() {
        variables.put("SEAPORT_PORTS", "20000-10");

        assertThatThrownBy(() -> builder().cluster("c").toConfig())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("environment variable SEAPORT_PORTS: ")
                .hasMessageContaining("20000-10");
    }

    @Test
    void toConfig_invalidProperty_failsNamingThePropertyAndValue() {
        properties.put("seaport.bind.port", "seventy");

        assertThatThrownBy(() -> builder().cluster("c").toConfig())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("system property seaport.bind.port: bind port must be a number, was 'seventy'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "a\tb"})
    void cluster_invalidName_refusedQuotingIt(String name) {
        assertThatThrownBy(() -> builder().cluster(name))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cluster name must not");
    }

    @Test
    void environment_loneSurrogate_refusedWithTheSurrogateEscaped() {
        assertThatThrownBy(() -> builder().environment("prod\uDBFF"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lone UTF-16 surrogate")
                .hasMessageContaining("'prod\\udbff'");
    }

    @Test
    void environment_tooLong_refused() {
        assertThatThrownBy(() -> builder().environment("e".repeat(256)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("environment name must have at most 255 characters, had 256");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "999.0.0.1", "1.2.3", "host_name", "-lead", "a..b", "fd00::zz", "[::1", "a b"})
    void bindAddress_invalid_refusedQuotingIt(String address) {
        assertThatThrownBy(() -> builder().bindAddress(address))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bind address must be a host name or an IP address, was '" + address + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "::1", "[::1]", "fe80::1%lo", "localhost", "db-1.example.org", "10.0.0.255"})
    void host_valid_accepted(String host) {
        assertThat(builder().cluster("c").host(host).toConfig().effectiveHost()).isEqualTo(host.replace("[", "")
                .replace("]", ""));
    }

    @Test
    void ports_outOfRange_refusedWithTheValue() {
        assertThatThrownBy(() -> builder().bindPort(0)).hasMessage("bind port must be in 1..65535, was 0");
        assertThatThrownBy(() -> builder().bindPort(70000)).hasMessage("bind port must be in 1..65535, was 70000");
        assertThatThrownBy(() -> builder().portRange(30000, 29999))
                .hasMessage("port range must be within 1..65535 with from <= to, was 30000-29999");
        assertThatThrownBy(() -> builder().portRange(0, 10)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void peers_emptyOrInvalid_refused() {
        assertThatThrownBy(() -> builder().peers()).hasMessage("peers must name at least one host, was empty");
        assertThatThrownBy(() -> builder().peers("10.0.0.1:7800", "10.0.0.2:x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid peer '10.0.0.2:x'");
    }

    @Test
    void config_blank_refused() {
        assertThatThrownBy(() -> builder().config(" ")).hasMessage("config must not be blank, was ' '");
    }

    @Test
    void tls_missingKeystore_refusedNamingTheFile(@TempDir Path dir) {
        Path missing = dir.resolve("nope.p12");

        assertThatThrownBy(() -> builder().tls(missing, "secret".toCharArray()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("keystore file '" + missing + "' does not exist or is not readable");
    }

    @Test
    void tls_fromVariables_sharedKeyOrTruststore(@TempDir Path dir) throws Exception {
        Path keystore = Files.writeString(dir.resolve("member.p12"), "k");
        Path truststore = Files.writeString(dir.resolve("ca.p12"), "t");
        variables.put("SEAPORT_TLS_KEYSTORE", keystore.toString());
        variables.put("SEAPORT_TLS_PASSWORD", "pw");

        SeaportConfig shared = builder().cluster("c").toConfig();
        variables.put("SEAPORT_TLS_TRUSTSTORE", truststore.toString());
        SeaportConfig withCa = builder().cluster("c").toConfig();

        assertThat(shared.tls()).hasValueSatisfying(tls -> {
            assertThat(tls.keystore()).isEqualTo(keystore);
            assertThat(tls.truststore()).isEmpty();
            assertThat(tls.truststorePassword()).containsExactly('p', 'w');
        });
        assertThat(withCa.tls()).hasValueSatisfying(tls -> assertThat(tls.truststore()).contains(truststore));
    }

    @Test
    void tls_keystoreWithoutPassword_refused(@TempDir Path dir) throws Exception {
        variables.put("SEAPORT_TLS_KEYSTORE", Files.writeString(dir.resolve("k.p12"), "k").toString());

        assertThatThrownBy(() -> builder().cluster("c").toConfig())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no password");
    }

    @Test
    void peers_defaultPortsComeFromTheBindPort() {
        List<PeerAddress> peers = builder().cluster("c").peers("10.0.0.1").toConfig().peers();

        assertThat(peers.get(0).portOr(7800)).isEqualTo(7800);
    }
}
