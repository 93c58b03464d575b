package io.seaport.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.seaport.proxy.ProxyStats;
import io.seaport.proxy.SeaportProxy;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * Binds a {@link SeaportProxy}'s {@link ProxyStats counters} to a {@link MeterRegistry}. Every
 * meter carries the tag {@code port} (the proxy's local port), plus those given:
 *
 * <ul>
 *   <li>{@code seaport.proxy.connections.active} (gauge): client connections open now;
 *   <li>{@code seaport.proxy.connections} (counter): client connections accepted;
 *   <li>{@code seaport.proxy.bytes} (counter, tag {@code direction}: {@code to_services} or
 *       {@code to_clients}): bytes forwarded;
 *   <li>{@code seaport.proxy.connects.failed} (counter): connection attempts to a service that
 *       failed;
 *   <li>{@code seaport.proxy.unserved} (counter): client connections closed without reaching a
 *       service.
 * </ul>
 *
 * <p>Needs {@code io.seaport:seaport-proxy} (an optional dependency of this module). Meters read
 * the proxy when the registry asks. Thread-safe.
 */
public final class SeaportProxyMetrics implements MeterBinder {
    private final SeaportProxy proxy;
    private final Tags tags;

    /**
     * Creates a binder for {@code proxy}, tagged with its port.
     *
     * @param proxy a proxy
     */
    public SeaportProxyMetrics(SeaportProxy proxy) {
        this(proxy, Tags.empty());
    }

    /**
     * Creates a binder for {@code proxy}, tagged with its port and {@code tags}.
     *
     * @param proxy a proxy
     * @param tags more tags for every meter (such as the range it forwards to)
     */
    public SeaportProxyMetrics(SeaportProxy proxy, Iterable<Tag> tags) {
        this.proxy = Objects.requireNonNull(proxy, "proxy");
        this.tags = Tags.of(Objects.requireNonNull(tags, "tags")).and("port", Integer.toString(proxy.port()));
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        Gauge.builder("seaport.proxy.connections.active", proxy, p -> p.stats().activeConnections())
                .description("client connections open now").tags(tags).register(registry);
        counter(registry, "seaport.proxy.connections", "client connections accepted", Tags.empty(),
                ProxyStats::totalConnections);
        counter(registry, "seaport.proxy.bytes", "bytes forwarded", Tags.of("direction", "to_services"),
                ProxyStats::bytesToServices);
        counter(registry, "seaport.proxy.bytes", "bytes forwarded", Tags.of("direction", "to_clients"),
                ProxyStats::bytesToClients);
        counter(registry, "seaport.proxy.connects.failed", "connection attempts to a service that failed",
                Tags.empty(), ProxyStats::failedConnects);
        counter(registry, "seaport.proxy.unserved", "client connections closed without reaching a service",
                Tags.empty(), ProxyStats::unserved);
    }

    private void counter(MeterRegistry registry, String name, String description, Tags extra,
                         ToDoubleFunction<ProxyStats> value) {
        FunctionCounter.builder(name, proxy, p -> value.applyAsDouble(p.stats()))
                .description(description).baseUnit(name.endsWith("bytes") ? "bytes" : null)
                .tags(tags.and(extra)).register(registry);
    }
}
