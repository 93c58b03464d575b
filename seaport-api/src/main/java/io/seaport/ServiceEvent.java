package io.seaport;

import java.util.Objects;

/**
 * A change to the registry, delivered to {@link Seaport#watch} listeners in the order the
 * changes were applied to the local replica.
 */
public sealed interface ServiceEvent {

    /**
     * Returns the service this event is about.
     *
     * @return the service that appeared, went away or changed health
     */
    Service service();

    /**
     * A service was published.
     *
     * @param service the new service
     */
    record Registered(Service service) implements ServiceEvent {
        /**
         * Checks that the service is present.
         *
         * @param service the new service
         */
        public Registered {
            Objects.requireNonNull(service, "service");
        }
    }

    /**
     * A service went away.
     *
     * @param service the service that is gone
     * @param reason why it went away
     */
    record Freed(Service service, Reason reason) implements ServiceEvent {
        /**
         * Checks that both components are present.
         *
         * @param service the service that is gone
         * @param reason why it went away
         */
        public Freed {
            Objects.requireNonNull(service, "service");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * A published service's health changed ({@link Registration#health(Health)}, a
     * {@link HealthCheck}); a service leaving {@link Health#PASSING} is no longer returned by
     * queries, one coming back is.
     *
     * @param service the service, with its new health
     * @param previous its health before
     */
    record HealthChanged(Service service, Health previous) implements ServiceEvent {
        /**
         * Checks that both components are present.
         *
         * @param service the service, with its new health
         * @param previous its health before
         */
        public HealthChanged {
            Objects.requireNonNull(service, "service");
            Objects.requireNonNull(previous, "previous");
        }
    }

    /** Why a service went away. */
    enum Reason {
        /** Its owner freed it: {@link Registration#close()} or {@link Seaport#close()}. */
        FREED,
        /** Its owner left the cluster without freeing it: crashed, frozen or cut off. */
        MEMBER_LEFT
    }
}
