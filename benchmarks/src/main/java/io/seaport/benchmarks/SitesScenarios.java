package io.seaport.benchmarks;

import io.seaport.Registration;
import io.seaport.Seaport;
import io.seaport.ServiceEvent;
import io.seaport.testkit.LocalCluster;
import io.seaport.testkit.TestPorts;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Returns how fast a registration in one site is seen in another: two sites in this JVM, each its
 * own cluster of two members on 127.0.0.1 (a site master candidate with bridge peers, and a member
 * without), bridged by RELAY3 over a loopback TCP bridge. A member of site {@code east} that is not
 * its site master registers; the time is from before {@code register()} to the {@code Registered}
 * event at the member of site {@code west} that is not its site master, so the change crosses both
 * site masters: owner -> east master -> bridge -> west master -> watcher. Each probe is freed (and
 * the free awaited) before the next.
 *
 * <p>Run alone with {@code benchmarks/run --only sites}.
 */
final class SitesScenarios {
    private static final Logger LOG = LoggerFactory.getLogger(SitesScenarios.class);
    static final String SECTION = "sites (two sites bridged by RELAY3, loopback)";
    private static final long EVENT_TIMEOUT_SECONDS = 30;

    private final boolean quick;

    SitesScenarios(boolean quick) {
        this.quick = quick;
    }

    /** Returns the figures; the caller reports a failure. */
    List<Figure> run() throws Exception {
        int bridge = TestPorts.freeBlock(11);
        List<Figure> figures = new ArrayList<>();
        try (LocalCluster east = site("bench-sites-east", "east", bridge);
             LocalCluster west = site("bench-sites-west", "west", bridge)) {
            Seaport owner = east.member(1);
            Seaport watcher = west.member(1);
            Seaport neighbour = east.member(0);
            ConcurrentHashMap<String, CompletableFuture<Long>> registered = new ConcurrentHashMap<>();
            ConcurrentHashMap<String, CompletableFuture<Long>> freed = new ConcurrentHashMap<>();
            ConcurrentHashMap<String, CompletableFuture<Long>> local = new ConcurrentHashMap<>();
            watcher.watch("probe", event -> {
                long now = System.nanoTime();
                var map = event instanceof ServiceEvent.Registered ? registered : freed;
                map.computeIfAbsent(event.service().id(), id -> new CompletableFuture<>()).complete(now);
            });
            neighbour.watch("probe", event -> {
                if (event instanceof ServiceEvent.Registered) {
                    local.computeIfAbsent(event.service().id(), id -> new CompletableFuture<>())
                            .complete(System.nanoTime());
                }
            });
            // Both sites know each other once a registration has crossed: the relay has reported its members.
            owner.register("ready@1.0.0", 41_999);
            watcher.get("ready").get(EVENT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            int warmup = 5;
            int probes = quick ? 10 : 30;
            List<Double> acrossSites = new ArrayList<>();
            List<Double> sameSite = new ArrayList<>();
            for (int i = 0; i < warmup + probes; i++) {
                long before = System.nanoTime();
                Registration probe = owner.register("probe@1.0.0", 42_000 + i);
                String id = probe.service().id();
                long there = registered.computeIfAbsent(id, k -> new CompletableFuture<>())
                        .get(EVENT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                long here = local.computeIfAbsent(id, k -> new CompletableFuture<>())
                        .get(EVENT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                if (i >= warmup) {
                    acrossSites.add((there - before) / 1e6);
                    sameSite.add((here - before) / 1e6);
                }
                probe.close();
                freed.computeIfAbsent(id, k -> new CompletableFuture<>()).get(EVENT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
            figures.add(Figure.atMost(SECTION, "register in site east -> Registered at a member of site west", "ms",
                    acrossSites, 50, probes + " probes after " + warmup + " warm-up; crosses both site masters"));
            figures.add(Figure.of(SECTION, "... the same registration -> Registered at a member of site east", "ms",
                    sameSite, "the owner's own site, for comparison"));
            LOG.info("sites: across {} / same site {}", Stats.of(acrossSites), Stats.of(sameSite));
        }
        return figures;
    }

    /** Starts a site of two members: a site master candidate bridged at {@code bridge}, then a plain member. */
    private static LocalCluster site(String name, String site, int bridge) {
        LocalCluster cluster = LocalCluster.start(name, 0, b -> b.site(site));
        try {
            cluster.add(b -> b.bridgePort(bridge).bridgePeers("127.0.0.1:" + bridge));
            cluster.add();
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }
}
