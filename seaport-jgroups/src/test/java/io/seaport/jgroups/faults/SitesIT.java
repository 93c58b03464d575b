package io.seaport.jgroups.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.seaport.Service;
import io.seaport.spi.SeaportConfig;
import io.seaport.testkit.Await;
import io.seaport.testkit.JavaProcess;
import io.seaport.testkit.JavaProcesses;
import io.seaport.testkit.MemberProcess;
import io.seaport.testkit.net.TestNetwork;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Three sites on four simulated hosts (network namespaces), each member a JVM configured only by
 * system properties as in production: site {@code a} on h1, site {@code b} on h2 (its site master)
 * and h3 (relaying through h2), site {@code c} on h4. Each site is its own cluster (own name, TCPPING
 * over its own hosts); h1, h2 and h4 are bridged at their bridge port. Then site {@code a}'s link is
 * cut and restored, with registrations and a free made on both sides while cut.
 */
final class SitesIT {
    private static final Logger LOG = LoggerFactory.getLogger(SitesIT.class);
    private static final int BRIDGE_PORT = SeaportConfig.DEFAULT_BRIDGE_PORT;
    private static final Duration TIMEOUT = HostCluster.CONVERGENCE_TIMEOUT;

    @RegisterExtension
    final JavaProcesses processes = new JavaProcesses();

    private TestNetwork network;
    private final List<Node> nodes = new ArrayList<>();

    @AfterEach
    void removeNetwork() {
        if (network != null) {
            network.close();
        }
    }

    @Test
    void cutSite_eachSideDropsTheOther_thenHealsWithEveryChangeMadeDuringTheCut() {
        TestNetwork.assumeSupported();
        network = TestNetwork.create(4);
        String tag = Integer.toHexString(ThreadLocalRandom.current().nextInt());
        network.hosts().forEach(h -> nodes.add(new Node(h)));
        Node a = nodes.get(0);
        Node bMaster = nodes.get(1);
        Node bPlain = nodes.get(2);
        Node c = nodes.get(3);
        processes.onFailure(this::describe);
        String bridgePeers = String.join(",", a.host().address() + ":" + BRIDGE_PORT,
                bMaster.host().address() + ":" + BRIDGE_PORT, c.host().address() + ":" + BRIDGE_PORT);
        long begin = System.nanoTime();
        List<Launch> launches = List.of(
                launch(a, "sites-" + tag + "-a", "a", bridgePeers, a),
                launch(bMaster, "sites-" + tag + "-b", "b", bridgePeers, bMaster, bPlain),
                launch(c, "sites-" + tag + "-c", "c", bridgePeers, c));
        launches.forEach(Launch::await);
        launch(bPlain, "sites-" + tag + "-b", "b", null, bMaster, bPlain).await();
        long registeredAt = System.nanoTime();
        nodes.forEach(Node::register);
        long converged = awaitConverged("every site's services on every member", nodes, nodes);
        LOG.info("measured: 3 sites on 4 hosts up after {} ms; a registration of each member everywhere {} ms "
                + "after the registrations", HostCluster.millis(registeredAt - begin),
                HostCluster.millis(converged - registeredAt));
        for (Node node : nodes) {
            List<Node> sameSite = node == bMaster || node == bPlain ? List.of(bMaster, bPlain) : List.of(node);
            Service first = node.member().query(Node.RANGE).get(0);
            assertThat(isOf(first, sameSite)).as("%s lists its own site's service first", node.label()).isTrue();
        }

        long cutAt = System.nanoTime();
        a.host().cut();
        long aAlone = awaitConverged("a without the other sites", List.of(a), List.of(a));
        long othersAlone = awaitConverged("b and c without a", List.of(bMaster, bPlain, c),
                List.of(bMaster, bPlain, c));
        Service madeInA = a.register();
        Service madeInB = bPlain.register();
        String freedInC = c.registered().keySet().iterator().next();
        c.free(freedInC);
        long restoredAt = System.nanoTime();
        a.host().restore();
        long healed = awaitConverged("every live registration everywhere after the heal", nodes, nodes);

        assertThat(HostCluster.replica(bPlain)).contains(HostCluster.brief(madeInA))
                .noneMatch(s -> s.startsWith(freedInC + " "));
        assertThat(HostCluster.replica(a)).contains(HostCluster.brief(madeInB))
                .noneMatch(s -> s.startsWith(freedInC + " "));
        LOG.info("measured: site a cut -> a alone after {} ms, b and c without a after {} ms; restored -> every "
                        + "replica complete after {} ms (loaded machine)",
                HostCluster.millis(aAlone - cutAt), HostCluster.millis(othersAlone - cutAt),
                HostCluster.millis(healed - restoredAt));
    }

    private static boolean isOf(Service service, List<Node> owners) {
        return owners.stream().anyMatch(n -> n.registered().containsKey(service.id()));
    }

    private long awaitConverged(String what, List<Node> observers, List<Node> owners) {
        Set<String> expected = HostCluster.expected(owners);
        long[] at = {0};
        Await.until(what, TIMEOUT, () -> {
            for (Node observer : observers) {
                List<String> seen = HostCluster.replica(observer);
                if (!new TreeSet<>(seen).equals(expected) || seen.size() != expected.size()) {
                    return false;
                }
            }
            at[0] = System.nanoTime();
            return true;
        }, () -> "expected on " + observers.stream().map(Node::label).toList() + ":\n  "
                + String.join("\n  ", expected) + "\n" + describe());
        return at[0];
    }

    /**
     * Starts the member of {@code node}: cluster {@code cluster} of site {@code site} over the
     * hosts of {@code siteNodes}, a site master candidate if {@code bridgePeers} is set.
     */
    private Launch launch(Node node, String cluster, String site, String bridgePeers, Node... siteNodes) {
        node.nextIncarnation();
        List<String> peers = new ArrayList<>();
        for (Node each : siteNodes) {
            peers.add(each.host().address() + ":" + HostCluster.BIND_PORT);
        }
        MemberProcess.Launcher launcher = MemberProcess.launcher(cluster, HostCluster.BIND_PORT)
                .label(node.label())
                .peers(peers.toArray(String[]::new))
                .systemProperty("seaport.bind", node.host().address())
                .systemProperty("seaport.site", site);
        if (bridgePeers != null) {
            launcher.systemProperty("seaport.bridge.port", Integer.toString(BRIDGE_PORT))
                    .systemProperty("seaport.bridge.peers", bridgePeers);
        }
        JavaProcess process = processes.start(launcher.processBuilder().commandPrefix(node.host().commandPrefix()));
        return new Launch(node, launcher, process);
    }

    private String describe() {
        return "sites on " + (network == null ? "-" : network.tag()) + "\n" + HostCluster.describe(nodes);
    }

    /** A member JVM started on a node, not yet joined. */
    private record Launch(Node node, MemberProcess.Launcher launcher, JavaProcess process) {
        void await() {
            node.started(launcher.await(process));
            LOG.info("{} joined as {} on {}", node.label(), node.member().member(), node.host().address());
        }
    }
}
