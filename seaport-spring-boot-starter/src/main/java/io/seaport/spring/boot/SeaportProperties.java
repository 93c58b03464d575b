package io.seaport.spring.boot;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code seaport.*} properties. Every transport setting left unset falls through to what
 * {@code Seaport.builder()} reads itself (the {@code seaport.*} system properties and
 * {@code SEAPORT_*} environment variables, then the defaults), so an application configured
 * either way behaves the same.
 *
 * <p>Immutable and thread-safe.
 *
 * @param enabled whether the starter creates a {@code Seaport} bean at all ({@code seaport.enabled})
 * @param cluster the cluster to join ({@code seaport.cluster}); required unless the system property
 *     or environment variable sets it
 * @param environment the environment within the cluster ({@code seaport.environment})
 * @param host the host advertised to peers ({@code seaport.host})
 * @param bind the transport's bind address ({@code seaport.bind})
 * @param bindPort the transport's bind port ({@code seaport.bind-port})
 * @param peers {@code host:port} of every member to probe ({@code seaport.peers})
 * @param ports where {@code service()} picks ports, {@code FROM-TO} ({@code seaport.ports})
 * @param config a JGroups XML stack file or resource ({@code seaport.config})
 * @param tls TLS keys ({@code seaport.tls.*})
 * @param discovery how Spring's service ids find services ({@code seaport.discovery.*})
 * @param registration how this application registers itself ({@code seaport.registration.*})
 */
@ConfigurationProperties("seaport")
public record SeaportProperties(
        @DefaultValue("true") boolean enabled,
        String cluster,
        String environment,
        String host,
        String bind,
        Integer bindPort,
        List<String> peers,
        String ports,
        String config,
        Tls tls,
        Discovery discovery,
        Registration registration) {

    /**
     * Replaces absent nested groups and lists with their defaults.
     *
     * @param enabled whether the starter creates a {@code Seaport} bean at all ({@code seaport.enabled})
     * @param cluster the cluster to join ({@code seaport.cluster}); required unless the system property
     *     or environment variable sets it
     * @param environment the environment within the cluster ({@code seaport.environment})
     * @param host the host advertised to peers ({@code seaport.host})
     * @param bind the transport's bind address ({@code seaport.bind})
     * @param bindPort the transport's bind port ({@code seaport.bind-port})
     * @param peers {@code host:port} of every member to probe ({@code seaport.peers})
     * @param ports where {@code service()} picks ports, {@code FROM-TO} ({@code seaport.ports})
     * @param config a JGroups XML stack file or resource ({@code seaport.config})
     * @param tls TLS keys ({@code seaport.tls.*})
     * @param discovery how Spring's service ids find services ({@code seaport.discovery.*})
     * @param registration how this application registers itself ({@code seaport.registration.*})
     */
    public SeaportProperties {
        peers = peers == null ? List.of() : List.copyOf(peers);
        tls = tls == null ? new Tls(null, null, null, null) : tls;
        discovery = discovery == null ? new Discovery(true, Map.of()) : discovery;
        registration = registration == null
                ? new Registration(true, null, null, Map.of(), Registration.DEFAULT_DRAIN_DELAY, null,
                        Registration.DEFAULT_CHECK_INTERVAL)
                : registration;
    }

    /**
     * TLS on the cluster transport: a keystore alone (a shared key), or with a truststore (a CA).
     *
     * @param keystore the PKCS12 keystore file ({@code seaport.tls.keystore})
     * @param password its password ({@code seaport.tls.password})
     * @param truststore the PKCS12 truststore file ({@code seaport.tls.truststore}), optional
     * @param truststorePassword its password ({@code seaport.tls.truststore-password}); the
     *     keystore's when unset
     */
    public record Tls(String keystore, String password, String truststore, String truststorePassword) {

        /** Returns the settings with the passwords masked. */
        @Override
        public String toString() {
            return "Tls[keystore=" + keystore + ", password=" + (password == null ? null : "******")
                    + ", truststore=" + truststore + ", truststorePassword="
                    + (truststorePassword == null ? null : "******") + "]";
        }
    }

    /**
     * Discovery through Spring Cloud.
     *
     * @param enabled whether the discovery clients and the load balancer's supplier are created
     *     ({@code seaport.discovery.enabled})
     * @param ranges service id to semver range ({@code seaport.discovery.ranges.web=^2}); see
     *     {@link ServiceRanges}
     */
    public record Discovery(@DefaultValue("true") boolean enabled, Map<String, String> ranges) {

        /**
         * Replaces an absent map with an empty one.
         *
         * @param enabled whether the discovery clients and the load balancer's supplier are created
         *     ({@code seaport.discovery.enabled})
         * @param ranges service id to semver range ({@code seaport.discovery.ranges.web=^2}); see
         *     {@link ServiceRanges}
         */
        public Discovery {
            ranges = ranges == null ? Map.of() : Map.copyOf(ranges);
        }
    }

    /**
     * Automatic registration of this application.
     *
     * @param enabled whether the application registers itself ({@code seaport.registration.enabled})
     * @param name the role's name ({@code seaport.registration.name}); {@code spring.application.name}
     *     when unset
     * @param version the role's version ({@code seaport.registration.version}); the build info's
     *     version when unset, else {@code 0.0.0}
     * @param metadata published with the service ({@code seaport.registration.metadata.zone=a})
     * @param drainDelay how long a shutting-down application stays registered as {@code DRAINING}
     *     (so that no member routes new calls to it) while it keeps serving, before it frees its
     *     registration and its web server stops ({@code seaport.registration.drain-delay}, default 1s)
     * @param check the registration's health check ({@code seaport.registration.check}):
     *     {@code http:/path}, {@code tcp} or {@code none}; when unset, the actuator's health endpoint
     *     if the application serves it on the registered port, else none
     * @param checkInterval how often the check probes ({@code seaport.registration.check-interval},
     *     default 2s)
     */
    public record Registration(
            @DefaultValue("true") boolean enabled,
            String name,
            String version,
            Map<String, String> metadata,
            @DefaultValue("1s") Duration drainDelay,
            String check,
            @DefaultValue("2s") Duration checkInterval) {

        static final Duration DEFAULT_DRAIN_DELAY = Duration.ofSeconds(1);
        static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofSeconds(2);

        /**
         * Replaces absent values with their defaults; refuses a negative delay and a check that is
         * none of {@code http:/path}, {@code tcp} and {@code none}, quoting it.
         *
         * @param enabled whether the application registers itself ({@code seaport.registration.enabled})
         * @param name the role's name ({@code seaport.registration.name}); {@code spring.application.name}
         *     when unset
         * @param version the role's version ({@code seaport.registration.version}); the build info's
         *     version when unset, else {@code 0.0.0}
         * @param metadata published with the service ({@code seaport.registration.metadata.zone=a})
         * @param drainDelay how long a shutting-down application stays registered as {@code DRAINING}
         *     (so that no member routes new calls to it) while it keeps serving, before it frees its
         *     registration and its web server stops ({@code seaport.registration.drain-delay}, default 1s)
         * @param check the registration's health check ({@code seaport.registration.check}):
         *     {@code http:/path}, {@code tcp} or {@code none}; when unset, the actuator's health endpoint
         *     if the application serves it on the registered port, else none
         * @param checkInterval how often the check probes ({@code seaport.registration.check-interval},
         *     default 2s)
         */
        public Registration {
            metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
            drainDelay = drainDelay == null ? DEFAULT_DRAIN_DELAY : drainDelay;
            if (drainDelay.isNegative()) {
                throw new IllegalArgumentException(
                        "seaport.registration.drain-delay must not be negative, was " + drainDelay);
            }
            checkInterval = checkInterval == null ? DEFAULT_CHECK_INTERVAL : checkInterval;
            check = check == null || check.isBlank() ? null : check.strip();
            if (check != null) {
                RegistrationChecks.parse(check, checkInterval);
            }
        }
    }
}
