package io.seaport.spring.boot;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.web.server.context.ConfigurableWebServerApplicationContext;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.cloud.client.discovery.event.InstanceRegisteredEvent;
import org.springframework.cloud.client.serviceregistry.AutoServiceRegistration;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;

/**
 * Registers the application once its web server is up, on the server's port, and takes it out
 * again at the start of a shutdown, before the web server stops.
 *
 * <p>On shutdown (this lifecycle's {@link #stop()} runs before the web server's graceful
 * shutdown): frees the registration, so every member stops picking it as soon as the free reaches
 * it, then keeps serving for the drain delay, so that requests already on their way still find the
 * server; only then does the web server stop. A context closed without stopping its lifecycles
 * frees the registration when it destroys this bean.
 *
 * <p>Spring Cloud's {@code AbstractAutoServiceRegistration} frees only when beans are destroyed,
 * after the web server has stopped, and callers would be refused in between: hence this class.
 * The management server, when it has a port of its own, is not registered.
 *
 * <p>Thread-safe.
 */
public final class SeaportAutoServiceRegistration implements AutoServiceRegistration,
        ApplicationListener<WebServerInitializedEvent>, SmartLifecycle, DisposableBean {
    /** Stops before the web server's graceful shutdown, whose phase is {@code Integer.MAX_VALUE - 1024}. */
    public static final int PHASE = Integer.MAX_VALUE - 512;

    private static final Logger LOG = LoggerFactory.getLogger(SeaportAutoServiceRegistration.class);

    private final ApplicationContext context;
    private final SeaportServiceRegistry registry;
    private final SeaportRegistration registration;
    private final Duration drainDelay;
    private final AtomicBoolean running = new AtomicBoolean();
    // The web server starts (phase MAX_VALUE - 2048) before this lifecycle does, so registration
    // cannot wait for start(); it is refused only once the application has begun to stop.
    private final AtomicBoolean stopped = new AtomicBoolean();

    /**
     * Returns the automatic registration of {@code registration}.
     *
     * @param context the application context, to which {@code InstanceRegisteredEvent} is published
     * @param registry the registry that publishes it
     * @param registration what to register; its port is taken from the web server
     * @param drainDelay how long to keep serving after freeing on shutdown
     */
    public SeaportAutoServiceRegistration(ApplicationContext context, SeaportServiceRegistry registry,
            SeaportRegistration registration, Duration drainDelay) {
        this.context = Objects.requireNonNull(context, "context");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.registration = Objects.requireNonNull(registration, "registration");
        this.drainDelay = Objects.requireNonNull(drainDelay, "drainDelay");
    }

    /** Registers on the port of the application's web server (not the management server's). */
    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        if (event.getApplicationContext() instanceof ConfigurableWebServerApplicationContext web
                && "management".equals(web.getServerNamespace())) {
            return;
        }
        if (stopped.get()) {
            return;
        }
        registration.setPort(event.getWebServer().getPort());
        registry.register(registration);
        context.publishEvent(new InstanceRegisteredEvent<>(this, registration));
    }

    @Override
    public void start() {
        running.set(true);
    }

    /** Frees the registration if it is published, then waits the drain delay. */
    @Override
    public void stop() {
        stopped.set(true);
        if (!running.compareAndSet(true, false)) {
            return;
        }
        boolean wasRegistered = registration.isRegistered();
        registry.deregister(registration);
        if (wasRegistered && !drainDelay.isZero()) {
            LOG.info("draining {}: serving {} ms more before the web server stops", registration.role(),
                    drainDelay.toMillis());
            try {
                Thread.sleep(drainDelay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running.get();
    }

    /** Returns {@link #PHASE}: started early, stopped before the web server. */
    @Override
    public int getPhase() {
        return PHASE;
    }

    /** Frees the registration if the context closed without stopping this lifecycle. */
    @Override
    public void destroy() {
        stopped.set(true);
        running.set(false);
        registry.deregister(registration);
    }
}
