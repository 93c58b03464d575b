package io.seaport.jgroups.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jgroups.Address;

/** An {@link Outbox} that keeps what it was given, decoded; the target is null for a multicast. Thread-safe. */
final class RecordingOutbox implements Outbox {
    /** One message handed to the outbox. */
    record Sent(Address target, WireMessage message) {
    }

    private final List<Sent> sent = new CopyOnWriteArrayList<>();

    @Override
    public void multicast(byte[] bytes, boolean rsvp) {
        sent.add(new Sent(null, decode(bytes)));
    }

    @Override
    public void send(Address target, byte[] bytes) {
        sent.add(new Sent(target, decode(bytes)));
    }

    private static WireMessage decode(byte[] bytes) {
        try {
            return WireCodec.decode(bytes, 0, bytes.length);
        } catch (WireFormatException e) {
            throw new AssertionError("the member encoded a message its peers cannot decode", e);
        }
    }

    /** Returns what was sent so far, in order. */
    List<Sent> sent() {
        return List.copyOf(sent);
    }
}
