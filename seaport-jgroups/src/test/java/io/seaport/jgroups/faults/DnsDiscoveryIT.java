package io.seaport.jgroups.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.seaport.Service;
import io.seaport.testkit.Await;
import io.seaport.testkit.JavaProcess;
import io.seaport.testkit.JavaProcesses;
import io.seaport.testkit.MemberProcess;
import io.seaport.testkit.net.TestDns;
import io.seaport.testkit.net.TestHost;
import io.seaport.testkit.net.TestNetwork;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 14, Kubernetes: members find each other through DNS as in a headless service (one name,
 * one A record per pod), with nothing but {@code seaport.dns.query}, {@code seaport.dns.server}
 * and their bind address set. A real dnsmasq answers inside the test network of namespaces.
 */
final class DnsDiscoveryIT {
    private static final String NAME = "seaport-headless.shop.svc.cluster.test";
    private static final Duration CONVERGE = Duration.ofSeconds(90);

    @RegisterExtension
    final JavaProcesses processes = new JavaProcesses();

    @Test
    void join_dnsQueryOfAHeadlessService_membersOnEveryHostFindEachOther() {
        TestDns.assumeAvailable();
        String cluster = "DnsDiscoveryIT-" + UUID.randomUUID();
        try (TestNetwork network = TestNetwork.create(3);
                TestDns dns = TestDns.start(network.host(1),
                        Map.of(NAME, network.hosts().stream().map(TestHost::address).toList()))) {
            List<MemberProcess> members = new ArrayList<>();
            List<JavaProcess> launched = new ArrayList<>();
            List<MemberProcess.Launcher> launchers = new ArrayList<>();
            for (TestHost host : network.hosts()) {
                MemberProcess.Launcher launcher = launcher(cluster, host, dns);
                launchers.add(launcher);
                launched.add(processes.start(launcher.processBuilder().commandPrefix(host.commandPrefix())));
            }
            for (int i = 0; i < launched.size(); i++) {
                members.add(launchers.get(i).await(launched.get(i)));
            }
            // A second JVM on host 2 takes the next port of the span, which DNS_PING probes too.
            MemberProcess.Launcher second = launcher(cluster, network.host(2), dns).label("h2-second");
            members.add(second.await(processes.start(second.processBuilder()
                    .commandPrefix(network.host(2).commandPrefix()))));

            for (int i = 0; i < members.size(); i++) {
                members.get(i).register("shop@1.0.0", 8000 + i);
            }

            Set<Integer> expected = Set.of(8000, 8001, 8002, 8003);
            List<MemberProcess> pending = new ArrayList<>(members);
            Await.until("every member sees the 4 services", CONVERGE, () -> {
                pending.removeIf(m -> ports(m).equals(expected));
                return pending.isEmpty();
            }, () -> pending.stream().map(m -> m.label() + " sees " + ports(m)).collect(Collectors.joining("; "))
                    + "\ndnsmasq:\n" + String.join("\n", dns.output()));
            assertThat(members.get(0).query("shop")).extracting(Service::host)
                    .containsExactlyInAnyOrderElementsOf(List.of(network.host(1).address(), network.host(2).address(),
                            network.host(2).address(), network.host(3).address()));
            assertThat(dns.output()).as("dnsmasq answered the members' queries")
                    .anyMatch(line -> line.contains("query[A] " + NAME));
        }
    }

    private static MemberProcess.Launcher launcher(String cluster, TestHost host, TestDns dns) {
        return MemberProcess.defaultDiscovery(cluster)
                .label(host.name())
                .systemProperty("seaport.bind", host.address())
                .systemProperty("seaport.dns.query", NAME)
                .systemProperty("seaport.dns.server", dns.address())
                // A discovery directory of its own (never created with DNS on): members that fell
                // back to the shared directory could not find each other, so only DNS can pass.
                .systemProperty("seaport.discovery.dir", System.getProperty("java.io.tmpdir") + "/DnsDiscoveryIT-"
                        + UUID.randomUUID());
    }

    private static Set<Integer> ports(MemberProcess member) {
        return member.query("shop").stream().map(Service::port).collect(Collectors.toCollection(TreeSet::new));
    }
}
