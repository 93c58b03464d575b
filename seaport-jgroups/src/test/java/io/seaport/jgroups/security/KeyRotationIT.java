package io.seaport.jgroups.security;

import io.seaport.testkit.TestKeys;
import static org.assertj.core.api.Assertions.assertThat;

import io.seaport.Service;
import io.seaport.testkit.Await;
import io.seaport.testkit.JavaProcesses;
import io.seaport.testkit.MemberProcess;
import io.seaport.testkit.TestKeys;
import io.seaport.testkit.TestPorts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Key rotation without downtime, as the README's Security section describes it, with member JVMs
 * restarted one at a time (two members, so the cluster is never empty): (1) every member restarts
 * trusting the old and the new key, (2) every member restarts with the new key, (3) every member
 * restarts trusting only the new key. At every restart the restarted member gets the running
 * one's registration and its own registration reaches the running one (on a heavily loaded
 * machine a cold TLS join may miss the join timeout and arrive through a merge a few seconds
 * later; only members that trust each other ever get there). Afterwards a member with only the
 * old key is refused, with the refusal logged, and sees nothing.
 */
final class KeyRotationIT {
    private static final Duration WAIT = Duration.ofSeconds(90);

    @RegisterExtension
    final JavaProcesses processes = new JavaProcesses();

    @TempDir
    Path dir;

    /** One rolling restart: member a's and member b's keystores and both members' truststore (null: shared mode). */
    private record Round(Path keyA, Path keyB, Path truststore) {
    }

    @Test
    void sharedKey_rotatedByRollingRestarts_clusterStaysWholeAndTheOldKeyIsOut() {
        TestKeys keys = new TestKeys(dir);
        Path oldKey = keys.selfSigned("old-shared");
        Path newKey = keys.selfSigned("new-shared");
        Path both = keys.truststore("rollover", oldKey, newKey);

        rotate("KeyRotationIT-shared-" + UUID.randomUUID(), new Round(oldKey, oldKey, null),
                List.of(new Round(oldKey, oldKey, both), new Round(newKey, newKey, both),
                        new Round(newKey, newKey, null)), new Round(oldKey, oldKey, null));
    }

    @Test
    void ca_rotatedByRollingRestarts_clusterStaysWholeAndTheOldCaIsOut() {
        TestKeys keys = new TestKeys(dir);
        TestKeys.Ca oldCa = keys.ca("old-ca");
        TestKeys.Ca newCa = keys.ca("new-ca");
        Path oldA = keys.signedBy(oldCa, "a-old");
        Path oldB = keys.signedBy(oldCa, "b-old");
        Path newA = keys.signedBy(newCa, "a-new");
        Path newB = keys.signedBy(newCa, "b-new");
        Path both = keys.truststore("ca-rollover", oldA, newA);

        rotate("KeyRotationIT-ca-" + UUID.randomUUID(), new Round(oldA, oldB, oldCa.truststore()),
                List.of(new Round(oldA, oldB, both), new Round(newA, newB, both),
                        new Round(newA, newB, newCa.truststore())),
                new Round(keys.signedBy(oldCa, "stale"), null, oldCa.truststore()));
    }

    /** Starts a and b as {@code start} says, runs the rounds, then checks that a member started as {@code stale} says is out. */
    private void rotate(String cluster, Round start, List<Round> rounds, Round stale) {
        int base = TestPorts.clusterBasePort();
        MemberProcess a = start(cluster, base, "a0", start.keyA(), start.truststore());
        MemberProcess b = start(cluster, base, "b0", start.keyB(), start.truststore());
        Service fromB = registerAndAwait(b, a, "b0");

        int round = 1;
        for (Round next : rounds) {
            a.close();
            a = start(cluster, base, "a" + round, next.keyA(), next.truststore());
            assertJoinedWith(a, fromB);
            Service fromA = registerAndAwait(a, b, "a" + round);

            b.close();
            b = start(cluster, base, "b" + round, next.keyB(), next.truststore());
            assertJoinedWith(b, fromA);
            fromB = registerAndAwait(b, a, "b" + round);
            round++;
        }
        MemberProcess outsider = start(cluster, base, "stale", stale.keyA(), stale.truststore());
        MemberProcess member = a;
        Await.until("a cluster member refuses the stale key", WAIT, () -> member.process().stderr().stream()
                .anyMatch(l -> l.contains("TLS: refused the certificate") || l.contains("ended during the handshake")),
                () -> member.process().tail(20));
        assertThat(outsider.query(fromB.role())).as("what the stale member sees").isEmpty();
        assertThat(a.query("stale")).as("the stale member's services in the cluster").isEmpty();
    }

    private static Service registerAndAwait(MemberProcess owner, MemberProcess other, String role) {
        Service service = owner.register(role + "@1.0.0", 8080);
        Await.until(other.label() + " sees " + owner.label() + "'s service", WAIT,
                () -> other.query(role).contains(service), () -> other.describe(role));
        return service;
    }

    private static void assertJoinedWith(MemberProcess joiner, Service running) {
        Await.until(joiner.label() + " gets the running member's service", WAIT,
                () -> joiner.query(running.role()).contains(running), () -> joiner.describe(running.role()));
    }

    private MemberProcess start(String cluster, int base, String label, Path keystore, Path truststore) {
        MemberProcess.Launcher launcher = MemberProcess.launcher(cluster, base).label(label)
                .systemProperty("seaport.tls.keystore", keystore.toString())
                .systemProperty("seaport.tls.password", TestKeys.PASSWORD);
        if (truststore != null) {
            launcher.systemProperty("seaport.tls.truststore", truststore.toString())
                    .systemProperty("seaport.tls.truststore.password", TestKeys.PASSWORD);
        }
        return launcher.start(processes);
    }

}
