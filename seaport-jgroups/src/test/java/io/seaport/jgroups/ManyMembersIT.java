package io.seaport.jgroups;

import static org.assertj.core.api.Assertions.assertThat;

import io.seaport.Service;
import io.seaport.testkit.Await;
import io.seaport.testkit.JavaProcess;
import io.seaport.testkit.JavaProcesses;
import io.seaport.testkit.MemberProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 14: the default settings run dozens of member JVMs of one cluster on one host (the old
 * default stopped at 11: the 12th failed to bind 7800..7810). 32 JVMs start at once with no bind
 * port and no peers, each registers a service, every member sees all 32; then some leave (closed
 * or killed) and every survivor's map holds exactly the survivors' services.
 */
final class ManyMembersIT {
    private static final int MEMBERS = 32;
    private static final int FIRST_PORT = 40_000;
    private static final Duration CONVERGE = Duration.ofSeconds(90);

    @RegisterExtension
    final JavaProcesses processes = new JavaProcesses();

    @Test
    void defaults_32MemberJvmsOnOneHost_everyMemberSeesEveryRegistrationAndTheLeaves() {
        String cluster = "ManyMembersIT-" + UUID.randomUUID();
        long start = System.nanoTime();
        List<JavaProcess> launched = new ArrayList<>();
        List<MemberProcess.Launcher> launchers = new ArrayList<>();
        for (int i = 0; i < MEMBERS; i++) {
            MemberProcess.Launcher launcher = MemberProcess.defaultDiscovery(cluster).label("m" + i)
                    .jvmOptions("-Xmx64m", "-Xss512k");
            launchers.add(launcher);
            launched.add(launcher.launch(processes));
        }
        List<MemberProcess> members = new ArrayList<>();
        for (int i = 0; i < MEMBERS; i++) {
            members.add(launchers.get(i).await(launched.get(i)));
        }

        long joined = System.nanoTime();
        for (int i = 0; i < MEMBERS; i++) {
            members.get(i).register("app@1.0.0", FIRST_PORT + i);
        }

        awaitEveryMemberSees(members, ports(0, MEMBERS));
        long seen = System.nanoTime();

        List<MemberProcess> closed = members.subList(0, 4);
        List<MemberProcess> killed = members.subList(4, 8);
        List<MemberProcess> survivors = List.copyOf(members.subList(8, MEMBERS));
        closed.forEach(MemberProcess::closeSeaport);
        killed.forEach(MemberProcess::kill);

        awaitEveryMemberSees(survivors, ports(8, MEMBERS));
        System.out.printf("ManyMembersIT: %d JVMs started and joined in %d ms, registrations seen everywhere %d ms"
                + " later, leaves seen %d ms after that%n", MEMBERS, millis(start, joined), millis(joined, seen),
                millis(seen, System.nanoTime()));
        assertThat(survivors.get(0).query("app").stream().map(Service::member).collect(Collectors.toSet()))
                .as("owners after the leaves")
                .isEqualTo(survivors.stream().map(MemberProcess::member).collect(Collectors.toSet()));
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

    private static void awaitEveryMemberSees(List<MemberProcess> members, Set<Integer> expected) {
        List<MemberProcess> pending = new ArrayList<>(members);
        Await.until("every member's map holds exactly the ports " + expected, CONVERGE, () -> {
            pending.removeIf(m -> ports(m).equals(expected));
            return pending.isEmpty();
        }, () -> pending.stream().limit(4).map(m -> m.label() + " sees " + ports(m))
                .collect(Collectors.joining("; ", pending.size() + " members not there yet, e.g. ", "")));
    }

    private static Set<Integer> ports(MemberProcess member) {
        return member.query("app").stream().map(Service::port).collect(Collectors.toCollection(TreeSet::new));
    }
}
