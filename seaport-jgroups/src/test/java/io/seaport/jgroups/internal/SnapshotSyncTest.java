package io.seaport.jgroups.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jgroups.Address;
import org.jgroups.util.UUID;
import org.junit.jupiter.api.Test;

/** The snapshot re-ask rule, on an injected clock: no sleeping, no cluster. */
final class SnapshotSyncTest {
    private final FakeTicker ticker = new FakeTicker();
    private final Replica replica = new Replica(new ServiceIndex(), new PortBook());
    private final Address self = UUID.randomUUID();
    private final Address peer = UUID.randomUUID();
    private final List<Address> asked = new ArrayList<>();
    private final SnapshotSync sync = new SnapshotSync("me", replica, () -> self, ticker, asked::add);

    @Test
    void askOverdue_missingSnapshot_asksAfterCheckPeriodThenOncePerRetryPeriod() {
        sync.viewChanged(List.of(self, peer), false);

        sync.askOverdue();
        ticker.advance(Duration.ofMillis(SnapshotSync.CHECK_MILLIS - 1));
        sync.askOverdue();
        List<Address> beforeOverdue = List.copyOf(asked);
        ticker.advance(Duration.ofMillis(1));
        sync.askOverdue();
        ticker.advance(Duration.ofMillis(SnapshotSync.RETRY_MILLIS - 1));
        sync.askOverdue();
        List<Address> withinRetry = List.copyOf(asked);
        ticker.advance(Duration.ofMillis(1));
        sync.askOverdue();

        assertThat(beforeOverdue).isEmpty();
        assertThat(withinRetry).containsExactly(peer);
        assertThat(asked).containsExactly(peer, peer);
    }

    @Test
    void askOverdue_snapshotApplied_stopsAskingAndCompletesJoin() {
        sync.viewChanged(List.of(self, peer), false);
        sync.askOverdue();
        ticker.advance(Duration.ofMillis(SnapshotSync.CHECK_MILLIS));
        sync.askOverdue();

        replica.snapshot(peer, new WireMessage.Owner(1, 0, "peer", "127.0.0.1"), List.of());
        sync.checkJoined();
        ticker.advance(Duration.ofMillis(10 * SnapshotSync.RETRY_MILLIS));
        sync.askOverdue();

        assertThat(asked).containsExactly(peer);
        assertThat(sync.joined()).isCompleted();
    }

    @Test
    void viewChanged_mergeBringsBackKnownMember_asksForFreshSnapshot() {
        sync.viewChanged(List.of(self, peer), false);
        replica.snapshot(peer, new WireMessage.Owner(1, 0, "peer", "127.0.0.1"), List.of());
        sync.viewChanged(List.of(self), false);

        sync.viewChanged(List.of(self, peer), true);
        sync.askOverdue();
        ticker.advance(Duration.ofMillis(SnapshotSync.CHECK_MILLIS));
        sync.askOverdue();

        assertThat(replica.hasSnapshot(peer)).isFalse();
        assertThat(asked).containsExactly(peer);
    }

    @Test
    void viewChanged_mergeWithAMemberThisOneStillListed_asksItForAFreshSnapshot() {
        // Whether peer was on the other side (this member was excluded without noticing) or on this
        // one (the merge digest may start this member's window for peer past changes it never got),
        // changes of peer may be missing here.
        sync.viewChanged(List.of(self, peer), false);
        replica.snapshot(peer, new WireMessage.Owner(1, 0, "peer", "127.0.0.1"), List.of());

        sync.viewChanged(List.of(self, peer), true);

        assertThat(replica.hasSnapshot(peer)).isFalse();
        assertThat(asked).containsExactly(peer);
    }

    @Test
    void askOverdue_askFails_triesAgainAfterRetryPeriod() {
        List<Address> attempts = new ArrayList<>();
        SnapshotSync failing = new SnapshotSync("me", replica, () -> self, ticker, member -> {
            attempts.add(member);
            throw new IllegalStateException("channel closed");
        });
        failing.viewChanged(List.of(self, peer), false);
        failing.askOverdue();

        ticker.advance(Duration.ofMillis(SnapshotSync.CHECK_MILLIS));
        failing.askOverdue();
        ticker.advance(Duration.ofMillis(SnapshotSync.RETRY_MILLIS));
        failing.askOverdue();

        assertThat(attempts).containsExactly(peer, peer);
    }
}
