package io.seaport.proxy;

/**
 * A snapshot of a proxy's counters since it started. Immutable. Counters are read one by one
 * while connections run, so they are consistent with each other only roughly.
 *
 * @param activeConnections client connections open now, waiting, connecting or piping
 * @param totalConnections client connections accepted since the proxy started
 * @param bytesToServices bytes read from clients and written towards services
 * @param bytesToClients bytes read from services and written towards clients
 * @param failedConnects connection attempts to a service that were refused, failed or timed out
 * @param unserved client connections closed without reaching a service: no match within the wait
 *     timeout, or every matching service failed
 */
public record ProxyStats(
        long activeConnections,
        long totalConnections,
        long bytesToServices,
        long bytesToClients,
        long failedConnects,
        long unserved) {
}
