package io.seaport.jgroups.internal;

import io.seaport.Registration;
import io.seaport.Service;

/**
 * A registration of this member: a reserved port, published by {@link #ready()}. Thread-safe.
 *
 * <p>It counts as closed only once its FREE was sent: if sending fails, {@link #close()} throws
 * and may be called again, so a published service never loses its handle.
 */
final class LocalRegistration implements Registration {
    private final OwnChanges own;
    private final String memberName;
    private final Entry entry;
    private boolean published; // guarded by this
    private boolean closed; // guarded by this

    LocalRegistration(OwnChanges own, String memberName, Entry entry, boolean published) {
        this.own = own;
        this.memberName = memberName;
        this.entry = entry;
        this.published = published;
    }

    @Override
    public Service service() {
        return entry.publish().toService(memberName);
    }

    @Override
    public int port() {
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
        }
    }

    @Override
    public String toString() {
        return "Registration[" + entry.role() + "@" + entry.version() + " " + entry.host() + ":" + entry.port()
                + (published ? " published" : " reserved") + (closed ? " closed" : "") + "]";
    }
}
