package io.seaport.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

final class StatsTest {

    @Test
    void of_oddCount_medianIsMiddleSample() {
        Stats stats = Stats.of(5, 1, 3);

        assertThat(stats.n()).isEqualTo(3);
        assertThat(stats.median()).isEqualTo(3);
        assertThat(stats.min()).isEqualTo(1);
        assertThat(stats.max()).isEqualTo(5);
    }

    @Test
    void of_evenCount_medianIsMeanOfMiddleTwo() {
        Stats stats = Stats.of(4, 1, 2, 3);

        assertThat(stats.median()).isEqualTo(2.5);
    }

    @Test
    void of_thousandSamples_p99IsNearestRank() {
        List<Double> samples = new ArrayList<>();
        for (int i = 1; i <= 1000; i++) {
            samples.add((double) i);
        }

        Stats stats = Stats.of(samples);

        assertThat(stats.p99()).isEqualTo(990);
    }

    @Test
    void of_noSamples_everythingIsNaN() {
        Stats stats = Stats.of(List.of());

        assertThat(stats.n()).isZero();
        assertThat(stats.median()).isNaN();
    }

    @Test
    void verdict_latencyAboveCeiling_saysMissedAndByHowMuch() {
        Figure figure = Figure.atMost("s", "latency", "ms", List.of(1.0, 1.0, 1.0), 0.5, "");

        assertThat(figure.verdict()).isEqualTo("MISSED: 2.00x the goal");
    }

    @Test
    void verdict_throughputAboveFloor_saysMet() {
        Figure figure = Figure.atLeast("s", "rate", "reg/s", List.of(200.0), 100, "");

        assertThat(figure.verdict()).startsWith("met");
    }
}
