package io.seaport.proxy.internal;

import io.seaport.proxy.ProxyStats;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** The counters behind {@link ProxyStats}, updated from every selector thread. */
final class Counters {
    final AtomicLong active = new AtomicLong();
    final LongAdder total = new LongAdder();
    final LongAdder bytesToServices = new LongAdder();
    final LongAdder bytesToClients = new LongAdder();
    final LongAdder failedConnects = new LongAdder();
    final LongAdder unserved = new LongAdder();

    ProxyStats snapshot() {
        return new ProxyStats(active.get(), total.sum(), bytesToServices.sum(), bytesToClients.sum(),
                failedConnects.sum(), unserved.sum());
    }
}
