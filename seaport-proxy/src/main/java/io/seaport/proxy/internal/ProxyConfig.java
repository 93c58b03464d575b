package io.seaport.proxy.internal;

import io.seaport.proxy.Balancing;
import java.net.InetAddress;
import java.time.Duration;

/**
 * The validated settings of one proxy, as the public builder hands them over.
 *
 * @param range the range text, as given to {@code Seaport.watch}
 * @param bindAddress the address to listen on
 * @param port the local port, 0 for any
 * @param balancing how a service is chosen
 * @param connectTimeout how long one connect attempt may take
 * @param waitTimeout how long a connection waits for a first match
 * @param ejection how long a failed service is left out of picks; zero for never
 * @param maxConnections the most client connections at once; 0 for unlimited
 * @param ioThreads how many selector threads
 */
public record ProxyConfig(
        String range,
        InetAddress bindAddress,
        int port,
        Balancing balancing,
        Duration connectTimeout,
        Duration waitTimeout,
        Duration ejection,
        int maxConnections,
        int ioThreads) {
}
