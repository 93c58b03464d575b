package io.seaport.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.seaport.Seaport;
import io.seaport.micrometer.SeaportMetrics;
import io.seaport.spring.boot.internal.SeaportMetricsAutoConfiguration;
import io.seaport.testkit.Await;
import io.seaport.testkit.LocalCluster;
import io.seaport.testkit.LocalClusters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;

/** The registry's metrics are bound when the application has a {@code MeterRegistry}, and only then. */
final class MetricsTest {
    @RegisterExtension
    final LocalClusters clusters = new LocalClusters();

    @Test
    void context_meterRegistryPresent_seaportGaugesReadTheMember() {
        LocalCluster cluster = clusters.start("MetricsTest-bound", 1);

        Contexts.joining(cluster).withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
                CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
                SeaportMetricsAutoConfiguration.class)).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(SeaportMetrics.class);
            Gauge members = context.getBean(MeterRegistry.class).find("seaport.members")
                    .tag("member", context.getBean(Seaport.class).member()).gauge();

            assertThat(members).as("seaport.members gauge").isNotNull();
            Await.until("seaport.members counts both members", () -> members.value() == 2.0,
                    () -> "seaport.members = " + members.value());
        });
    }

    @Test
    void context_noMeterRegistry_hasNoBinder() {
        LocalCluster cluster = clusters.start("MetricsTest-none", 1);

        Contexts.joining(cluster).withConfiguration(AutoConfigurations.of(SeaportMetricsAutoConfiguration.class)).run(context -> {
                    assertThat(context).hasNotFailed().doesNotHaveBean(SeaportMetrics.class);
                });
    }
}
