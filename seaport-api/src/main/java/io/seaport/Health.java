package io.seaport;

/**
 * The health of a published service, as its owning member reports it. Only {@link #PASSING}
 * services are returned by {@link Seaport#query}, {@link Seaport#get} and picked by proxies;
 * {@link Seaport#services()} lists every service with its health.
 */
public enum Health {
    /** The service answers: queries return it. A registration without a check is always passing. */
    PASSING,
    /** Its check failed often enough in a row ({@link HealthCheck#thresholds}): queries leave it out. */
    FAILING,
    /**
     * Its owner is taking it out of service: no new clients are sent to it, those it has may
     * finish. Set only by the application ({@link Registration#health(Health)},
     * {@link Registration#drain}); a check never changes a draining service.
     */
    DRAINING
}
