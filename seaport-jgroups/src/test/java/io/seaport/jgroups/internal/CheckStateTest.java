package io.seaport.jgroups.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.seaport.Health;
import io.seaport.HealthCheck;
import org.junit.jupiter.api.Test;

final class CheckStateTest {

    @Test
    void next_defaultThresholds_twoFailuresInARowMakeFailing() {
        CheckState state = new CheckState(HealthCheck.DEFAULT_FAILURES, HealthCheck.DEFAULT_PASSES);

        Health afterOne = state.next(Health.PASSING, false);
        Health afterTwo = state.next(afterOne, false);

        assertThat(afterOne).isEqualTo(Health.PASSING);
        assertThat(afterTwo).isEqualTo(Health.FAILING);
    }

    @Test
    void next_failurePassFailure_staysPassing() {
        CheckState state = new CheckState(2, 1);

        Health health = state.next(Health.PASSING, false);
        health = state.next(health, true);
        health = state.next(health, false);

        assertThat(health).isEqualTo(Health.PASSING);
    }

    @Test
    void next_failingWithThreePassesNeeded_passesOnlyOnTheThird() {
        CheckState state = new CheckState(1, 3);

        Health first = state.next(Health.FAILING, true);
        Health second = state.next(first, true);
        Health third = state.next(second, true);

        assertThat(first).isEqualTo(Health.FAILING);
        assertThat(second).isEqualTo(Health.FAILING);
        assertThat(third).isEqualTo(Health.PASSING);
    }

    @Test
    void next_draining_neverChangedByProbes() {
        CheckState state = new CheckState(1, 1);

        Health failed = state.next(Health.DRAINING, false);
        Health passed = state.next(Health.DRAINING, true);

        assertThat(failed).isEqualTo(Health.DRAINING);
        assertThat(passed).isEqualTo(Health.DRAINING);
    }
}
