package io.seaport.spring.boot;

import io.seaport.Health;
import io.seaport.HealthCheck;
import io.seaport.Seaport;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.client.serviceregistry.ServiceRegistry;

/**
 * Spring Cloud's {@code ServiceRegistry} over Seaport: {@code register} publishes the
 * registration's role on its port (Seaport's {@code register}, the port already listens),
 * {@code deregister} frees it on every member.
 *
 * <p>Status: {@code UP} while published, {@code DOWN} when not; setting {@code DOWN} or
 * {@code OUT_OF_SERVICE} frees the service, setting {@code UP} publishes it again.
 *
 * <p>Thread-safe; calls for one registration are serialised.
 */
public final class SeaportServiceRegistry implements ServiceRegistry<SeaportRegistration> {
    private static final Logger LOG = LoggerFactory.getLogger(SeaportServiceRegistry.class);

    private final Seaport seaport;

    /**
     * Returns a registry publishing through {@code seaport}.
     *
     * @param seaport the member that owns the registrations
     */
    public SeaportServiceRegistry(Seaport seaport) {
        this.seaport = Objects.requireNonNull(seaport, "seaport");
    }

    /**
     * Publishes {@code registration}; does nothing if it is published already.
     *
     * @throws IllegalStateException if its port is not set yet, or the Seaport bean is closed
     * @throws IllegalArgumentException if the metadata is refused (too large, bad keys)
     */
    @Override
    public void register(SeaportRegistration registration) {
        synchronized (registration) {
            if (registration.isRegistered()) {
                return;
            }
            if (registration.getPort() == 0) {
                throw new IllegalStateException("cannot register " + registration.role()
                        + ": its port is not known yet (the web server has not started)");
            }
            io.seaport.Registration published = seaport.register(registration.role(), registration.getPort(),
                    registration.getMetadata());
            HealthCheck check = registration.getCheck();
            if (check != null) {
                try {
                    published.check(check);
                } catch (RuntimeException e) {
                    published.close();
                    throw e;
                }
            }
            registration.attach(published);
            LOG.info("registered {} at {} in cluster '{}' as {}; check: {}", registration.role(),
                    published.service().address(), seaport.cluster(), seaport.member(),
                    check == null ? "none" : check);
        }
    }

    /** Frees {@code registration} on every member; does nothing if it is not published. */
    @Override
    public void deregister(SeaportRegistration registration) {
        synchronized (registration) {
            io.seaport.Registration published = registration.detach();
            if (published != null) {
                published.close();
                LOG.info("freed {} at {}", registration.role(), published.service().address());
            }
        }
    }

    /**
     * Drains {@code registration}: marks it {@link Health#DRAINING}, so that no member picks it for
     * new calls while it keeps serving, waits {@code period}, then frees it. Does nothing if it is
     * not published. Blocks the calling thread for {@code period}; if interrupted, frees at once
     * and keeps the interrupt.
     *
     * @param registration the registration
     * @param period how long to stay registered as draining; zero frees at once
     * @throws IllegalArgumentException if {@code period} is negative
     */
    public void drain(SeaportRegistration registration, Duration period) {
        if (period.isNegative()) {
            throw new IllegalArgumentException("drain period must not be negative, was " + period);
        }
        synchronized (registration) {
            io.seaport.Registration published = registration.published();
            if (published == null) {
                return;
            }
            if (!period.isZero()) {
                published.health(Health.DRAINING);
                LOG.info("draining {} at {}: serving {} ms more before freeing it", registration.role(),
                        published.service().address(), period.toMillis());
            }
        }
        if (!period.isZero()) {
            try {
                Thread.sleep(period.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        deregister(registration);
    }

    /** Does nothing: the Seaport bean is closed by the application context. */
    @Override
    public void close() {
    }

    /**
     * Publishes ({@code UP}) or frees ({@code DOWN}, {@code OUT_OF_SERVICE}) the registration.
     *
     * @throws IllegalArgumentException quoting {@code status} if it is none of those
     */
    @Override
    public void setStatus(SeaportRegistration registration, String status) {
        String normalized = status == null ? "" : status.strip().toUpperCase(Locale.ROOT);
        switch (normalized) {
            case "UP" -> register(registration);
            case "DOWN", "OUT_OF_SERVICE" -> deregister(registration);
            default -> throw new IllegalArgumentException(
                    "unknown status '" + status + "' (expected UP, DOWN or OUT_OF_SERVICE)");
        }
    }

    /** Returns {@code "UP"} while the registration is published, {@code "DOWN"} otherwise. */
    @Override
    @SuppressWarnings("unchecked")
    public <T> T getStatus(SeaportRegistration registration) {
        return (T) (registration.isRegistered() ? "UP" : "DOWN");
    }
}
