package io.seaport.spring.boot;

import io.seaport.Seaport;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.info.ProjectInfoAutoConfiguration;
import org.springframework.boot.info.BuildProperties;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.cloud.client.serviceregistry.AutoServiceRegistrationAutoConfiguration;
import org.springframework.cloud.client.serviceregistry.AutoServiceRegistrationConfiguration;
import org.springframework.cloud.client.serviceregistry.AutoServiceRegistrationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Spring Cloud's service registry over the {@code Seaport} bean, and the application's automatic
 * registration: {@code ${spring.application.name}@<version>} on the web server's port once it is
 * up, with the actuator's health endpoint (or {@code seaport.registration.check}) as its health check,
 * drained at the start of a graceful shutdown.
 *
 * <p>Only in web applications: what is registered is the web server's port. Off with
 * {@code seaport.registration.enabled=false} or Spring Cloud's
 * {@code spring.cloud.service-registry.auto-registration.enabled=false}.
 */
@AutoConfiguration(after = {SeaportAutoConfiguration.class, AutoServiceRegistrationAutoConfiguration.class,
        AutoServiceRegistrationConfiguration.class, ProjectInfoAutoConfiguration.class})
@ConditionalOnClass(WebServerInitializedEvent.class)
@ConditionalOnBean(Seaport.class)
@ConditionalOnWebApplication
@ConditionalOnBooleanProperty(name = "seaport.registration.enabled", matchIfMissing = true)
public class SeaportServiceRegistryAutoConfiguration {

    /** Returns a new instance; Spring calls it. */
    public SeaportServiceRegistryAutoConfiguration() {
    }

    /**
     * Returns the registry publishing through the member.
     *
     * @param seaport the member
     * @return the registry
     */
    @Bean
    @ConditionalOnMissingBean
    public SeaportServiceRegistry seaportServiceRegistry(Seaport seaport) {
        return new SeaportServiceRegistry(seaport);
    }

    /**
     * Returns what the application registers: its name, version and metadata; the port comes
     * from the web server.
     *
     * @param properties the {@code seaport.*} properties
     * @param environment for {@code spring.application.name}
     * @param buildProperties the build info, whose version is used when none is configured
     * @return the registration, not yet published
     * @throws IllegalStateException if neither {@code seaport.registration.name} nor
     *     {@code spring.application.name} is set
     */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(AutoServiceRegistrationProperties.class)
    public SeaportRegistration seaportRegistration(SeaportProperties properties, Environment environment,
            ObjectProvider<BuildProperties> buildProperties) {
        SeaportProperties.Registration settings = properties.registration();
        String name = settings.name() != null ? settings.name() : environment.getProperty("spring.application.name");
        if (name == null || name.isBlank()) {
            throw new IllegalStateException("no name to register this application under: set "
                    + "spring.application.name or seaport.registration.name "
                    + "(or seaport.registration.enabled=false)");
        }
        return new SeaportRegistration(name, version(settings, buildProperties.getIfAvailable()), 0,
                settings.metadata());
    }

    /**
     * Returns the automatic registration: published once the web server is up, freed before it
     * stops.
     *
     * @param context the application context
     * @param registry the registry
     * @param registration what to register
     * @param properties the {@code seaport.*} properties, for the drain delay and the health check
     * @return the automatic registration
     */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(AutoServiceRegistrationProperties.class)
    public SeaportAutoServiceRegistration seaportAutoServiceRegistration(ApplicationContext context,
            SeaportServiceRegistry registry, SeaportRegistration registration, SeaportProperties properties) {
        return new SeaportAutoServiceRegistration(context, registry, registration, properties.registration());
    }

    static String version(SeaportProperties.Registration settings, BuildProperties buildProperties) {
        if (settings.version() != null && !settings.version().isBlank()) {
            return settings.version();
        }
        if (buildProperties != null && buildProperties.getVersion() != null) {
            return buildProperties.getVersion();
        }
        return "0.0.0";
    }
}
