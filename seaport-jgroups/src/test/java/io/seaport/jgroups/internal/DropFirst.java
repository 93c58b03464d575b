package io.seaport.jgroups.internal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.jgroups.Message;
import org.jgroups.stack.Protocol;
import org.jgroups.util.MessageBatch;

/**
 * A protocol for tests that drops the first {@code count} messages coming up that match, as a lost
 * message would be, and passes everything else up. Insert it where the loss is to happen.
 */
final class DropFirst extends Protocol {
    private final Predicate<Message> matches;
    private final int count;
    private final AtomicInteger dropped = new AtomicInteger();

    DropFirst(int count, Predicate<Message> matches) {
        this.count = count;
        this.matches = matches;
    }

    /** Returns how many messages were dropped so far. */
    int dropped() {
        return dropped.get();
    }

    @Override
    public Object up(Message message) {
        return drop(message) ? null : up_prot.up(message);
    }

    @Override
    public void up(MessageBatch batch) {
        batch.removeIf(this::drop, true);
        if (!batch.isEmpty()) {
            up_prot.up(batch);
        }
    }

    private boolean drop(Message message) {
        return matches.test(message) && dropped.getAndUpdate(n -> n < count ? n + 1 : n) < count;
    }
}
