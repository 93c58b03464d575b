package io.seaport.jgroups.security;

import io.seaport.testkit.TestKeys;
import static org.assertj.core.api.Assertions.assertThat;

import io.seaport.Service;
import io.seaport.testkit.Await;
import io.seaport.testkit.JavaProcess;
import io.seaport.testkit.JavaProcesses;
import io.seaport.testkit.MemberProcess;
import io.seaport.testkit.TestKeys;
import io.seaport.testkit.TestPorts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Members in separate JVMs on 127.0.0.1 with TLS configured through the {@code seaport.tls.*}
 * system properties: holders of a trusted key form the cluster; a member without TLS, with another
 * self-signed key or with a certificate from another CA stays alone, sees nothing of the cluster
 * and publishes nothing into it.
 */
final class TlsMembershipIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @RegisterExtension
    final JavaProcesses processes = new JavaProcesses();

    @TempDir
    static Path dir;
    private static Path shared;
    private static Path otherShared;
    private static TestKeys.Ca ca;
    private static TestKeys.Ca otherCa;
    private static List<Path> caMembers;
    private static Path otherCaMember;

    @BeforeAll
    static void makeKeys() {
        TestKeys keys = new TestKeys(dir);
        shared = keys.selfSigned("shared");
        otherShared = keys.selfSigned("other-shared");
        ca = keys.ca("cluster-ca");
        otherCa = keys.ca("other-ca");
        caMembers = List.of(keys.signedBy(ca, "ca-member-1"), keys.signedBy(ca, "ca-member-2"),
                keys.signedBy(ca, "ca-member-3"));
        otherCaMember = keys.signedBy(otherCa, "other-ca-member");
    }

    @Test
    void join_withSharedKey_membersSeeEachOthersServices() {
        String cluster = "TlsMembershipIT-shared-" + UUID.randomUUID();
        int base = TestPorts.clusterBasePort();
        MemberProcess.Launcher aLauncher = sharedKey(MemberProcess.launcher(cluster, base).label("a"), shared);
        MemberProcess.Launcher bLauncher = sharedKey(MemberProcess.launcher(cluster, base).label("b"), shared);
        MemberProcess a = aLauncher.start(processes);
        MemberProcess b = bLauncher.start(processes);

        Service fromA = a.register("secure-a@1.0.0", 8443);
        Service fromB = b.register("secure-b@1.0.0", 9443);

        Await.until("each member sees the other's service", WAIT,
                () -> b.query("secure-a").contains(fromA) && a.query("secure-b").contains(fromB),
                () -> a.describe("secure-a", "secure-b") + "\n" + b.describe("secure-a", "secure-b"));
        assertThat(joinedView(b)).as("b's view at join").contains("(2)");
    }

    @Test
    void join_withoutTrustedCertificate_staysAloneAndLeaksNothing() {
        String cluster = "TlsMembershipIT-intruders-" + UUID.randomUUID();
        int base = TestPorts.clusterBasePort();
        MemberProcess a = sharedKey(MemberProcess.launcher(cluster, base).label("a"), shared).start(processes);
        MemberProcess b = sharedKey(MemberProcess.launcher(cluster, base).label("b"), shared).start(processes);
        Service inside = a.register("inside@1.0.0", 8080);
        JavaProcess plainProcess = MemberProcess.launcher(cluster, base).label("plaintext").launch(processes);
        JavaProcess selfSignedProcess = sharedKey(MemberProcess.launcher(cluster, base).label("other-key"),
                otherShared).launch(processes);
        JavaProcess otherCaProcess = withCa(MemberProcess.launcher(cluster, base).label("other-ca"),
                otherCaMember, otherCa).launch(processes);

        MemberProcess plain = MemberProcess.launcher(cluster, base).label("plaintext").await(plainProcess);
        MemberProcess selfSigned = sharedKey(MemberProcess.launcher(cluster, base).label("other-key"), otherShared)
                .await(selfSignedProcess);
        MemberProcess otherCaHolder = withCa(MemberProcess.launcher(cluster, base).label("other-ca"),
                otherCaMember, otherCa).await(otherCaProcess);
        List<MemberProcess> intruders = List.of(plain, selfSigned, otherCaHolder);
        for (MemberProcess intruder : intruders) {
            intruder.register("intruder-" + intruder.label() + "@1.0.0", 6666);
        }
        awaitLogged(a, "a refused the other self-signed key", l -> l.contains("refused the certificate")
                && l.contains("CN=other-shared"));
        awaitLogged(a, "a refused the other CA's member", l -> l.contains("refused the certificate")
                && l.contains("CN=other-ca-member"));
        awaitLogged(a, "a logged the plaintext connection", TlsMembershipIT::plaintextRefusal);
        Service after = a.register("after@1.0.0", 8081);
        Await.until("b sees a's later service", WAIT, () -> b.query("after").contains(after), () -> b.describe("after"));

        for (MemberProcess intruder : intruders) {
            assertThat(joinedView(intruder)).as(intruder.label() + "'s view at join").contains("(1)");
            assertThat(intruder.query("inside")).as(intruder.label() + " sees the cluster's service").isEmpty();
            assertThat(intruder.query("after")).as(intruder.label() + " sees the cluster's service").isEmpty();
        }
        for (MemberProcess member : List.of(a, b)) {
            List<String> roles = Stream.of("intruder-plaintext", "intruder-other-key", "intruder-other-ca")
                    .flatMap(r -> member.query(r).stream()).map(Service::role).collect(Collectors.toList());
            assertThat(roles).as(member.label() + " sees intruders' services").isEmpty();
        }
        assertThat(b.query("inside")).containsExactly(inside);
    }

    @Test
    void join_caMode_threeMembersFormTheClusterAndAnotherCaIsRefused() {
        String cluster = "TlsMembershipIT-ca-" + UUID.randomUUID();
        int base = TestPorts.clusterBasePort();
        List<MemberProcess.Launcher> launchers = List.of(
                withCa(MemberProcess.launcher(cluster, base).label("m1"), caMembers.get(0), ca),
                withCa(MemberProcess.launcher(cluster, base).label("m2"), caMembers.get(1), ca),
                withCa(MemberProcess.launcher(cluster, base).label("m3"), caMembers.get(2), ca));
        List<MemberProcess> members = launchers.stream().map(l -> l.start(processes)).toList();
        MemberProcess rogue = withCa(MemberProcess.launcher(cluster, base).label("rogue"), otherCaMember, otherCa)
                .start(processes);

        List<Service> services = members.stream().map(m -> m.register("ca-" + m.label() + "@1.0.0", 7000)).toList();
        rogue.register("ca-rogue@1.0.0", 7001);
        awaitLogged(members.get(0), "m1 refused the rogue", l -> l.contains("refused the certificate")
                && l.contains("CN=other-ca-member"));

        for (MemberProcess member : members) {
            Await.until(member.label() + " sees all three services", WAIT,
                    () -> services.stream().allMatch(s -> member.query(s.role()).contains(s)),
                    () -> member.describe("ca-m1", "ca-m2", "ca-m3", "ca-rogue"));
        }
        for (MemberProcess member : members) {
            assertThat(member.query("ca-rogue")).as(member.label() + " sees the rogue's service").isEmpty();
        }
        assertThat(rogue.query("ca-m1")).as("the rogue sees m1's service").isEmpty();
        assertThat(joinedView(rogue)).as("the rogue's view at join").contains("(1)");
    }

    private static MemberProcess.Launcher sharedKey(MemberProcess.Launcher launcher, Path keystore) {
        return launcher.systemProperty("seaport.tls.keystore", keystore.toString())
                .systemProperty("seaport.tls.password", TestKeys.PASSWORD);
    }

    private static MemberProcess.Launcher withCa(MemberProcess.Launcher launcher, Path keystore, TestKeys.Ca ca) {
        return sharedKey(launcher, keystore).systemProperty("seaport.tls.truststore", ca.truststore().toString())
                .systemProperty("seaport.tls.truststore.password", TestKeys.PASSWORD);
    }

    /** Returns the member's log line saying it joined, which shows its first view. */
    private static String joinedView(MemberProcess member) {
        return member.process().stderr().stream().filter(l -> l.contains(" joined cluster ")).findFirst()
                .orElseThrow(() -> new AssertionError(member.label() + " logged no join\n" + member.process().tail(40)));
    }

    private static boolean plaintextRefusal(String line) {
        return line.contains("TLS") && line.toLowerCase(java.util.Locale.ROOT).contains("plaintext");
    }

    private static void awaitLogged(MemberProcess member, String what, Predicate<String> line) {
        Await.until(what, WAIT, () -> member.process().stderr().stream().anyMatch(line),
                () -> member.process().tail(60));
    }
}
