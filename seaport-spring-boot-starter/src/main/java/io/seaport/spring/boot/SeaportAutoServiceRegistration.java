package io.seaport.spring.boot;

import io.seaport.HealthCheck;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.web.server.context.ConfigurableWebServerApplicationContext;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.cloud.client.discovery.event.InstanceRegisteredEvent;
import org.springframework.cloud.client.serviceregistry.AutoServiceRegistration;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;

/**
 * Registers the application once its web server is up, on the server's port and with its health
 * check, and drains it at the start of a shutdown, before the web server stops.
 *
 * <p>The check is {@code seaport.registration.check} if set; else the actuator's health endpoint
 * ({@code GET <base-path>/health}, passing on 2xx) when the application exposes it on the
 * registered port; else none.
 *
 * <p>On shutdown (this lifecycle's {@link #stop()} runs before the web server's graceful
 * shutdown): marks the registration {@code DRAINING}, so every member stops picking it for new
 * calls as soon as the change reaches it, keeps serving for the drain delay, so that requests
 * already on their way still find the server, then frees the registration; only then does the web
 * server stop. A context closed without stopping its lifecycles frees the registration when it
 * destroys this bean.
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

    private final ApplicationContext context;
    private final SeaportServiceRegistry registry;
    private final SeaportRegistration registration;
    private final Duration drainDelay;
    private final SeaportProperties.Registration settings;
    private final AtomicBoolean running = new AtomicBoolean();
    // The web server starts (phase MAX_VALUE - 2048) before this lifecycle does, so registration
    // cannot wait for start(); it is refused only once the application has begun to stop.
    private final AtomicBoolean stopped = new AtomicBoolean();

    /**
     * Returns the automatic registration of {@code registration}, with the check it already has
     * (if any).
     *
     * @param context the application context, to which {@code InstanceRegisteredEvent} is published
     * @param registry the registry that publishes it
     * @param registration what to register; its port is taken from the web server
     * @param drainDelay how long to stay registered as draining, serving, on shutdown
     */
    public SeaportAutoServiceRegistration(ApplicationContext context, SeaportServiceRegistry registry,
            SeaportRegistration registration, Duration drainDelay) {
        this(context, registry, registration, drainDelay, null);
    }

    /**
     * Returns the automatic registration of {@code registration} configured by {@code settings}:
     * its drain delay and its health check, resolved when the web server is up.
     *
     * @param context the application context, to which {@code InstanceRegisteredEvent} is published
     * @param registry the registry that publishes it
     * @param registration what to register; its port is taken from the web server
     * @param settings {@code seaport.registration.*}
     */
    public SeaportAutoServiceRegistration(ApplicationContext context, SeaportServiceRegistry registry,
            SeaportRegistration registration, SeaportProperties.Registration settings) {
        this(context, registry, registration, Objects.requireNonNull(settings, "settings").drainDelay(), settings);
    }

    private SeaportAutoServiceRegistration(ApplicationContext context, SeaportServiceRegistry registry,
            SeaportRegistration registration, Duration drainDelay, SeaportProperties.Registration settings) {
        this.context = Objects.requireNonNull(context, "context");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.registration = Objects.requireNonNull(registration, "registration");
        this.drainDelay = Objects.requireNonNull(drainDelay, "drainDelay");
        this.settings = settings;
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
        if (settings != null) {
            Optional<HealthCheck> check = RegistrationChecks.resolve(settings, context);
            registration.setCheck(check.orElse(null));
        }
        registry.register(registration);
        context.publishEvent(new InstanceRegisteredEvent<>(this, registration));
    }

    @Override
    public void start() {
        running.set(true);
    }

    /** Drains the registration if it is published: {@code DRAINING}, the drain delay, then freed. */
    @Override
    public void stop() {
        stopped.set(true);
        if (!running.compareAndSet(true, false)) {
            return;
        }
        registry.drain(registration, drainDelay);
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
