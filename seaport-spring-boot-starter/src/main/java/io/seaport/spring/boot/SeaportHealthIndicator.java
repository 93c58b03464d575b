package io.seaport.spring.boot;

import io.seaport.Seaport;
import io.seaport.Service;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The actuator's {@code seaport} health component: {@code UP} with the cluster, environment, this
 * member's name, how many members hold services in the environment, how many services this
 * member holds, how many the environment has and how many of those are passing, failing and
 * draining ({@code servicesByHealth}); {@code DOWN} once the Seaport bean is closed.
 *
 * <p>Thread-safe; reads only the local replica.
 */
public final class SeaportHealthIndicator implements HealthIndicator {
    private final Seaport seaport;
    private final String cluster;

    /**
     * Returns the indicator of {@code seaport}.
     *
     * @param seaport the member to report on
     */
    public SeaportHealthIndicator(Seaport seaport) {
        this.seaport = Objects.requireNonNull(seaport, "seaport");
        this.cluster = seaport.cluster();
    }

    @Override
    public Health health() {
        List<Service> services;
        String member;
        try {
            member = seaport.member();
            services = seaport.services();
        } catch (IllegalStateException closed) {
            return Health.down().withDetail("cluster", cluster)
                    .withDetail("error", String.valueOf(closed.getMessage())).build();
        }
        long held = services.stream().filter(s -> s.member().equals(member)).count();
        long members = services.stream().map(Service::member).distinct().count();
        Map<String, Long> byHealth = new TreeMap<>();
        for (io.seaport.Health health : io.seaport.Health.values()) {
            byHealth.put(health.name().toLowerCase(Locale.ROOT), 0L);
        }
        services.forEach(s -> byHealth.merge(s.health().name().toLowerCase(Locale.ROOT), 1L, Long::sum));
        return Health.up()
                .withDetail("cluster", cluster)
                .withDetail("environment", seaport.environment())
                .withDetail("member", member)
                .withDetail("servicesHeld", held)
                .withDetail("services", services.size())
                .withDetail("servicesByHealth", byHealth)
                .withDetail("membersWithServices", members)
                .build();
    }
}
