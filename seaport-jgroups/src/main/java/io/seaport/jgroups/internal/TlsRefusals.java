package io.seaport.jgroups.internal;

import io.seaport.jgroups.internal.jfr.SeaportEvents;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs why TLS connections were refused, once a minute per peer and cause at WARN (a refused peer
 * retries every few seconds through discovery and MERGE3), and at DEBUG in between. Messages
 * carry no stack trace: the reason is the message. Thread-safe.
 */
final class TlsRefusals {
    private static final Logger LOG = LoggerFactory.getLogger(TlsRefusals.class);
    private static final long WARN_INTERVAL_NANOS = 60_000_000_000L;
    private static final int MAX_REMEMBERED = 1024;

    private final ConcurrentMap<String, Long> lastWarned = new ConcurrentHashMap<>();

    /** Logs {@code message} (an SLF4J pattern) at WARN unless the same {@code key} was warned of within a minute. */
    void refused(String key, String message, Object... args) {
        SeaportEvents.tlsRefused(key, message, args);
        long now = System.nanoTime();
        Long last = lastWarned.get(key);
        if (last == null || now - last > WARN_INTERVAL_NANOS) {
            if (lastWarned.size() >= MAX_REMEMBERED) {
                lastWarned.clear(); // bounded memory against many distinct peers; at worst, more warnings
            }
            lastWarned.put(key, now);
            LOG.warn(message, args);
        } else if (LOG.isDebugEnabled()) {
            LOG.debug(message, args);
        }
    }
}
