package io.seaport.jgroups.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.seaport.Service;
import io.seaport.ServiceEvent;
import io.seaport.testkit.MemberProcess;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

final class PartitionIT {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionIT.class);

    @RegisterExtension
    final HostCluster hosts = new HostCluster();

    @Test
    void cut_twoOfFourHosts_eachSideDropsTheOthersThenHealsWithChangesMadeDuringTheSplit() {
        List<Node> nodes = hosts.start("partition", 4);
        Node h1 = nodes.get(0);
        Node h2 = nodes.get(1);
        Node h3 = nodes.get(2);
        Node h4 = nodes.get(3);
        MemberProcess.Watch h3Watch = h3.member().watch(Node.RANGE);
        MemberProcess.Watch h1Watch = h1.member().watch(Node.RANGE);

        long cutAt = System.nanoTime();
        h1.host().cut();
        h2.host().cut();
        long h1Split = hosts.awaitConverged("h1 alone", List.of(h1), List.of(h1));
        long h2Split = hosts.awaitConverged("h2 alone", List.of(h2), List.of(h2));
        long majoritySplit = hosts.awaitConverged("h3 and h4 without h1 and h2", List.of(h3, h4), List.of(h3, h4));
        long h3SawH1Leave = h3Watch.awaitEvent("h1's service leaving",
                e -> isMemberLeft(e, h1), HostCluster.CONVERGENCE_TIMEOUT).nanoTime();
        Service madeDuringSplit = h1.register();
        String freedDuringSplit = h4.registered().keySet().iterator().next();
        h4.free(freedDuringSplit);
        h4.register();
        long restoredAt = System.nanoTime();
        h1.host().restore();
        h2.host().restore();
        long healed = hosts.awaitConverged("every member's services everywhere after healing", nodes, nodes);
        long h3SawNewService = h3Watch.awaitEvent("the service h1 made during the split",
                e -> e instanceof ServiceEvent.Registered && e.service().id().equals(madeDuringSplit.id()),
                HostCluster.CONVERGENCE_TIMEOUT).nanoTime();

        assertThat(HostCluster.replica(h3)).contains(HostCluster.brief(madeDuringSplit))
                .noneMatch(s -> s.startsWith(freedDuringSplit + " "));
        assertThat(h1Watch.events()).as("h1's events").anyMatch(e -> isMemberLeft(e.value(), h3));
        // Repair started by a lost member answering again, not only by MERGE3's next round (ReconnectMerge).
        List<String> reconnects = nodes.stream().flatMap(n -> n.member().process().stderr().stream())
                .filter(line -> line.contains("answers again; starting a merge")).toList();
        reconnects.forEach(line -> LOG.info("member log: {}", line));
        assertThat(reconnects).as("members' logs of lost members answering again").isNotEmpty();
        LOG.info("measured: link cut -> h1 alone {} ms, h2 alone {} ms, h3+h4 without them {} ms"
                        + " (h3's MEMBER_LEFT event for h1 after {} ms)",
                HostCluster.millis(h1Split - cutAt), HostCluster.millis(h2Split - cutAt),
                HostCluster.millis(majoritySplit - cutAt), HostCluster.millis(h3SawH1Leave - cutAt));
        LOG.info("measured: links restored -> every replica complete after {} ms"
                        + " (h3's event for h1's split-time service after {} ms)",
                HostCluster.millis(healed - restoredAt), HostCluster.millis(h3SawNewService - restoredAt));
    }

    private static boolean isMemberLeft(ServiceEvent event, Node owner) {
        return event instanceof ServiceEvent.Freed freed && freed.reason() == ServiceEvent.Reason.MEMBER_LEFT
                && owner.registered().containsKey(event.service().id());
    }
}
