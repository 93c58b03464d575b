package io.seaport.spring.boot.internal;

import io.micrometer.core.instrument.MeterRegistry;
import io.seaport.Seaport;
import io.seaport.micrometer.SeaportMetrics;
import io.seaport.spring.boot.SeaportAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The member's registry metrics ({@code seaport.members}, {@code seaport.services}, ...; see
 * {@link SeaportMetrics}) when {@code seaport-micrometer} is on the class path and the application
 * has a {@code MeterRegistry}: Spring Boot binds the {@code SeaportMetrics} bean to its registries.
 *
 * <p>In a package that is not exported (only opened to Spring): {@code seaport-micrometer} is an
 * optional dependency, so no exported type may mention its types, or every application on the
 * module path would need it.
 */
@AutoConfiguration(after = SeaportAutoConfiguration.class, afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnClass({SeaportMetrics.class, MeterRegistry.class})
@ConditionalOnBean({Seaport.class, MeterRegistry.class})
public class SeaportMetricsAutoConfiguration {

    /** Returns a new instance; Spring calls it. */
    public SeaportMetricsAutoConfiguration() {
    }

    /**
     * Returns the binder of the member's statistics, closed with the context.
     *
     * @param seaport the member
     * @return the binder
     */
    @Bean
    @ConditionalOnMissingBean
    public SeaportMetrics seaportMetrics(Seaport seaport) {
        return new SeaportMetrics(seaport);
    }
}
