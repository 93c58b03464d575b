package io.seaport.jgroups;

import static io.seaport.testkit.Events.freed;
import static io.seaport.testkit.Events.reason;
import static io.seaport.testkit.Events.registered;
import static org.assertj.core.api.Assertions.assertThat;

import io.seaport.Service;
import io.seaport.ServiceEvent;
import io.seaport.ServiceEvent.Reason;
import io.seaport.testkit.Await;
import io.seaport.testkit.JavaProcesses;
import io.seaport.testkit.MemberProcess;
import io.seaport.testkit.MemberProcess.Timed;
import io.seaport.testkit.MemberProcess.Watch;
import io.seaport.testkit.ProcessCluster;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Members that die, hang or come back in a new JVM: the others' replicas follow with no user action.
 */
final class MemberFailureIT {
    private static final Logger LOG = LoggerFactory.getLogger(MemberFailureIT.class);
    /** Generous: failure detection of a frozen member is ~9 s and a merge up to ~10 s more. */
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @RegisterExtension
    final JavaProcesses processes = new JavaProcesses();

    @Test
    void kill_ofOldestMember_freesItsRegistrationsEverywhereAndAllocationGoesOn() {
        ProcessCluster cluster = new ProcessCluster(processes, "MemberFailureIT-kill", "victim", "survivor");
        List<MemberProcess> members = cluster.start("victim", "a", "b");
        MemberProcess victim = members.get(0); // the oldest: coordinator and port allocator
        MemberProcess a = members.get(1);
        MemberProcess b = members.get(2);
        Service survivor = a.register("survivor@1.0.0", 4001);
        Service echo = victim.serviceEcho("victim@1.0.0");
        Service registered = victim.register("victim@2.0.0", 4002, Map.of("note", "assumed"));
        List<Watch> watches = List.of(a.watch("victim"), b.watch("victim"));
        for (Watch watch : watches) {
            watch.awaitEvent("Registered " + echo.id(), registered(echo.id()), TIMEOUT);
            watch.awaitEvent("Registered " + registered.id(), registered(registered.id()), TIMEOUT);
        }
        Await.until("b sees a's survivor", () -> b.query("survivor").contains(survivor), cluster::describe);

        long killedAt = System.nanoTime();
        victim.kill();

        long last = killedAt;
        for (Watch watch : watches) {
            for (Service service : List.of(echo, registered)) {
                Timed<ServiceEvent> event = watch.awaitEvent("Freed " + service.id(), freed(service.id()), TIMEOUT);
                assertThat(reason(event.value())).isEqualTo(Reason.MEMBER_LEFT);
                last = Math.max(last, event.nanoTime());
            }
        }
        for (MemberProcess member : List.of(a, b)) {
            assertThat(member.query("victim")).as("%s's victims", member).isEmpty();
            assertThat(member.query("survivor")).as("%s's survivors", member).containsExactly(survivor);
        }
        Service after = b.serviceEcho("survivor@2.0.0");
        Await.until("a sees b's service started after the kill", () -> a.query("survivor").contains(after),
                cluster::describe);
        LOG.info("MEASURED kill -9 -> Freed(MEMBER_LEFT) on every other member: {} ms",
                (last - killedAt) / 1_000_000);
    }

    @Test
    void freeze_ofOldestMember_dropsItThenThawMergesItBackWithItsRegistrations() {
        ProcessCluster cluster = new ProcessCluster(processes, "MemberFailureIT-freeze", "victim", "node");
        List<MemberProcess> members = cluster.start("frozen", "a", "c");
        MemberProcess frozen = members.get(0); // the oldest: the others must elect a new coordinator
        MemberProcess a = members.get(1);
        MemberProcess c = members.get(2);
        List<Service> nodes = List.of(frozen.register("node@1.0.0", 4102), a.register("node@1.0.0", 4101),
                c.register("node@1.0.0", 4103));
        Service victim = frozen.serviceEcho("victim@1.0.0");
        List<Watch> watches = List.of(a.watch("victim"), c.watch("victim"));
        for (Watch watch : watches) {
            watch.awaitEvent("Registered " + victim.id(), registered(victim.id()), TIMEOUT);
        }
        awaitNodes(cluster, members, nodes);

        long frozenAt = System.nanoTime();
        frozen.freeze();
        long dropped = frozenAt;
        for (Watch watch : watches) {
            Timed<ServiceEvent> event = watch.awaitEvent("Freed " + victim.id(), freed(victim.id()), TIMEOUT);
            assertThat(reason(event.value())).isEqualTo(Reason.MEMBER_LEFT);
            dropped = Math.max(dropped, event.nanoTime());
        }
        List<Service> survivorsWhileFrozen = a.query("node");
        long thawedAt = System.nanoTime();
        frozen.thaw();
        long back = thawedAt;
        for (Watch watch : watches) {
            Timed<ServiceEvent> event = watch.awaitEventAfter(dropped, "Registered " + victim.id() + " again",
                    registered(victim.id()), TIMEOUT);
            back = Math.max(back, event.nanoTime());
        }
        awaitNodes(cluster, members, nodes);

        assertThat(survivorsWhileFrozen).containsExactlyInAnyOrder(nodes.get(1), nodes.get(2));
        for (MemberProcess member : members) {
            assertThat(member.query("victim")).as("%s's victims", member).containsExactly(victim);
        }
        LOG.info("MEASURED SIGSTOP -> Freed(MEMBER_LEFT) on every other member: {} ms",
                (dropped - frozenAt) / 1_000_000);
        LOG.info("MEASURED SIGCONT -> Registered again on every other member (merge): {} ms",
                (back - thawedAt) / 1_000_000);
    }

    @Test
    void restart_ofKilledMemberInNewJvmWithSamePorts_leavesNoGhostEntries() {
        ProcessCluster cluster = new ProcessCluster(processes, "MemberFailureIT-restart", "ghost", "node");
        List<MemberProcess> members = cluster.start("a", "b");
        MemberProcess a = members.get(0);
        MemberProcess firstLife = members.get(1);
        Service node = a.register("node@1.0.0", 4201);
        Service past = firstLife.serviceEcho("ghost@1.0.0");
        Service pastAssumed = firstLife.register("ghost@1.5.0", 4202);
        Watch watch = a.watch("ghost");
        watch.awaitEvent("Registered " + past.id(), registered(past.id()), TIMEOUT);
        watch.awaitEvent("Registered " + pastAssumed.id(), registered(pastAssumed.id()), TIMEOUT);

        firstLife.kill();
        MemberProcess secondLife = cluster.start("b");
        Service present = secondLife.serviceEcho("ghost@2.0.0");

        watch.awaitEvent("Freed " + past.id(), freed(past.id()), TIMEOUT);
        watch.awaitEvent("Freed " + pastAssumed.id(), freed(pastAssumed.id()), TIMEOUT);
        watch.awaitEvent("Registered " + present.id(), registered(present.id()), TIMEOUT);
        Await.until("the second life sees a's node", () -> secondLife.query("node").contains(node),
                cluster::describe);

        Set<String> pastIds = Set.of(past.id(), pastAssumed.id());
        assertThat(present.id()).isNotIn(pastIds);
        for (MemberProcess member : List.of(a, secondLife)) {
            assertThat(member.query("ghost")).as("%s's ghosts", member).containsExactly(present);
        }
        assertThat(watch.events().stream().map(Timed::value)
                .filter(e -> e instanceof ServiceEvent.Registered && pastIds.contains(e.service().id()))
                .count()).as("Registered events of the past life on a").isEqualTo(2);
        LOG.info("MEASURED restart with the same bind port: member name before {} after {}, port before {} after {}",
                firstLife.member(), secondLife.member(), past.port(), present.port());
    }

    private static void awaitNodes(ProcessCluster cluster, List<MemberProcess> members, List<Service> nodes) {
        Set<Service> expected = Set.copyOf(nodes);
        for (MemberProcess member : members) {
            Await.until(member + " lists every node", Duration.ofSeconds(90),
                    () -> Set.copyOf(member.query("node")).equals(expected),
                    () -> "expected " + expected.stream().map(MemberProcess::brief).collect(Collectors.joining(", "))
                            + "\n" + cluster.describe());
        }
    }
}
