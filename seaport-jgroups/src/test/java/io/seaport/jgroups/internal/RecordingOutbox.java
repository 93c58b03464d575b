package io.seaport.jgroups.internal;

import io.seaport.SeaportException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jgroups.Address;

/** An {@link Outbox} that keeps what it was given, decoded; the target is null for a multicast. Thread-safe. */
final class RecordingOutbox implements Outbox {
    /** One message handed to the outbox. */
    record Sent(Address target, WireMessage message) {
    }

    private final List<Sent> sent = new CopyOnWriteArrayList<>();
    private volatile boolean failing;
    private volatile CountDownLatch unicastGate = new CountDownLatch(0);
    private volatile CountDownLatch multicastGate = new CountDownLatch(0);
    private final CountDownLatch multicastStalled = new CountDownLatch(1);
    private final CountDownLatch unicastStalled = new CountDownLatch(1);

    /** Makes every later multicast wait until {@link #releaseMulticasts()}, as flow control would. */
    void stallMulticasts() {
        multicastGate = new CountDownLatch(1);
    }

    /** Lets stalled and later multicasts through. */
    void releaseMulticasts() {
        multicastGate.countDown();
    }

    /** Waits until some multicast is held by {@link #stallMulticasts()}; returns false after 30 s. */
    boolean awaitMulticastStalled() throws InterruptedException {
        return multicastStalled.await(30, TimeUnit.SECONDS);
    }

    /** Makes every later unicast wait until {@link #releaseUnicasts()}, as a stalled peer's flow control would. */
    void stallUnicasts() {
        unicastGate = new CountDownLatch(1);
    }

    /** Waits until some unicast is held by {@link #stallUnicasts()}; returns false after 30 s. */
    boolean awaitUnicastStalled() throws InterruptedException {
        return unicastStalled.await(30, TimeUnit.SECONDS);
    }

    /** Lets stalled and later unicasts through. */
    void releaseUnicasts() {
        unicastGate.countDown();
    }

    /** Makes every later send fail (as a closed channel's would) or succeed again. */
    void failing(boolean fail) {
        this.failing = fail;
    }

    @Override
    public void multicast(byte[] bytes, boolean rsvp) {
        failIfAsked();
        CountDownLatch gate = multicastGate;
        if (gate.getCount() > 0) {
            multicastStalled.countDown();
        }
        await(gate, "multicast");
        sent.add(new Sent(null, decode(bytes)));
    }

    @Override
    public void send(Address target, byte[] bytes) {
        failIfAsked();
        CountDownLatch gate = unicastGate;
        if (gate.getCount() > 0) {
            unicastStalled.countDown();
        }
        await(gate, "unicast");
        sent.add(new Sent(target, decode(bytes)));
    }

    private static void await(CountDownLatch gate, String what) {
        try {
            if (!gate.await(60, TimeUnit.SECONDS)) {
                throw new AssertionError("a " + what + " stalled by the test was never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SeaportException("interrupted while stalled", e);
        }
    }

    private void failIfAsked() {
        if (failing) {
            throw new SeaportException("cannot send: the test made the outbox fail");
        }
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
