package io.seaport.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.seaport.Service;
import io.seaport.testkit.Await;
import io.seaport.testkit.JavaProcess;
import io.seaport.testkit.JavaProcesses;
import io.seaport.testkit.MemberProcess;
import io.seaport.testkit.TestPorts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code seaport keygen} output used end to end: members in their own JVMs join with the keys it made. */
final class KeygenIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    @RegisterExtension
    final JavaProcesses processes = new JavaProcesses();

    @TempDir
    Path dir;

    @Test
    void keygenCa_membersJoinWithTheKeysAndSeeEachOther() throws IOException {
        Path ca = dir.resolve("ca.p12");
        Path truststore = dir.resolve("truststore.p12");
        keygen("ca", "--out", ca.toString(), "--truststore", truststore.toString());
        keygen("member", "--ca", ca.toString(), "--name", "node1", "--out", dir.resolve("node1.p12").toString());
        keygen("member", "--ca", ca.toString(), "--name", "node2", "--out", dir.resolve("node2.p12").toString());
        Path password = dir.resolve("ca.p12.password");
        String cluster = Cli.cluster("keygen-ca");
        int base = TestPorts.clusterBasePort();

        MemberProcess node1 = withCa(MemberProcess.launcher(cluster, base).label("node1"), dir.resolve("node1.p12"),
                password, truststore).start(processes);
        MemberProcess node2 = withCa(MemberProcess.launcher(cluster, base).label("node2"), dir.resolve("node2.p12"),
                password, truststore).start(processes);
        Service service = node1.register("keyed@1.0.0", 8443);

        Await.until("node2 sees node1's service", TIMEOUT, () -> node2.query("keyed").contains(service),
                () -> node2.describe("keyed"));
        for (String file : List.of("ca.p12", "truststore.p12", "node1.p12", "node2.p12", "ca.p12.password")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(file))))
                    .as(file).isEqualTo("rw-------");
        }
        assertThat(dir.toFile().list()).as("no temporary files left").allMatch(n -> !n.startsWith(".seaport-keygen"));
    }

    @Test
    void keygenShared_cliQueryWithTheKeyFindsTheMembersService() throws IOException {
        Path shared = dir.resolve("cluster.p12");
        keygen("shared", "--out", shared.toString());
        Path password = dir.resolve("cluster.p12.password");
        String cluster = Cli.cluster("keygen-shared");
        int base = TestPorts.clusterBasePort();
        MemberProcess member = MemberProcess.launcher(cluster, base).label("member")
                .systemProperty("seaport.tls.keystore", shared.toString())
                .systemProperty("seaport.tls.password", Files.readAllLines(password, StandardCharsets.UTF_8).get(0))
                .start(processes);
        member.register("keyed@2.0.0", 9443);

        JavaProcess query = processes.start(Cli.seaport(cluster, base, "query", "keyed",
                "--tls-keystore", shared.toString(), "--tls-password-file", password.toString()));
        JavaProcess wrong = processes.start(Cli.seaport(cluster, base, "query", "keyed",
                "--tls-keystore", shared.toString(), "--tls-password", "not-the-password"));

        assertThat(query.awaitExit(TIMEOUT)).as(query.tail(20)).isZero();
        assertThat(String.join("\n", query.stdout())).contains("127.0.0.1:9443");
        assertThat(wrong.awaitExit(TIMEOUT)).as(wrong.tail(20)).isNotZero();
        assertThat(String.join("\n", wrong.stderr())).contains(shared.toString()).contains("password is wrong");
    }

    @Test
    void keygenTrust_rolloverTruststoreJoinsOldAndNewKeys_thenRemovingTheOldKeepsOnlyTheNew() throws IOException {
        Path oldKey = dir.resolve("old.p12");
        Path newKey = dir.resolve("new.p12");
        Path password = dir.resolve("old.p12.password");
        Path rollover = dir.resolve("rollover.p12");
        keygen("shared", "--out", oldKey.toString());
        keygen("shared", "--out", newKey.toString(), "--password-file", password.toString());

        String added = keygen("trust", "--truststore", rollover.toString(), "--add", oldKey.toString(),
                "--add", newKey.toString(), "--password-file", password.toString());

        assertThat(added).contains("trusts 2 certificate(s)");
        String cluster = Cli.cluster("keygen-trust");
        int base = TestPorts.clusterBasePort();
        MemberProcess old = withCa(MemberProcess.launcher(cluster, base).label("old"), oldKey, password, rollover)
                .start(processes);
        MemberProcess renewed = withCa(MemberProcess.launcher(cluster, base).label("new"), newKey, password, rollover)
                .start(processes);
        Service service = old.register("rolled@1.0.0", 8443);
        Await.until("the member with the new key sees the one with the old key", TIMEOUT,
                () -> renewed.query("rolled").contains(service), () -> renewed.describe("rolled"));

        String removed = keygen("trust", "--truststore", rollover.toString(), "--remove", oldKey.toString(),
                "--password-file", password.toString());

        assertThat(removed).contains("trusts 1 certificate(s)");
        assertThat(keygen("trust", "--truststore", rollover.toString(), "--password-file", password.toString()))
                .contains("trusts 1 certificate(s)").contains("CN=seaport-cluster");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(rollover))).isEqualTo("rw-------");
        assertThat(keygenFails("trust", "--truststore", rollover.toString(), "--remove", oldKey.toString(),
                "--password-file", password.toString())).contains("does not trust").contains(oldKey.toString());
        assertThat(keygenFails("trust", "--truststore", rollover.toString(), "--remove", newKey.toString(),
                "--password-file", password.toString())).contains("would trust no certificate");
        assertThat(dir.toFile().list()).as("no temporary files left").allMatch(n -> !n.startsWith(".seaport-keygen"));
    }

    /** Runs {@code seaport keygen ARGS}, asserts it succeeds, and returns its stdout. */
    private String keygen(String... args) {
        JavaProcess keygen = processes.start(Cli.plain(keygenArgs(args)));
        assertThat(keygen.awaitExit(TIMEOUT)).as(keygen.tail(20)).isZero();
        return String.join("\n", keygen.stdout());
    }

    /** Runs {@code seaport keygen ARGS}, asserts it fails, and returns its stderr. */
    private String keygenFails(String... args) {
        JavaProcess keygen = processes.start(Cli.plain(keygenArgs(args)));
        assertThat(keygen.awaitExit(TIMEOUT)).as(keygen.tail(20)).isNotZero();
        return String.join("\n", keygen.stderr());
    }

    private static String[] keygenArgs(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "keygen";
        System.arraycopy(args, 0, all, 1, args.length);
        return all;
    }

    private static MemberProcess.Launcher withCa(MemberProcess.Launcher launcher, Path keystore, Path passwordFile,
            Path truststore) throws IOException {
        return launcher.systemProperty("seaport.tls.keystore", keystore.toString())
                .systemProperty("seaport.tls.password", Files.readAllLines(passwordFile, StandardCharsets.UTF_8).get(0))
                .systemProperty("seaport.tls.truststore", truststore.toString());
    }
}
