package io.seaport.jgroups.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.seaport.Seaport;
import io.seaport.Service;
import io.seaport.ServiceEvent;
import io.seaport.testkit.Await;
import io.seaport.testkit.LocalCluster;
import io.seaport.testkit.TestKeys;
import io.seaport.testkit.TestPorts;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLSocket;
import org.jgroups.JChannel;
import org.jgroups.protocols.TCP;
import org.jgroups.protocols.relay.RELAY3;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two sites in this JVM, each its own cluster on 127.0.0.1 with ports of its own, bridged by
 * RELAY3: the first member of each is a site master candidate (bridge peers set), the others
 * relay through it. Replication across the bridge, lookups with this site first or only, and
 * members of the other site leaving.
 */
final class SitesTest {
    private static final Logger LOG = LoggerFactory.getLogger(SitesTest.class);
    private static final Duration SITES_TIMEOUT = Duration.ofSeconds(60);

    private final List<LocalCluster> sites = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeSites() {
        sites.forEach(LocalCluster::close);
    }

    @Test
    void query_serviceOfAnotherSite_resolvesEverywhereOwnSiteFirst() throws Exception {
        int bridge = TestPorts.freeBlock(11);
        LocalCluster east = site("SitesTest-resolve", "east", bridge, 2);
        LocalCluster west = site("SitesTest-resolve", "west", bridge, 2);
        Seaport eastPlain = east.member(1);
        Seaport westPlain = west.member(1);
        CompletableFuture<List<Service>> dbFromWest = westPlain.get("db");

        long registeredAt = System.nanoTime();
        eastPlain.register("web@1.0.0", 8081);
        westPlain.register("web@2.0.0", 8082);
        eastPlain.register("db@1.0.0", 5432);

        List<Service> db = dbFromWest.get(SITES_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        LOG.info("measured: db registered in east resolved by a get() in west after {} ms (loaded machine)",
                (System.nanoTime() - registeredAt) / 1_000_000);
        assertThat(db).singleElement().satisfies(s -> {
            assertThat(s.site()).isEqualTo("east");
            assertThat(s.member()).isEqualTo(eastPlain.member());
        });
        Await.until("every member of both sites sees both web services", SITES_TIMEOUT,
                () -> all(east, west).allMatch(m -> m.query("web").size() == 2), () -> describe(east, west));
        for (Seaport member : all(east, west).toList()) {
            List<Service> web = member.query("web");
            assertThat(web.get(0).site()).as("first service for %s", member.member()).isEqualTo(member.site());
            assertThat(member.querySite("web")).singleElement()
                    .satisfies(s -> assertThat(s.site()).isEqualTo(member.site()));
        }
        assertThat(east.member(0).site()).isEqualTo("east");
        assertThat(east.member(0).query("web")).extracting(Service::version).containsExactly("1.0.0", "2.0.0");
        assertThat(west.member(0).query("web")).extracting(Service::version).containsExactly("2.0.0", "1.0.0");
        assertThat(westPlain.querySite("db")).isEmpty();
    }

    @Test
    void remoteMember_closesThenCrashes_itsServicesLeaveTheOtherSite() {
        int bridge = TestPorts.freeBlock(11);
        LocalCluster east = site("SitesTest-leave", "east", bridge, 2);
        LocalCluster west = site("SitesTest-leave", "west", bridge, 3);
        JGroupsSeaport closing = (JGroupsSeaport) west.member(1);
        JGroupsSeaport crashing = (JGroupsSeaport) west.member(2);
        closing.register("web@1.0.0", 8081);
        crashing.register("web@1.0.1", 8082);
        Seaport observer = east.member(1);
        Await.until("east sees both west services", SITES_TIMEOUT, () -> observer.query("web").size() == 2,
                () -> describe(east, west));
        List<ServiceEvent> events = new CopyOnWriteArrayList<>();
        observer.watch("web", events::add);

        closing.close();
        Await.until("east drops the closed member's service", SITES_TIMEOUT,
                () -> observer.query("web@1.0.0").isEmpty(), () -> describe(east, west));
        crashing.channel().close(); // leaves without a FREE: what the other site sees of a crash
        west.crashed(crashing);
        Await.until("east drops the crashed member's service", SITES_TIMEOUT,
                () -> east.members().stream().allMatch(m -> m.query("web").isEmpty()), () -> describe(east, west));

        // The closed member's FREE and the relay's news of its leaving race (the latter comes out of
        // band): its service goes either way; the crashed one's can only go as MEMBER_LEFT.
        assertThat(events).filteredOn(e -> e instanceof ServiceEvent.Freed).extracting(e -> e.service().version())
                .containsExactly("1.0.0", "1.0.1");
        assertThat(events).filteredOn(e -> e instanceof ServiceEvent.Freed freed && freed.service().version()
                .equals("1.0.1")).singleElement().satisfies(e -> assertThat(((ServiceEvent.Freed) e).reason())
                .isEqualTo(ServiceEvent.Reason.MEMBER_LEFT));
        west.member(0).register("web@3.0.0", 8083);
        Await.until("the surviving west member's new service reaches east", SITES_TIMEOUT,
                () -> observer.query("web@3").size() == 1, () -> describe(east, west));
    }

    @Test
    void siteMaster_crashes_anotherCandidateTakesOverAndNothingIsLost() {
        int bridge = TestPorts.freeBlock(11);
        LocalCluster east = site("SitesTest-failover", "east", bridge, 2);
        LocalCluster west = site("SitesTest-failover", "west", bridge, 0);
        JGroupsSeaport westMaster = (JGroupsSeaport) west.add(b -> candidate(b, bridge));
        Seaport westStandby = west.add(b -> candidate(b, bridge));
        Seaport westPlain = west.add();
        westPlain.register("web@1.0.0", 8081);
        Seaport observer = east.member(1);
        Await.until("east sees west's service", SITES_TIMEOUT, () -> observer.query("web").size() == 1,
                () -> describe(east, west));

        westMaster.channel().close();
        west.crashed(westMaster);
        westPlain.register("web@2.0.0", 8082);
        westStandby.register("web@3.0.0", 8083);
        east.member(0).register("api@1.0.0", 9001);

        Await.until("both sites hold every live registration after the failover", SITES_TIMEOUT,
                () -> observer.query("web").size() == 3 && westPlain.query("api").size() == 1
                        && westStandby.query("api").size() == 1,
                () -> describe(east, west));
        assertThat(observer.query("web")).extracting(Service::member)
                .containsOnly(westPlain.member(), westStandby.member());
    }

    @Test
    void withTls_twoSites_bridgeOverTlsAndResolveAcross(@TempDir Path dir) throws Exception {
        Path key = new TestKeys(dir).selfSigned("sites-tls");
        int bridge = TestPorts.freeBlock(11);
        LocalCluster east = LocalCluster.start("SitesTest-tls-east", 0,
                b -> b.site("east").tls(key, TestKeys.PASSWORD.toCharArray()));
        sites.add(east);
        LocalCluster west = LocalCluster.start("SitesTest-tls-west", 0,
                b -> b.site("west").tls(key, TestKeys.PASSWORD.toCharArray()));
        sites.add(west);
        east.add(b -> candidate(b, bridge));
        Seaport westMaster = west.add(b -> candidate(b, bridge));

        east.member(0).register("web@1.0.0", 8443);

        Await.until("west sees east's service over the TLS bridge", SITES_TIMEOUT,
                () -> westMaster.query("web").size() == 1, () -> describe(east, west));
        assertThat(westMaster.query("web").get(0).site()).isEqualTo("east");
        JChannel bridgeChannel = ((JGroupsSeaport) westMaster).channel().getProtocolStack()
                .<RELAY3>findProtocol(RELAY3.class).getBridge("east");
        try (Socket socket = ((TCP) bridgeChannel.getProtocolStack().getTransport()).getSocketFactory()
                .createSocket("sites-test")) {
            assertThat(socket).as("a socket of the bridge's transport").isInstanceOf(SSLSocket.class);
        }
    }

    /**
     * Starts a site of {@code size} members: the first a site master candidate bridged at
     * {@code bridge}, the others relaying through it.
     */
    private LocalCluster site(String test, String site, int bridge, int size) {
        LocalCluster cluster = LocalCluster.start(test + "-" + site, 0, b -> b.site(site));
        sites.add(cluster);
        for (int i = 0; i < size; i++) {
            cluster.add(i == 0 ? b -> candidate(b, bridge) : b -> b);
        }
        return cluster;
    }

    private static Seaport.Builder candidate(Seaport.Builder builder, int bridge) {
        return builder.bridgePort(bridge).bridgePeers("127.0.0.1:" + bridge);
    }

    private static Stream<Seaport> all(LocalCluster... clusters) {
        return Stream.of(clusters).flatMap(c -> c.members().stream());
    }

    private static String describe(LocalCluster... clusters) {
        StringBuilder out = new StringBuilder();
        for (LocalCluster cluster : clusters) {
            out.append(cluster.describe()).append('\n');
        }
        return out.toString();
    }
}
