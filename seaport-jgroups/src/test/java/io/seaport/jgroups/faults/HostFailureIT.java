package io.seaport.jgroups.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.seaport.ServiceEvent;
import io.seaport.testkit.MemberProcess;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

final class HostFailureIT {
    private static final Logger LOG = LoggerFactory.getLogger(HostFailureIT.class);

    @RegisterExtension
    final HostCluster hosts = new HostCluster();

    @Test
    void kill9_memberOnAnotherHost_itsServicesLeaveEveryOtherReplica() {
        List<Node> nodes = hosts.start("kill", 3);
        Node h1 = nodes.get(0);
        Node h2 = nodes.get(1);
        Node h3 = nodes.get(2);
        h2.register();
        Set<String> h2Services = Set.copyOf(h2.registered().keySet());
        MemberProcess.Watch h1Watch = h1.member().watch(Node.RANGE);

        long killedAt = System.nanoTime();
        h2.kill();
        long converged = hosts.awaitConverged("h2's services gone from h1 and h3", List.of(h1, h3), List.of(h1, h3));
        long detected = h1Watch.awaitEvent("MEMBER_LEFT for h2's services", e -> isMemberLeft(e, h2Services),
                HostCluster.CONVERGENCE_TIMEOUT).nanoTime();

        assertThat(h1Watch.events()).filteredOn(e -> isMemberLeft(e.value(), h2Services)).hasSize(h2Services.size());
        LOG.info("measured: kill -9 -> MEMBER_LEFT on another host after {} ms, replicas of h1 and h3 without h2 after {} ms",
                HostCluster.millis(detected - killedAt), HostCluster.millis(converged - killedAt));
    }

    @Test
    void sigstop_memberOnAnotherHost_isDroppedThenAfterSigcontItsServicesReturnEverywhere() {
        List<Node> nodes = hosts.start("freeze", 3);
        Node h1 = nodes.get(0);
        Node h2 = nodes.get(1);
        Node h3 = nodes.get(2);
        Set<String> h2Services = Set.copyOf(h2.registered().keySet());
        MemberProcess.Watch h1Watch = h1.member().watch(Node.RANGE);

        long frozenAt = System.nanoTime();
        h2.freeze();
        long dropped = hosts.awaitConverged("frozen h2's services gone from h1 and h3", List.of(h1, h3), List.of(h1, h3));
        long detected = h1Watch.awaitEvent("MEMBER_LEFT for frozen h2's services", e -> isMemberLeft(e, h2Services),
                HostCluster.CONVERGENCE_TIMEOUT).nanoTime();
        h1.register();
        MemberProcess.Watch h1AfterThaw = h1.member().watch(Node.RANGE);
        long thawedAt = System.nanoTime();
        h2.thaw();
        long back = hosts.awaitConverged("every service on every member after SIGCONT", nodes, nodes);
        long reRegistered = h1AfterThaw.awaitEvent("h2's services registered again",
                e -> e instanceof ServiceEvent.Registered && h2Services.contains(e.service().id()),
                HostCluster.CONVERGENCE_TIMEOUT).nanoTime();

        assertThat(HostCluster.replica(h2)).containsExactlyElementsOf(HostCluster.expected(nodes));
        LOG.info("measured: SIGSTOP -> MEMBER_LEFT on another host after {} ms, replicas without h2 after {} ms",
                HostCluster.millis(detected - frozenAt), HostCluster.millis(dropped - frozenAt));
        LOG.info("measured: SIGCONT -> h2's services back on h1 after {} ms, every replica complete after {} ms",
                HostCluster.millis(reRegistered - thawedAt), HostCluster.millis(back - thawedAt));
    }

    private static boolean isMemberLeft(ServiceEvent event, Set<String> ids) {
        return event instanceof ServiceEvent.Freed freed && freed.reason() == ServiceEvent.Reason.MEMBER_LEFT
                && ids.contains(event.service().id());
    }
}
