package io.seaport.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

final class ServiceIdsTest {

    @Test
    void next_manyInOneMillisecond_areUniqueAndIncreasing() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            ids.add(ServiceIds.next());
        }

        assertThat(new HashSet<>(ids)).hasSize(ids.size());
        assertThat(ids).isSorted().allSatisfy(id -> assertThat(id).hasSize(26).matches("[0-9A-HJKMNP-TV-Z]{26}"));
    }

    @Test
    void timestamp_ofFreshId_isNow() {
        Instant before = Instant.now().minusMillis(1);

        Instant minted = ServiceIds.timestamp(ServiceIds.next()).orElseThrow();

        assertThat(minted).isBetween(before, Instant.now().plus(Duration.ofMillis(1)));
    }

    @Test
    void timestamp_ofForeignId_isEmpty() {
        assertThat(ServiceIds.timestamp("not-a-ulid")).isEmpty();
        assertThat(ServiceIds.timestamp("U123456789ABCDEFGHJKMNPQRS")).isEmpty();
        assertThat(ServiceIds.timestamp(null)).isEmpty();
    }
}
