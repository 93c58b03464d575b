/**
 * Binds Seaport to Micrometer: {@link io.seaport.micrometer.SeaportMetrics} for a member's
 * statistics, {@link io.seaport.micrometer.SeaportProxyMetrics} for a proxy's counters.
 */
module io.seaport.micrometer {
    requires transitive io.seaport;
    requires transitive micrometer.core;
    requires static transitive io.seaport.proxy; // SeaportProxyMetrics only; optional

    exports io.seaport.micrometer;
}
