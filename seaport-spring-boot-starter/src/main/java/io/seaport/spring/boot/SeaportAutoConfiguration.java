package io.seaport.spring.boot;

import io.seaport.Seaport;
import java.nio.file.Path;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Joins the cluster the {@code seaport.*} properties name and offers the member as a
 * {@code Seaport} bean (closed with the context), with Spring Cloud's discovery clients over it
 * and the actuator's {@code seaport} health component. A {@code Seaport} bean of the application's
 * own replaces the one built here.
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "seaport.enabled", matchIfMissing = true)
@EnableConfigurationProperties(SeaportProperties.class)
public class SeaportAutoConfiguration {

    /** Returns a new instance; Spring calls it. */
    public SeaportAutoConfiguration() {
    }

    /**
     * Returns the member, joined: the settings the properties give, the rest from
     * {@code Seaport.builder()}'s own system properties, environment variables and defaults.
     *
     * @param properties the {@code seaport.*} properties
     * @return the joined member
     * @throws IllegalStateException naming {@code seaport.cluster} if no cluster is set anywhere
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public Seaport seaport(SeaportProperties properties) {
        return builder(properties).join();
    }

    /**
     * Returns the id-to-range mapping of {@code seaport.discovery.ranges}.
     *
     * @param properties the {@code seaport.*} properties
     * @return the mapping
     */
    @Bean
    @ConditionalOnMissingBean
    public ServiceRanges seaportServiceRanges(SeaportProperties properties) {
        return new ServiceRanges(properties.discovery().ranges());
    }

    /**
     * Returns Spring Cloud's discovery client over the member's replica.
     *
     * @param seaport the member
     * @param ranges the id-to-range mapping
     * @return the client
     */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBooleanProperty(name = "seaport.discovery.enabled", matchIfMissing = true)
    public SeaportDiscoveryClient seaportDiscoveryClient(Seaport seaport, ServiceRanges ranges) {
        return new SeaportDiscoveryClient(seaport, ranges);
    }

    /**
     * Returns Spring Cloud's reactive discovery client over the member's replica.
     *
     * @param discovery the blocking client it reads through
     * @return the client
     */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBooleanProperty(name = "seaport.discovery.enabled", matchIfMissing = true)
    public SeaportReactiveDiscoveryClient seaportReactiveDiscoveryClient(SeaportDiscoveryClient discovery) {
        return new SeaportReactiveDiscoveryClient(discovery);
    }

    static Seaport.Builder builder(SeaportProperties properties) {
        Seaport.Builder builder = Seaport.builder();
        if (properties.cluster() != null) {
            builder.cluster(properties.cluster());
        } else if (System.getProperty("seaport.cluster") == null && System.getenv("SEAPORT_CLUSTER") == null) {
            throw new IllegalStateException("no Seaport cluster set: set the property seaport.cluster "
                    + "(or SEAPORT_CLUSTER), or seaport.enabled=false to run without Seaport");
        }
        if (properties.environment() != null) {
            builder.environment(properties.environment());
        }
        if (properties.host() != null) {
            builder.host(properties.host());
        }
        if (properties.bind() != null) {
            builder.bindAddress(properties.bind());
        }
        if (properties.bindPort() != null) {
            builder.bindPort(properties.bindPort());
        }
        if (!properties.peers().isEmpty()) {
            builder.peers(properties.peers().toArray(String[]::new));
        }
        if (properties.ports() != null) {
            int[] range = portRange(properties.ports());
            builder.portRange(range[0], range[1]);
        }
        if (properties.config() != null) {
            builder.config(properties.config());
        }
        SeaportProperties.Tls tls = properties.tls();
        if (tls.keystore() != null) {
            if (tls.password() == null) {
                throw new IllegalArgumentException("seaport.tls.keystore is set ('" + tls.keystore()
                        + "') but seaport.tls.password is not");
            }
            if (tls.truststore() == null) {
                builder.tls(Path.of(tls.keystore()), tls.password().toCharArray());
            } else {
                String trustPassword = tls.truststorePassword() != null ? tls.truststorePassword() : tls.password();
                builder.tls(Path.of(tls.keystore()), tls.password().toCharArray(), Path.of(tls.truststore()),
                        trustPassword.toCharArray());
            }
        } else if (tls.truststore() != null) {
            throw new IllegalArgumentException("seaport.tls.truststore is set ('" + tls.truststore()
                    + "') but seaport.tls.keystore is not");
        }
        return builder;
    }

    static int[] portRange(String text) {
        String[] parts = text.strip().split("\\s*-\\s*", -1);
        if (parts.length == 2) {
            try {
                return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
            } catch (NumberFormatException e) {
                // reported below with the whole value
            }
        }
        throw new IllegalArgumentException(
                "seaport.ports must be FROM-TO, such as 20000-29999, was '" + text + "'");
    }

    /** The actuator's {@code seaport} health component, when the application has the actuator. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    @ConditionalOnEnabledHealthIndicator("seaport")
    static class HealthConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "seaportHealthIndicator")
        SeaportHealthIndicator seaportHealthIndicator(Seaport seaport) {
            return new SeaportHealthIndicator(seaport);
        }
    }
}
