package io.seaport.spring.boot;

import io.seaport.HealthCheck;
import java.time.Duration;
import java.util.Optional;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * The automatic registration's health check from {@code seaport.registration.check}: {@code none},
 * {@code tcp}, {@code http:/path}, or (unset) the actuator's health endpoint when the application
 * serves it on the port it registers.
 */
final class RegistrationChecks {
    private static final boolean ACTUATOR = ClassUtils.isPresent(
            "org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints", RegistrationChecks.class.getClassLoader());

    private RegistrationChecks() {
    }

    /**
     * Returns the check {@code spec} configures; empty for {@code none}.
     *
     * @throws IllegalArgumentException quoting {@code spec} if it is none of the forms above, or
     *     the interval is refused by {@link HealthCheck}
     */
    static Optional<HealthCheck> parse(String spec, Duration interval) {
        try {
            if (spec.equalsIgnoreCase("none")) {
                return Optional.empty();
            }
            if (spec.equalsIgnoreCase("tcp")) {
                return Optional.of(HealthCheck.tcp(interval));
            }
            if (spec.regionMatches(true, 0, "http:", 0, 5)) {
                return Optional.of(HealthCheck.http(spec.substring(5), interval));
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad seaport.registration.check '" + spec + "' or check-interval "
                    + interval + ": " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("bad seaport.registration.check '" + spec
                + "' (expected http:/path, tcp or none)");
    }

    /**
     * Returns the check the registration gets in {@code context}: the configured one, else the
     * actuator's health endpoint if it is exposed on the application's own port, else none.
     */
    static Optional<HealthCheck> resolve(SeaportProperties.Registration settings, ApplicationContext context) {
        if (settings.check() != null) {
            return parse(settings.check(), settings.checkInterval());
        }
        return actuatorHealthPath(context).map(path -> HealthCheck.http(path, settings.checkInterval()));
    }

    /**
     * Returns the path of the actuator's health endpoint on the application's port, including the
     * servlet context path or WebFlux base path; empty without the actuator, when health is not
     * exposed over the web, or when the management server has a port of its own.
     */
    static Optional<String> actuatorHealthPath(ApplicationContext context) {
        if (!ACTUATOR || !sameManagementPort(context.getEnvironment())) {
            return Optional.empty();
        }
        return Actuator.healthPath(context).map(path -> prefix(context.getEnvironment()) + path);
    }

    private static boolean sameManagementPort(Environment environment) {
        Integer management = environment.getProperty("management.server.port", Integer.class);
        return management == null
                || management.equals(environment.getProperty("server.port", Integer.class, 8080));
    }

    private static String prefix(Environment environment) {
        String prefix = environment.getProperty("server.servlet.context-path",
                environment.getProperty("spring.webflux.base-path", ""));
        prefix = prefix.strip();
        while (prefix.endsWith("/")) {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
        return prefix.isEmpty() || prefix.startsWith("/") ? prefix : "/" + prefix;
    }

    /** Touches the actuator's classes; loaded only when they are present. */
    private static final class Actuator {
        private Actuator() {
        }

        static Optional<String> healthPath(ApplicationContext context) {
            return context.getBeanProvider(PathMappedEndpoints.class).stream()
                    .map(endpoints -> endpoints.getPath(EndpointId.of("health")))
                    .filter(path -> path != null && path.startsWith("/"))
                    .findFirst();
        }
    }
}
