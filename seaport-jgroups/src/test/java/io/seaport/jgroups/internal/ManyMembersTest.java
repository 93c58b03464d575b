package io.seaport.jgroups.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.seaport.Seaport;
import io.seaport.Service;
import io.seaport.testkit.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.jgroups.protocols.TCP;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 14 in one JVM: 32 members with the default settings (same-host directory discovery, ports
 * the system picks) join 8 at a time and each registers right after its own join, while others are
 * still joining; every member then holds all 32 services, and after 8 leave exactly the 24
 * survivors'. {@code ManyMembersIT} does the same with 32 JVMs (opt-in, see docs/registry.md).
 */
final class ManyMembersTest {
    private static final Logger LOG = LoggerFactory.getLogger(ManyMembersTest.class);
    private static final int MEMBERS = 32;
    private static final int AT_ONCE = 8;
    private static final int FIRST_PORT = 41_000;
    private static final Duration CONVERGE = Duration.ofSeconds(90);

    private final List<Seaport> members = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeMembers() {
        members.forEach(Seaport::close);
    }

    @Test
    void defaults_32MembersJoiningTogether_everyMemberSeesEveryRegistrationAndTheLeaves() throws Exception {
        String cluster = "ManyMembersTest-" + UUID.randomUUID();
        long start = System.nanoTime();
        ExecutorService joins = Executors.newFixedThreadPool(AT_ONCE);
        List<Future<Seaport>> joined = new ArrayList<>();
        try {
            for (int i = 0; i < MEMBERS; i++) {
                int port = FIRST_PORT + i;
                joined.add(joins.submit(() -> {
                    Seaport member = Seaport.builder().cluster(cluster).join();
                    members.add(member);
                    LOG.info("{} registers port {}", ((JGroupsSeaport) member).memberName(), port);
                    member.register("app@1.0.0", port); // at once, while others still join
                    return member;
                }));
            }
            List<Seaport> all = new ArrayList<>();
            for (Future<Seaport> future : joined) {
                all.add(future.get());
            }
            long registered = System.nanoTime();
            awaitEveryMemberSees(all, ports(0, MEMBERS));
            long seen = System.nanoTime();

            List<Seaport> leaving = all.subList(0, AT_ONCE);
            List<Seaport> survivors = List.copyOf(all.subList(AT_ONCE, MEMBERS));
            Set<String> survivorNames = new TreeSet<>();
            for (Seaport survivor : survivors) {
                survivorNames.add(((JGroupsSeaport) survivor).memberName());
            }
            leaving.forEach(Seaport::close);
            awaitEveryMemberSees(survivors, ports(AT_ONCE, MEMBERS));
            LOG.info("measured: {} members joined and registered in {} ms, seen everywhere {} ms later, leaves {} ms"
                    + " after that (noisy: shared machine)", MEMBERS, millis(start, registered),
                    millis(registered, seen), millis(seen, System.nanoTime()));
            assertThat(survivors.get(0).query("app").stream().map(Service::member).collect(Collectors.toSet()))
                    .as("owners after the leaves").isEqualTo(survivorNames);
        } finally {
            joins.shutdownNow();
        }
    }

    private static long millis(long from, long to) {
        return (to - from) / 1_000_000;
    }

    private static Set<Integer> ports(int from, int to) {
        Set<Integer> ports = new TreeSet<>();
        for (int i = from; i < to; i++) {
            ports.add(FIRST_PORT + i);
        }
        return ports;
    }

    private static Set<Integer> ports(Seaport member) {
        return member.query("app").stream().map(Service::port).collect(Collectors.toCollection(TreeSet::new));
    }

    private static void awaitEveryMemberSees(List<Seaport> members, Set<Integer> expected) {
        List<Seaport> pending = new ArrayList<>(members);
        try {
            Await.until("every member's map holds exactly the ports " + expected, CONVERGE, () -> {
                pending.removeIf(m -> ports(m).equals(expected));
                return pending.isEmpty();
            }, () -> pending.stream().limit(4).map(m -> ((JGroupsSeaport) m).memberName() + " sees " + ports(m))
                    .collect(Collectors.joining("; ", pending.size() + " members not there yet, e.g. ", "")));
        } catch (AssertionError e) {
            for (Seaport member : pending) { // what a member lacks, and its connections, for the next reader
                JGroupsSeaport lacking = (JGroupsSeaport) member;
                LOG.error("{} sees {}; its replica:\n{}its connections:{}", lacking.memberName(), ports(member),
                        lacking.describeReplica(), ((TCP) lacking.channel().getProtocolStack()
                                .getTransport()).printConnections());
            }
            throw e;
        }
    }
}
