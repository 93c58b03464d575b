package io.seaport.jgroups;

import static io.seaport.testkit.Events.freed;
import static io.seaport.testkit.Events.reason;
import static io.seaport.testkit.Events.registered;
import static org.assertj.core.api.Assertions.assertThat;

import io.seaport.Service;
import io.seaport.ServiceEvent;
import io.seaport.ServiceEvent.Reason;
import io.seaport.testkit.JavaProcesses;
import io.seaport.testkit.MemberProcess;
import io.seaport.testkit.MemberProcess.Timed;
import io.seaport.testkit.MemberProcess.Watch;
import io.seaport.testkit.ProcessCluster;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Crash detection that trusts hard evidence: a killed member's port refuses connections, so the
 * survivors exclude it without waiting for verification; a frozen member's port still accepts, so
 * it is never taken as crashed and goes only when the heartbeat timeouts say so.
 */
final class CrashEvidenceIT {
    private static final Logger LOG = LoggerFactory.getLogger(CrashEvidenceIT.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final String EVIDENCE = "refuses connections: its process is gone";

    @RegisterExtension
    final JavaProcesses processes = new JavaProcesses();

    @Test
    void kill_ofMembers_survivorsExcludeEachOnTheEvidenceOfItsRefusedPort() {
        ProcessCluster cluster = new ProcessCluster(processes, "CrashEvidenceIT-kill", "victim");
        List<MemberProcess> members = cluster.start("coordinator", "a", "b", "c");
        MemberProcess coordinator = members.get(0);
        List<MemberProcess> watchers = List.of(members.get(1), members.get(2));
        MemberProcess participant = members.get(3);
        Service ofParticipant = participant.register("victim@1.0.0", 4301);
        Service ofCoordinator = coordinator.register("victim@2.0.0", 4302);
        List<Watch> watches = watchers.stream().map(m -> m.watch("victim")).toList();
        for (Watch watch : watches) {
            watch.awaitEvent("Registered " + ofParticipant.id(), registered(ofParticipant.id()), TIMEOUT);
            watch.awaitEvent("Registered " + ofCoordinator.id(), registered(ofCoordinator.id()), TIMEOUT);
        }

        for (MemberProcess victim : List.of(participant, coordinator)) {
            Service service = victim == participant ? ofParticipant : ofCoordinator;
            long killedAt = System.nanoTime();
            victim.kill();
            long last = killedAt;
            for (Watch watch : watches) {
                Timed<ServiceEvent> event = watch.awaitEvent("Freed " + service.id(), freed(service.id()), TIMEOUT);
                assertThat(reason(event.value())).isEqualTo(Reason.MEMBER_LEFT);
                last = Math.max(last, event.nanoTime());
            }
            // The coordinator decides; after the coordinator's kill, the next one: the watcher that
            // joined first, which the concurrent start does not fix in advance.
            String deciding = victim == participant ? "the coordinator" : "the next coordinator (a watcher)";
            String killed = victim == participant ? "a participant" : "the coordinator";
            List<String> evidence = victim == participant ? evidenceLines(coordinator, victim)
                    : watchers.stream().flatMap(watcher -> evidenceLines(watcher, victim).stream()).toList();
            assertThat(evidence).as("%s's log names %s as gone on evidence", deciding, victim.member()).isNotEmpty();
            LOG.info("MEASURED kill -9 of {} -> Freed(MEMBER_LEFT) on every other member: {} ms", killed,
                    (last - killedAt) / 1_000_000.0);
        }
    }

    @Test
    void freeze_ofMember_isNotTakenAsCrashedAndComesBack() {
        ProcessCluster cluster = new ProcessCluster(processes, "CrashEvidenceIT-freeze", "victim");
        List<MemberProcess> members = cluster.start("a", "b", "frozen");
        MemberProcess frozen = members.get(2);
        Service service = frozen.register("victim@1.0.0", 4401);
        List<Watch> watches = List.of(members.get(0).watch("victim"), members.get(1).watch("victim"));
        for (Watch watch : watches) {
            watch.awaitEvent("Registered " + service.id(), registered(service.id()), TIMEOUT);
        }

        long frozenAt = System.nanoTime();
        frozen.freeze();
        long dropped = frozenAt;
        for (Watch watch : watches) {
            dropped = Math.max(dropped, watch.awaitEvent("Freed " + service.id(), freed(service.id()), TIMEOUT)
                    .nanoTime());
        }
        frozen.thaw();
        for (Watch watch : watches) {
            watch.awaitEventAfter(dropped, "Registered " + service.id() + " again", registered(service.id()),
                    TIMEOUT);
        }

        for (MemberProcess member : members.subList(0, 2)) {
            assertThat(evidenceLines(member, frozen)).as("%s took the frozen member for crashed", member).isEmpty();
        }
        LOG.info("MEASURED SIGSTOP -> Freed(MEMBER_LEFT) on every other member (timeouts, no evidence): {} ms",
                (dropped - frozenAt) / 1_000_000);
    }

    private static List<String> evidenceLines(MemberProcess observer, MemberProcess victim) {
        return observer.process().stderr().stream()
                .filter(line -> line.contains(EVIDENCE) && line.contains(victim.member())).toList();
    }
}
