package io.seaport.proxy;

/**
 * How a proxy chooses among the live services that match its range, for each new
 * connection. A backend that refused or timed out recently is skipped whichever is chosen.
 */
public enum Balancing {
    /** Each new connection goes to the next matching service in turn. The default. */
    ROUND_ROBIN,
    /** Each new connection goes to a matching service chosen at random. */
    RANDOM,
    /**
     * Every connection goes to the first matching service in query order (highest version, then
     * oldest registration) while it is live and answering: sticky, with failover to the next.
     */
    FIRST
}
