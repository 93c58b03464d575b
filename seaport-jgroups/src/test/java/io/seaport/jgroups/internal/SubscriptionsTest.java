package io.seaport.jgroups.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.seaport.RoleRange;
import io.seaport.Service;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

final class SubscriptionsTest {

    @Test
    void get_racingClose_failsInsteadOfHanging() {
        EventLoop loop = new EventLoop("me", () -> "closed");
        Subscriptions subscriptions = new Subscriptions("me", "default", new ServiceIndex(), loop, () -> "closed");
        // close() ran between the member's open check and get() adding its pending future
        loop.shutdown();
        loop.awaitTermination();
        subscriptions.close();

        CompletableFuture<List<Service>> future = subscriptions.get(RoleRange.parse("web"));

        assertThat(future).failsWithin(Duration.ZERO).withThrowableThat().withMessageContaining("closed");
        assertThat(subscriptions.pendingGets()).isZero();
    }
}
