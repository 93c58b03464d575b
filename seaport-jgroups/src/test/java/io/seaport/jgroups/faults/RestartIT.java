package io.seaport.jgroups.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

final class RestartIT {
    private static final Logger LOG = LoggerFactory.getLogger(RestartIT.class);

    @RegisterExtension
    final HostCluster hosts = new HostCluster();

    @Test
    void restart_killedMemberOnSameHostAndPorts_comesBackWithoutGhostsOfItsPastLife() {
        List<Node> nodes = hosts.start("restart", 3);
        Node h1 = nodes.get(0);
        Node h2 = nodes.get(1);
        Node h3 = nodes.get(2);
        h2.register();
        Set<String> pastLife = Set.copyOf(h2.registered().keySet());
        String pastMember = h2.member().member();

        long killedAt = System.nanoTime();
        h2.kill();
        hosts.restart(h2);
        h2.register();
        long converged = hosts.awaitConverged("only the new life of h2 on every member", nodes, nodes);

        assertThat(h2.member().member()).isNotEqualTo(pastMember);
        assertThat(h2.registered().values()).allSatisfy(s -> assertThat(s.host()).isEqualTo(h2.host().address()));
        for (Node node : List.of(h1, h2, h3)) {
            assertThat(HostCluster.replica(node)).as("replica of " + node)
                    .noneMatch(s -> pastLife.contains(s.split(" ")[0]))
                    .noneMatch(s -> s.endsWith(" " + pastMember));
        }
        LOG.info("measured: kill -9 then restart on the same host -> every replica has only the new life after {} ms",
                HostCluster.millis(converged - killedAt));
    }
}
