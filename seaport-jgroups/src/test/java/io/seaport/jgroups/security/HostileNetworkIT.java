package io.seaport.jgroups.security;

import io.seaport.testkit.TestKeys;
import static org.assertj.core.api.Assertions.assertThat;

import io.seaport.Service;
import io.seaport.testkit.Await;
import io.seaport.testkit.HostileClient;
import io.seaport.testkit.JavaProcess;
import io.seaport.testkit.JavaProcesses;
import io.seaport.testkit.MemberProcess;
import io.seaport.testkit.TestKeys;
import io.seaport.testkit.TestPorts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.jgroups.Version;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 12: a stranger holding many hostile connections to a member (a separate JVM running
 * {@link HostileClient}, aimed only at the member this test started on 127.0.0.1) does not keep
 * a key holder out. While the connections are open, a new member joins with its first view
 * holding the cluster and its replica complete, registers, and its registration reaches the
 * victim. Generous deadlines, no timing asserted (the figures are in the benchmarks).
 */
final class HostileNetworkIT {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final int CONNECTIONS = 300;

    @RegisterExtension
    final JavaProcesses processes = new JavaProcesses();

    @TempDir
    static Path dir;
    private static Path shared;

    @BeforeAll
    static void makeKeys() {
        shared = new TestKeys(dir).selfSigned("hostile-shared");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"idle", "trickle", "garbage", "oversize", "jgroups-oversize"})
    void hostileConnections_onTlsTransportPort_keyHolderJoinsCompleteAndReplicates(String kind) {
        UnaryOperator<MemberProcess.Launcher> tls = l -> l.systemProperty("seaport.tls.keystore", shared.toString())
                .systemProperty("seaport.tls.password", TestKeys.PASSWORD);
        int base = TestPorts.clusterBasePort();
        String cluster = "HostileNetworkIT-tls-" + kind + "-" + UUID.randomUUID();
        MemberProcess victim = tls.apply(MemberProcess.launcher(cluster, base).label("victim")).start(processes);
        Service before = victim.register("before@1.0.0", 8080);

        JavaProcess hostile = startHostile(base, kind);
        MemberProcess joiner = tls.apply(MemberProcess.launcher(cluster, base).label("joiner")).start(processes);

        assertJoinedCompleteAndReplicates(victim, joiner, before, hostile);
        stop(hostile);
        if (kind.equals("trickle") || kind.equals("idle")) {
            Await.until("the victim logged the handshake timeouts", WAIT, () -> victim.process().stderr().stream()
                    .anyMatch(l -> l.contains("no TLS handshake within")), () -> victim.process().tail(40));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jgroups-oversize", "trickle", "idle"})
    void hostileConnections_onPlaintextSidePort_keyHolderJoinsAndCrashesAreStillDetected(String kind) {
        int base = TestPorts.clusterBasePort();
        String cluster = "HostileNetworkIT-side-" + kind + "-" + UUID.randomUUID();
        MemberProcess victim = MemberProcess.launcher(cluster, base).label("victim").start(processes);
        Service before = victim.register("before@1.0.0", 8080);

        JavaProcess hostile = startHostile(base + 100, kind); // the victim's FD_SOCK2 port (TestPorts keeps it free)
        MemberProcess joiner = MemberProcess.launcher(cluster, base).label("joiner").start(processes);

        assertJoinedCompleteAndReplicates(victim, joiner, before, hostile);
        joiner.kill();
        Await.until("the victim drops the killed joiner's service", WAIT, () -> victim.query("after").isEmpty(),
                () -> victim.describe("after"));
        assertThat(victim.process().stderr()).noneMatch(l -> l.contains("OutOfMemoryError"));
        stop(hostile);
    }

    private JavaProcess startHostile(int port, String kind) {
        JavaProcess hostile = processes.start(JavaProcess.builder(HostileClient.class).name("hostile-" + kind)
                .args("--port", String.valueOf(port), "--kind", kind, "--count", String.valueOf(CONNECTIONS),
                        "--seconds", "300", "--jgroups-version", String.valueOf(Version.version)));
        hostile.awaitLine("started .*", WAIT);
        return hostile;
    }

    private static void assertJoinedCompleteAndReplicates(MemberProcess victim, MemberProcess joiner, Service before,
            JavaProcess hostile) {
        assertThat(joiner.query("before")).as("the joiner's replica right after join()").containsExactly(before);
        assertThat(joinedView(joiner)).as("the joiner's first view").contains("(2)");
        Service after = joiner.register("after@1.0.0", 8081);
        Await.until("the victim sees the joiner's registration", WAIT, () -> victim.query("after").contains(after),
                () -> victim.describe("before", "after") + "\n" + hostile.tail(5));
        assertThat(hostile.isAlive()).as("the hostile client was still at it").isTrue();
        assertThat(victim.process().isAlive()).as("the victim").isTrue();
    }

    private static void stop(JavaProcess hostile) {
        hostile.send("stop");
        assertThat(hostile.awaitExit(WAIT)).as("the hostile client's exit status").isZero();
    }

    /** Returns the member's log line saying it joined, which shows its first view. */
    private static String joinedView(MemberProcess member) {
        return member.process().stderr().stream().filter(l -> l.contains(" joined cluster ")).findFirst()
                .orElseThrow(() -> new AssertionError(member.label() + " logged no join\n" + member.process().tail(40)));
    }
}
