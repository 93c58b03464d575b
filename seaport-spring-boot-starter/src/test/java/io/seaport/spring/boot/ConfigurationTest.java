package io.seaport.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.seaport.Seaport;
import io.seaport.testkit.LocalCluster;
import io.seaport.testkit.LocalClusters;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.info.BuildProperties;

/** What the seaport.* properties configure, and how bad settings are refused. */
final class ConfigurationTest {
    @RegisterExtension
    final LocalClusters clusters = new LocalClusters();

    @Test
    void seaportBean_nonWebApplication_joinsNamedClusterWithoutRegistering() {
        LocalCluster cluster = clusters.start("ConfigurationTest-join", 1);

        Contexts.joining(cluster).withPropertyValues("seaport.environment=staging").run(context -> {
            Seaport seaport = context.getBean(Seaport.class);

            assertThat(seaport.cluster()).isEqualTo(cluster.cluster());
            assertThat(seaport.environment()).isEqualTo("staging");
            assertThat(context).hasSingleBean(SeaportDiscoveryClient.class)
                    .hasSingleBean(SeaportReactiveDiscoveryClient.class)
                    .hasSingleBean(SeaportHealthIndicator.class)
                    .doesNotHaveBean(SeaportAutoServiceRegistration.class);
        });
    }

    @Test
    void seaportBean_noCluster_failsNamingTheProperty() {
        Contexts.runner().run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .hasMessageContaining("seaport.cluster");
        });
    }

    @Test
    void seaportBean_disabled_isNotCreated() {
        Contexts.runner().withPropertyValues("seaport.enabled=false").run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(Seaport.class)
                    .doesNotHaveBean(SeaportDiscoveryClient.class);
        });
    }

    @Test
    void ranges_badRange_failsQuotingPropertyAndValue() {
        LocalCluster cluster = clusters.start("ConfigurationTest-badRange", 1);

        Contexts.joining(cluster).withPropertyValues("seaport.discovery.ranges.web=^2 garbage").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure())
                    .hasStackTraceContaining("seaport.discovery.ranges.web='^2 garbage' is not a range");
        });
    }

    @Test
    void ports_notARange_failsQuotingIt() {
        Contexts.runner().withPropertyValues("seaport.cluster=never-joined", "seaport.ports=20000").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .hasMessageContaining("seaport.ports must be FROM-TO").hasMessageContaining("'20000'");
        });
    }

    @Test
    void registrationCheck_unknownKind_failsQuotingIt() {
        Contexts.runner().withPropertyValues("seaport.cluster=never-joined", "seaport.registration.check=htp:/health")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause()
                            .hasMessageContaining("seaport.registration.check 'htp:/health'")
                            .hasMessageContaining("http:/path, tcp or none");
                });
    }

    @Test
    void registrationCheck_pathWithoutSlash_failsQuotingIt() {
        Contexts.runner().withPropertyValues("seaport.cluster=never-joined", "seaport.registration.check=http:health")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure())
                            .hasStackTraceContaining("seaport.registration.check 'http:health'");
                });
    }

    @Test
    void registration_versionProperty_winsOverBuildInfo() {
        LocalCluster cluster = clusters.start("ConfigurationTest-version", 1);

        Contexts.webJoining(cluster)
                .withPropertyValues("spring.application.name=greeter", "seaport.registration.version=4.0.0")
                .withBean(BuildProperties.class, () -> buildInfo("3.1.0"))
                .run(context -> assertThat(context.getBean(SeaportRegistration.class).role())
                        .isEqualTo("greeter@4.0.0"));
    }

    @Test
    void registration_noVersionProperty_usesBuildInfoElseZero() {
        LocalCluster cluster = clusters.start("ConfigurationTest-buildInfo", 1);

        Contexts.webJoining(cluster).withPropertyValues("spring.application.name=greeter")
                .withBean(BuildProperties.class, () -> buildInfo("3.1.0"))
                .run(context -> assertThat(context.getBean(SeaportRegistration.class).role())
                        .isEqualTo("greeter@3.1.0"));
        Contexts.webJoining(cluster).withPropertyValues("spring.application.name=greeter")
                .run(context -> assertThat(context.getBean(SeaportRegistration.class).role())
                        .isEqualTo("greeter@0.0.0"));
    }

    @Test
    void registration_noApplicationName_failsNamingBothProperties() {
        LocalCluster cluster = clusters.start("ConfigurationTest-noName", 1);

        Contexts.webJoining(cluster).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .hasMessageContaining("spring.application.name")
                    .hasMessageContaining("seaport.registration.name");
        });
    }

    @Test
    void tlsProperties_toString_masksPasswords() {
        SeaportProperties.Tls tls = new SeaportProperties.Tls("k.p12", "secret1", "t.p12", "secret2");

        assertThat(tls.toString()).contains("k.p12", "t.p12").doesNotContain("secret1", "secret2");
    }

    @Test
    void configurationMetadata_forIdes_listsEveryPropertyGroup() throws Exception {
        String metadata;
        try (var in = ConfigurationTest.class.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("configuration metadata on the class path").isNotNull();
            metadata = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }

        assertThat(metadata).contains("\"seaport.cluster\"", "\"seaport.discovery.ranges\"",
                "\"seaport.registration.drain-delay\"", "\"seaport.registration.check\"",
                "\"seaport.registration.check-interval\"", "\"seaport.tls.keystore\"");
    }

    private static BuildProperties buildInfo(String version) {
        Properties entries = new Properties();
        entries.setProperty("version", version);
        return new BuildProperties(entries);
    }
}
