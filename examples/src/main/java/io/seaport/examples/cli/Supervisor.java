package io.seaport.examples.cli;

import io.seaport.HealthCheck;
import io.seaport.Registration;
import io.seaport.Seaport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs a command on a port allocated by Seaport and keeps it registered while it runs: allocate,
 * start, publish once it is up, free when it exits, restart after a {@link Backoff}, until
 * {@link #stop}.
 *
 * <p>Design note: {@link #run()} owns the loop on the caller's thread; {@link #stop} may come from
 * any thread (a shutdown hook). It marks the service draining and frees it after the drain
 * period, so that no new client is sent to a dying process while those it has may finish, then
 * ends the command (its descendants too), then waits for the loop to finish.
 * The port may differ from one run to the next: it is allocated afresh after each exit, so the
 * registry never points at a port that nobody holds.
 */
final class Supervisor {
    /** How often readiness is probed while the command starts. */
    private static final long PROBE_MILLIS = 100;
    /** After this long without the port answering, say so once. */
    private static final Duration SLOW_START = Duration.ofSeconds(30);

    /** When a started command counts as up. */
    enum PublishWhen {
        /** Once its port accepts a TCP connection on the advertised host. */
        LISTENING,
        /** As soon as the process is running. */
        STARTED
    }

    private final Seaport seaport;
    private final String role;
    private final Map<String, String> metadata;
    private final List<String> command;
    private final PublishWhen publishWhen;
    private final String probeHost;
    private final Consumer<String> log;
    private final HealthCheck check;
    private final Duration drain;
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile Process child;
    private volatile Registration published;

    Supervisor(Seaport seaport, String role, Map<String, String> metadata, List<String> command,
            PublishWhen publishWhen, String probeHost, Consumer<String> log, HealthCheck check, Duration drain) {
        this.seaport = seaport;
        this.role = role;
        this.metadata = Map.copyOf(metadata);
        this.command = List.copyOf(command);
        this.publishWhen = publishWhen;
        this.probeHost = probeHost;
        this.log = log;
        this.check = check;
        this.drain = drain;
    }

    /**
     * Runs the command, again and again, until {@link #stop} is called.
     *
     * @throws UncheckedIOException if the command cannot be started the first time (no such program)
     * @throws InterruptedException if the calling thread is interrupted
     */
    void run() throws InterruptedException {
        Backoff backoff = new Backoff();
        boolean first = true;
        try {
            while (!stopping()) {
                Registration reservation = seaport.allocate(role);
                int port = reservation.port();
                long startedAt = System.nanoTime();
                Process process;
                try {
                    process = start(port);
                } catch (IOException e) {
                    reservation.close();
                    if (first) {
                        throw new UncheckedIOException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
                    }
                    Duration delay = backoff.next(Duration.ZERO);
                    log.accept("cannot run " + command.get(0) + ": " + e.getMessage() + "; retrying in " + seconds(delay));
                    stopRequested.await(delay.toMillis(), TimeUnit.MILLISECONDS);
                    continue;
                }
                first = false;
                runOnce(process, reservation, port);
                if (stopping()) {
                    break;
                }
                Duration ran = Duration.ofNanos(System.nanoTime() - startedAt);
                Duration delay = backoff.next(ran);
                log.accept("command exited with status " + process.exitValue() + " after " + seconds(ran)
                        + "; freed " + role + "; restarting in " + seconds(delay));
                stopRequested.await(delay.toMillis(), TimeUnit.MILLISECONDS);
            }
        } finally {
            finished.countDown();
        }
    }

    private Process start(int port) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(Placeholders.command(command, port)).inheritIO();
        Placeholders.environment(builder.environment(), port, role);
        return builder.start();
    }

    private void runOnce(Process process, Registration reservation, int port) throws InterruptedException {
        child = process;
        try {
            if (stopping()) {
                return; // stop() came while starting and may have missed this child: finally ends it
            }
            log.accept("started pid " + process.pid() + " on port " + port + ": "
                    + String.join(" ", Placeholders.command(command, port)));
            if (awaitReady(process, port)) {
                // The child holds the port now, so the allocator cannot hand it out in between.
                reservation.close();
                published = seaport.register(role, port, metadata);
                if (check != null) {
                    published.check(check);
                }
                log.accept("registered " + published.service().roleAtVersion() + " at "
                        + published.service().address() + (check == null ? "" : "; check: " + check));
                if (stopping()) {
                    return;
                }
            }
            process.waitFor();
        } finally {
            Registration registration = published;
            published = null;
            if (registration != null) {
                registration.close();
            }
            reservation.close();
            if (process.isAlive()) {
                end(process, Duration.ofSeconds(10));
            }
        }
    }

    private boolean awaitReady(Process process, int port) throws InterruptedException {
        if (publishWhen == PublishWhen.STARTED) {
            return process.isAlive();
        }
        long since = System.nanoTime();
        boolean warned = false;
        while (process.isAlive() && !stopping()) {
            if (accepts(port)) {
                return true;
            }
            if (!warned && System.nanoTime() - since > SLOW_START.toNanos()) {
                log.accept("still waiting for the command to listen on " + probeHost + ":" + port);
                warned = true;
            }
            process.waitFor(PROBE_MILLIS, TimeUnit.MILLISECONDS); // returns at once if it exits
        }
        return false;
    }

    private boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(probeHost, port), 1000);
            return true;
        } catch (IOException e) {
            return false; // not listening yet
        }
    }

    /**
     * Drains and unpublishes, ends the command and waits for the loop to finish.
     *
     * @param grace how long the command may take to exit after SIGTERM before it is killed
     */
    void stop(Duration grace) {
        stopRequested.countDown();
        Registration registration = published;
        if (registration != null) {
            try {
                log.accept("draining " + role + " for " + seconds(drain));
                registration.drain(drain); // no new clients, then freed
            } catch (IllegalStateException e) {
                // freed meanwhile: the command exited as the stop came
            }
        }
        Process process = child;
        if (process != null && process.isAlive()) {
            log.accept("stopping pid " + process.pid());
            end(process, grace);
        }
        try {
            if (!finished.await(grace.toMillis() + 1000, TimeUnit.MILLISECONDS)) {
                log.accept("the supervisor did not finish within " + seconds(grace));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void end(Process process, Duration grace) {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private boolean stopping() {
        return stopRequested.getCount() == 0;
    }

    private static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }
}
