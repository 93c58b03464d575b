package io.seaport.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

final class BackoffTest {

    @Test
    void next_quickExits_doublesUpToCeiling() {
        Backoff backoff = new Backoff();
        List<Long> delays = new ArrayList<>();

        for (int i = 0; i < 40; i++) {
            delays.add(backoff.next(Duration.ofMillis(100)).toSeconds());
        }

        assertThat(delays.subList(0, 7)).containsExactly(1L, 2L, 4L, 8L, 16L, 30L, 30L);
        assertThat(delays).allMatch(d -> d <= 30);
    }

    @Test
    void next_afterHealthyRun_startsAgainAtOneSecond() {
        Backoff backoff = new Backoff();
        backoff.next(Duration.ZERO);
        backoff.next(Duration.ZERO);
        backoff.next(Duration.ZERO);

        Duration delay = backoff.next(Backoff.HEALTHY_RUN);

        assertThat(delay).isEqualTo(Duration.ofSeconds(1));
    }
}
