package io.seaport.jgroups.internal;

import io.seaport.Registration;
import io.seaport.Service;

/** A registration of this member: a reserved port, published by {@link #ready()}. Thread-safe. */
final class LocalRegistration implements Registration {
    private final JGroupsSeaport seaport;
    private final Entry entry;
    private boolean published; // guarded by this
    private boolean closed; // guarded by this

    LocalRegistration(JGroupsSeaport seaport, Entry entry, boolean published) {
        this.seaport = seaport;
        this.entry = entry;
        this.published = published;
    }

    @Override
    public Service service() {
        return entry.publish().toService(seaport.memberName());
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
        seaport.ensureOpen();
        if (!published) {
            seaport.ownPut(entry.publish());
            published = true;
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            seaport.ownFree(entry.id());
        }
    }

    @Override
    public String toString() {
        return "Registration[" + entry.role() + "@" + entry.version() + " " + entry.host() + ":" + entry.port()
                + (published ? " published" : " reserved") + (closed ? " closed" : "") + "]";
    }
}
