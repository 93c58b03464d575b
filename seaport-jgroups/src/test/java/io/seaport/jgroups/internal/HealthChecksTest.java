package io.seaport.jgroups.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.seaport.Health;
import io.seaport.internal.CheckSpec;
import io.seaport.testkit.Await;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

final class HealthChecksTest {
    private final FakeTicker ticker = new FakeTicker();
    private final HealthChecks checks = new HealthChecks("test-member", ticker);
    private final FakeTarget target = new FakeTarget();

    @AfterEach
    void close() {
        checks.close();
    }

    @Test
    void ttl_noPassWithinTtl_failsAndPassBringsItBack() {
        HealthChecks.Running running = checks.start(target, CheckSpec.ttl(Duration.ofMillis(50)), "ttl target");
        ticker.advance(Duration.ofMillis(40));
        Await.until("a few polls within the ttl", () -> running.runs() >= 3, target::toString);
        assertThat(target.health()).isEqualTo(Health.PASSING);

        ticker.advance(Duration.ofMillis(20));
        Await.until("FAILING once the ttl passed without pass()", () -> target.health() == Health.FAILING,
                target::toString);
        boolean ttl = running.pass();
        Await.until("PASSING after pass()", () -> target.health() == Health.PASSING, target::toString);

        assertThat(ttl).isTrue();
        assertThat(target.changes).containsExactly(Health.FAILING, Health.PASSING);
    }

    @Test
    void ttl_passedInTime_neverFails() {
        HealthChecks.Running running = checks.start(target, CheckSpec.ttl(Duration.ofMillis(50)), "ttl target");

        for (int i = 0; i < 5; i++) {
            ticker.advance(Duration.ofMillis(40));
            running.pass();
        }
        ticker.advance(Duration.ofMillis(40));

        long before = running.runs();
        Await.until("polls after the last advance", () -> running.runs() >= before + 3, target::toString);
        assertThat(target.changes).isEmpty();
    }

    @Test
    void probe_failsThenRecovers_changesOnlyOnThresholds() {
        AtomicBoolean up = new AtomicBoolean(true);
        checks.start(target, CheckSpec.of(() -> {
            target.probed();
            return up.get();
        }, Duration.ofMillis(10)), "probe target");
        Await.until("a few passing probes", () -> target.probes() >= 3, target::toString);
        assertThat(target.changes).isEmpty();

        up.set(false);
        Await.until("FAILING", () -> target.health() == Health.FAILING, target::toString);
        up.set(true);
        Await.until("PASSING again", () -> target.health() == Health.PASSING, target::toString);

        assertThat(target.changes).containsExactly(Health.FAILING, Health.PASSING);
    }

    @Test
    void probe_throws_countsAsFailure() {
        checks.start(target, CheckSpec.of(() -> {
            throw new IllegalStateException("probe broke");
        }, Duration.ofMillis(10)), "throwing target");

        Await.until("FAILING", () -> target.health() == Health.FAILING, target::toString);
    }

    @Test
    void cancel_stopsProbing() {
        HealthChecks.Running running = checks.start(target, CheckSpec.of(() -> {
            target.probed();
            return false;
        }, Duration.ofMillis(10)), "cancelled target");
        Await.until("FAILING", () -> target.health() == Health.FAILING, target::toString);

        running.cancel();
        int probes = target.probes();

        // Proof of no further probe: a fresh check on another target probes several times meanwhile.
        FakeTarget other = new FakeTarget();
        checks.start(other, CheckSpec.of(() -> {
            other.probed();
            return true;
        }, Duration.ofMillis(10)), "other target");
        Await.until("the other check probed 5 times", () -> other.probes() >= 5, other::toString);
        assertThat(target.probes()).isLessThanOrEqualTo(probes + 1); // one may have been under way
    }

    /** A registration stand-in that records the changes a check asks for. */
    private static final class FakeTarget implements HealthChecks.Target {
        volatile Health health = Health.PASSING;
        final List<Health> changes = new CopyOnWriteArrayList<>();
        private int probes; // guarded by this

        synchronized void probed() {
            probes++;
        }

        synchronized int probes() {
            return probes;
        }

        @Override
        public String host() {
            return "127.0.0.1";
        }

        @Override
        public int port() {
            return 1;
        }

        @Override
        public Health health() {
            return health;
        }

        @Override
        public synchronized void update(Health expected, Health next, String reason) {
            if (health == expected) {
                health = next;
                changes.add(next);
            }
        }

        @Override
        public String toString() {
            return "target health " + health + ", changes " + changes + ", probes " + probes();
        }
    }
}
