package io.seaport.jgroups.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seaport.SeaportException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A member's own entries never end up published without a handle. No cluster: the outbox records. */
final class OwnChangesTest {
    private static final Entry ENTRY = new Entry("01ARZ3NDEKTSV4RRFFQ69G5FAV", "default", "web", "1.0.0", "127.0.0.1",
            20001, Map.of(), true, false);

    private final RecordingOutbox outbox = new RecordingOutbox();

    private OwnChanges own(boolean putApplies) {
        return new OwnChanges("me", "127.0.0.1", 1, outbox, message -> message instanceof WireMessage.Put && !putApplies
                ? CompletableFuture.failedFuture(new SeaportException("the event loop did not apply it"))
                : CompletableFuture.completedFuture(null), () -> "closed");
    }

    private static List<Entry> snapshotOf(OwnChanges own) {
        return own.snapshot().entries();
    }

    @Test
    void put_failsAfterItsMulticast_newEntryIsFreedAgain() {
        OwnChanges own = own(false);

        assertThatThrownBy(() -> own.put(ENTRY)).isInstanceOf(SeaportException.class);

        assertThat(outbox.sent()).extracting(RecordingOutbox.Sent::message)
                .hasExactlyElementsOfTypes(WireMessage.Put.class, WireMessage.Free.class);
        assertThat(((WireMessage.Free) outbox.sent().get(1).message()).ids()).containsExactly(ENTRY.id());
        assertThat(snapshotOf(own)).isEmpty();
    }

    @Test
    void registrationClose_freeCannotBeSent_staysOpenAndAnotherCloseFreesIt() {
        OwnChanges own = own(true);
        own.put(ENTRY);
        LocalRegistration registration = new LocalRegistration(own, "me", ENTRY, true);
        outbox.failing(true);

        assertThatThrownBy(registration::close).isInstanceOf(SeaportException.class);
        outbox.failing(false);
        List<Entry> afterFailedClose = snapshotOf(own);
        registration.close();
        registration.close();

        assertThat(afterFailedClose).containsExactly(ENTRY);
        assertThat(outbox.sent()).extracting(RecordingOutbox.Sent::message)
                .filteredOn(WireMessage.Free.class::isInstance).hasSize(1);
        assertThat(snapshotOf(own)).isEmpty();
    }
}
