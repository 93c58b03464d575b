package io.seaport.jgroups.internal;

import io.seaport.Health;
import io.seaport.internal.CheckSpec;
import java.net.InetSocketAddress;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs this member's health checks on its own scheduler ({@code seaport-health-<member>-N}, two
 * daemon threads, started with the first check), never on the event thread or a JGroups thread.
 * TCP checks run on one more thread, a {@link TcpProber} (non-blocking connects on one selector,
 * started with the first TCP check), which hands only changes of health to the scheduler.
 *
 * <p>Design note. Each check is one fixed-rate task: it probes, feeds the result to its
 * {@link CheckState}, and only when the health changes tells its {@link Target}, which sends one
 * HEALTH message. A probe that passes as before costs no message. A task never throws (the
 * executor would silently stop repeating it). The ttl check's deadline reads the injected
 * {@link Ticker}. Thread-safe.
 */
final class HealthChecks {
    private static final Logger LOG = LoggerFactory.getLogger(HealthChecks.class);
    private static final int THREADS = 2;

    /** The registration a check watches over. */
    interface Target {
        /** Returns the host probes connect to. */
        String host();

        /** Returns the port probes connect to. */
        int port();

        /** Returns the registration's current health. */
        Health health();

        /**
         * Changes the health from {@code expected} to {@code next}, unless it is no longer
         * {@code expected} (the application changed it meanwhile) or the registration is closed.
         */
        void update(Health expected, Health next, String reason);
    }

    private final String memberName;
    private final Ticker ticker;
    private ScheduledThreadPoolExecutor scheduler; // guarded by this; created with the first check
    private TcpProber tcp; // guarded by this; created with the first TCP check
    private boolean closed; // guarded by this

    HealthChecks(String memberName, Ticker ticker) {
        this.memberName = memberName;
        this.ticker = ticker;
    }

    /**
     * Starts {@code spec} on {@code target}: the first probe at once (a ttl check's first deadline
     * one ttl from now).
     *
     * @throws IllegalStateException if this member is closed
     */
    Running start(Target target, CheckSpec spec, String name) {
        Running running = new Running(target, spec, name);
        long interval = spec.interval().toNanos();
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("Seaport member " + memberName + " is closed");
            }
            if (scheduler == null) {
                scheduler = new ScheduledThreadPoolExecutor(THREADS,
                        Threads.named("seaport-health-" + memberName + "-", false));
                scheduler.setRemoveOnCancelPolicy(true);
            }
            if (spec.kind() == CheckSpec.Kind.TCP) {
                if (tcp == null) {
                    tcp = new TcpProber(memberName, ticker);
                }
                running.stopTcp = tcp.start(running.new Tcp());
            } else if (spec.kind() == CheckSpec.Kind.TTL) {
                long poll = Math.max(CheckSpec.MIN_INTERVAL.toNanos(), interval / 5);
                running.future = scheduler.scheduleAtFixedRate(running::run, poll, poll, TimeUnit.NANOSECONDS);
            } else {
                running.future = scheduler.scheduleAtFixedRate(running::run, 0, interval, TimeUnit.NANOSECONDS);
            }
        }
        return running;
    }

    /** Stops every check; waits (bounded) for probes under way. Idempotent. */
    void close() {
        ScheduledThreadPoolExecutor stopping;
        TcpProber stoppingTcp;
        synchronized (this) {
            closed = true;
            stopping = scheduler;
            stoppingTcp = tcp;
        }
        if (stoppingTcp != null) {
            stoppingTcp.close();
        }
        if (stopping != null) {
            stopping.shutdownNow();
            Threads.awaitTermination(stopping, memberName);
        }
    }

    /** One check attached to one registration. */
    final class Running {
        private final Target target;
        private final CheckSpec spec;
        private final String name;
        private final CheckState state;
        private volatile long lastPass;
        private volatile boolean cancelled;
        private final AtomicLong runs = new AtomicLong();
        private ScheduledFuture<?> future; // set under the HealthChecks lock before the first run can read it
        private Runnable stopTcp; // the same, for a TCP check
        private InetSocketAddress address; // TCP: the last address resolved, reused while host and port stay

        private Running(Target target, CheckSpec spec, String name) {
            this.target = target;
            this.spec = spec;
            this.name = name;
            this.state = new CheckState(spec.failures(), spec.passes());
            this.lastPass = ticker.read();
        }

        /** Records a heartbeat; returns whether this is a ttl check (so the caller may pass at once). */
        boolean pass() {
            lastPass = ticker.read();
            return spec.kind() == CheckSpec.Kind.TTL;
        }

        /** Stops this check; a probe under way finishes but changes nothing. */
        void cancel() {
            cancelled = true;
            ScheduledFuture<?> scheduled;
            Runnable stopping;
            synchronized (HealthChecks.this) {
                scheduled = future;
                stopping = stopTcp;
            }
            if (scheduled != null) {
                scheduled.cancel(false);
            }
            if (stopping != null) {
                stopping.run();
            }
        }

        /** Returns how many times the probe ran; for tests. */
        long runs() {
            return runs.get();
        }

        private void run() {
            if (cancelled) {
                return;
            }
            runs.incrementAndGet();
            boolean passed;
            String reason;
            try {
                reason = probe();
                passed = reason == null;
            } catch (Exception e) {
                passed = false;
                reason = e.toString();
            } catch (Error e) {
                if (e instanceof VirtualMachineError) {
                    throw e;
                }
                passed = false;
                reason = e.toString();
            }
            apply(passed, reason);
        }

        /** Feeds one probe's result to the thresholds and tells the target when the health changes. */
        private void apply(boolean passed, String reason) {
            if (cancelled) {
                return;
            }
            Health current = target.health();
            Health next = nextHealth(current, passed);
            if (next != current) {
                announce(current, next, passed, reason);
            }
        }

        private Health nextHealth(Health current, boolean passed) {
            synchronized (state) {
                return state.next(current, passed);
            }
        }

        /** This check as the {@link TcpProber} sees it. */
        final class Tcp implements TcpProber.Probe {
            @Override
            public InetSocketAddress address() {
                String host = target.host();
                int port = target.port();
                InetSocketAddress last = address;
                if (last == null || last.isUnresolved() || last.getPort() != port
                        || !last.getHostString().equals(host)) {
                    // Resolves now; an unresolved name is reported as a failure and tried again next time.
                    last = new InetSocketAddress(host, port);
                    address = last;
                }
                return last;
            }

            @Override
            public long intervalNanos() {
                return spec.interval().toNanos();
            }

            @Override
            public long timeoutNanos() {
                return spec.timeout().toNanos();
            }

            @Override
            public void probed(String failure) {
                if (cancelled) {
                    return;
                }
                runs.incrementAndGet();
                Health current = target.health();
                Health next = nextHealth(current, failure == null);
                if (next == current) {
                    return; // the common case: nothing to send
                }
                // Changing the health waits for the member's own replica: never on the prober's thread.
                synchronized (HealthChecks.this) {
                    if (closed) {
                        return;
                    }
                    scheduler.execute(() -> announce(current, next, failure == null, failure));
                }
            }
        }

        private void announce(Health current, Health next, boolean passed, String reason) {
            if (cancelled) {
                return;
            }
            try {
                LOG.info("{}: {} is {} now ({}: {})", memberName, name, next, spec, passed ? "passed" : reason);
                target.update(current, next, reason);
            } catch (RuntimeException e) { // closed meanwhile, or the change could not be sent
                LOG.debug("{}: health check of {} could not apply its result", memberName, name, e);
            }
        }

        /** Returns null if the probe passed, or why it failed. */
        private String probe() throws Exception {
            int timeout = (int) spec.timeout().toMillis();
            switch (spec.kind()) {
                case TCP -> throw new IllegalStateException("TCP checks run on the TcpProber");
                case HTTP -> {
                    int status = Probes.httpStatus(target.host(), target.port(), spec.path(), timeout);
                    if (status < 200 || status > 299) {
                        return "HTTP status " + status;
                    }
                }
                case PROBE -> {
                    if (!spec.probe().getAsBoolean()) {
                        return "probe returned false";
                    }
                }
                case TTL -> {
                    long since = ticker.read() - lastPass;
                    if (since > spec.interval().toNanos()) {
                        return "no pass() for " + since / 1_000_000 + " ms";
                    }
                }
            }
            return null;
        }
    }
}
