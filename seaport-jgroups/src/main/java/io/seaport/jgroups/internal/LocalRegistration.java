package io.seaport.jgroups.internal;

import io.seaport.Health;
import io.seaport.HealthCheck;
import io.seaport.Registration;
import io.seaport.Service;
import io.seaport.internal.CheckSpec;
import java.time.Duration;
import java.util.Objects;

/**
 * A registration of this member: a reserved port, published by {@link #ready()}, with its health
 * and its check, if any. Thread-safe: every change holds this object's lock, so a check's result
 * never overwrites a health the application set meanwhile.
 *
 * <p>It counts as closed only once its FREE was sent: if sending fails, {@link #close()} throws
 * and may be called again, so a published service never loses its handle. A registration of
 * {@code service()} that loses its port to an older one after a merge {@link #moveTo moves}
 * (same id, a fresh port) and its starter runs again.
 */
final class LocalRegistration implements Registration, HealthChecks.Target {
    private final OwnChanges own;
    private final String memberName;
    private final HealthChecks checks;
    private volatile Entry entry; // written under this; read without the lock by host() and port()
    private boolean published; // guarded by this
    private boolean closed; // guarded by this
    private Runnable onClose = () -> { }; // guarded by this
    private volatile Health health;
    private final String site;
    private HealthChecks.Running check; // guarded by this

    /** A registration whose {@link #check} is refused: for tests of the change stream alone. */
    LocalRegistration(OwnChanges own, String memberName, Entry entry, boolean published) {
        this(own, memberName, null, entry, published);
    }

    LocalRegistration(OwnChanges own, String memberName, HealthChecks checks, Entry entry, boolean published) {
        this(own, memberName, io.seaport.Seaport.DEFAULT_SITE, checks, entry, published);
    }

    LocalRegistration(OwnChanges own, String memberName, String site, HealthChecks checks, Entry entry,
                      boolean published) {
        this.own = own;
        this.memberName = memberName;
        this.site = site;
        this.checks = checks;
        this.entry = entry;
        this.published = published;
        this.health = entry.health();
    }

    /** Sets what to run once this registration is closed. */
    synchronized void onClose(Runnable action) {
        this.onClose = action;
    }

    /** Returns the entry as it stands. */
    synchronized Entry entry() {
        return entry;
    }

    /** Returns whether {@link #close()} succeeded. */
    synchronized boolean isClosed() {
        return closed;
    }

    /**
     * Moves this registration to {@code reserved}'s port (same id, not published): it lost its
     * port to an older registration. Its starter publishes it again through {@link #ready()}.
     * Returns false if it was closed meanwhile.
     */
    synchronized boolean moveTo(Entry reserved) {
        if (closed) {
            return false;
        }
        own.put(reserved);
        entry = reserved;
        published = false;
        return true;
    }

    @Override
    public synchronized Service service() {
        return entry.publish().toService(memberName, site).withHealth(health);
    }

    @Override
    public int port() {
        return entry.port();
    }

    @Override
    public synchronized void ready() {
        ensureOpen();
        if (!published) {
            own.put(entry.publish().withHealth(health));
            published = true;
        }
    }

    @Override
    public synchronized Registration check(HealthCheck check) {
        Objects.requireNonNull(check, "check");
        ensureOpen();
        if (checks == null) {
            throw new IllegalStateException("registration " + entry.id() + " cannot run health checks");
        }
        if (this.check != null) {
            this.check.cancel();
        }
        this.check = checks.start(this, (CheckSpec) check,
                "'" + entry.role() + "@" + entry.version() + "' at " + entry.host() + ":" + entry.port());
        return this;
    }

    @Override
    public synchronized void health(Health health) {
        Objects.requireNonNull(health, "health");
        ensureOpen();
        setHealth(health);
    }

    @Override
    public Health health() {
        return health;
    }

    @Override
    public void pass() {
        HealthChecks.Running running;
        synchronized (this) {
            ensureOpen();
            running = check;
        }
        if (running != null && running.pass()) {
            update(Health.FAILING, Health.PASSING, "pass()");
        }
    }

    @Override
    public void drain(Duration period) {
        Objects.requireNonNull(period, "period");
        if (period.isNegative()) {
            throw new IllegalArgumentException("drain period must not be negative, was " + period);
        }
        health(Health.DRAINING);
        try {
            Thread.sleep(period.toMillis(), period.toNanosPart() % 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // free at once: the caller wants to stop
        } finally {
            close();
        }
    }

    /**
     * Frees the registration and stops its check; a no-op once it succeeded.
     *
     * @throws io.seaport.SeaportException if the FREE could not be sent; the registration stays
     *     open and published, and close may be called again
     */
    @Override
    public synchronized void close() {
        if (!closed) {
            own.free(entry.id());
            closed = true;
            if (check != null) {
                check.cancel();
            }
            onClose.run();
        }
    }

    // ---- HealthChecks.Target

    @Override
    public String host() {
        return entry.host();
    }

    @Override
    public synchronized void update(Health expected, Health next, String reason) {
        if (!closed && health == expected) {
            setHealth(next);
        }
    }

    private void setHealth(Health next) {
        if (health != next) {
            own.health(entry.id(), next);
            health = next;
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("registration " + entry.id() + " of '" + entry.role() + "@"
                    + entry.version() + "' is closed");
        }
        own.ensureOpen();
    }

    @Override
    public synchronized String toString() {
        return "Registration[" + entry.role() + "@" + entry.version() + " " + entry.host() + ":" + entry.port()
                + (published ? " published" : " reserved") + " " + health + (closed ? " closed" : "") + "]";
    }
}
