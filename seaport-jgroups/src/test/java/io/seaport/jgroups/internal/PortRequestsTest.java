package io.seaport.jgroups.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.seaport.spi.SeaportConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.jgroups.Address;
import org.jgroups.View;
import org.jgroups.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The port-request timeout rule, on an injected clock: no sleeping, no cluster. */
final class PortRequestsTest {
    private final FakeTicker ticker = new FakeTicker();
    private final RecordingOutbox outbox = new RecordingOutbox();
    private final Address self = UUID.randomUUID();
    private final Address allocator = UUID.randomUUID();
    private final SeaportConfig config = new SeaportConfig("port-requests-test", "default", Optional.empty(),
            Optional.empty(), OptionalInt.empty(), List.of(), 20000, 20010, Optional.empty(), Optional.empty());
    private final PortRequests requests = new PortRequests("me", config, ticker, outbox,
            new PortAllocator(new PortBook(), ticker), Map.of(allocator, "127.0.0.1"),
            () -> View.create(allocator, 1, allocator, self), () -> self, () -> { });

    @AfterEach
    void close() {
        requests.shutdown();
        requests.close("closed");
    }

    @Test
    void allocatorFor_oldestMemberOfTheHost_isTheAllocator() {
        assertThat(requests.allocatorFor("127.0.0.1")).isEqualTo(allocator);
        assertThat(requests.allocatorFor("10.0.0.9")).isNull();
    }

    @Test
    void request_unanswered_failsWithTimeoutOnlyOnceRequestPeriodPassed() {
        CompletableFuture<Integer> future = requests.request(allocator, "127.0.0.1");

        ticker.advance(Duration.ofMillis(PortRequests.REQUEST_MILLIS - 1));
        requests.expireOverdue();
        boolean doneBefore = future.isDone();
        ticker.advance(Duration.ofMillis(1));
        requests.expireOverdue();

        assertThat(doneBefore).isFalse();
        assertThat(future).failsWithin(Duration.ZERO).withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(TimeoutException.class).withMessageContaining(allocator.toString());
        assertThat(outbox.sent()).singleElement().satisfies(sent -> {
            assertThat(sent.target()).isEqualTo(allocator);
            assertThat(sent.message()).isInstanceOf(WireMessage.PortRequest.class);
        });
    }

    @Test
    void granted_fromTheAskedMember_completesTheRequest() {
        CompletableFuture<Integer> future = requests.request(allocator, "127.0.0.1");
        long id = ((WireMessage.PortRequest) outbox.sent().get(0).message()).requestId();

        requests.granted(UUID.randomUUID(), new WireMessage.PortGrant(id, 20005));
        boolean doneByStranger = future.isDone();
        requests.granted(allocator, new WireMessage.PortGrant(id, 20003));

        assertThat(doneByStranger).isFalse();
        assertThat(future).isCompletedWithValue(20003);
    }

    @Test
    void viewChanged_allocatorLeft_failsItsRequestAtOnce() {
        CompletableFuture<Integer> future = requests.request(allocator, "127.0.0.1");

        requests.viewChanged(View.create(self, 2, self));

        assertThat(future).isCompletedExceptionally();
    }
}
