/**
 * Micrometer meters for Seaport: {@link io.seaport.micrometer.SeaportMetrics} binds a member's
 * statistics, {@link io.seaport.micrometer.SeaportProxyMetrics} a proxy's counters.
 * {@code new SeaportMetrics(seaport).bindTo(registry);}
 */
package io.seaport.micrometer;
