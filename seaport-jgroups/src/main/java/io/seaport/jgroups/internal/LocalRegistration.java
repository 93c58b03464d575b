package io.seaport.jgroups.internal;

import io.seaport.Registration;
import io.seaport.Service;

/**
 * A registration of this member: a reserved port, published by {@link #ready()}. Thread-safe.
 *
 * <p>It counts as closed only once its FREE was sent: if sending fails, {@link #close()} throws
 * and may be called again, so a published service never loses its handle. A registration of
 * {@code service()} that loses its port to an older one after a merge {@link #moveTo moves}
 * (same id, a fresh port) and its starter runs again.
 */
final class LocalRegistration implements Registration {
    private final OwnChanges own;
    private final String memberName;
    private Entry entry; // guarded by this
    private boolean published; // guarded by this
    private boolean closed; // guarded by this
    private Runnable onClose = () -> { };

    LocalRegistration(OwnChanges own, String memberName, Entry entry, boolean published) {
        this.own = own;
        this.memberName = memberName;
        this.entry = entry;
        this.published = published;
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
        return entry.publish().toService(memberName);
    }

    @Override
    public synchronized int port() {
        return entry.port();
    }

    @Override
    public synchronized void ready() {
        if (closed) {
            throw new IllegalStateException("registration " + entry.id() + " of '" + entry.role() + "@"
                    + entry.version() + "' is closed");
        }
        if (!published) {
            own.put(entry.publish());
            published = true;
        }
    }

    /**
     * Frees the registration; a no-op once it succeeded.
     *
     * @throws io.seaport.SeaportException if the FREE could not be sent; the registration stays
     *     open and published, and close may be called again
     */
    @Override
    public synchronized void close() {
        if (!closed) {
            own.free(entry.id());
            closed = true;
            onClose.run();
        }
    }

    @Override
    public synchronized String toString() {
        return "Registration[" + entry.role() + "@" + entry.version() + " " + entry.host() + ":" + entry.port()
                + (published ? " published" : " reserved") + (closed ? " closed" : "") + "]";
    }
}
