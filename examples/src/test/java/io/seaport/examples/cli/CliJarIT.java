package io.seaport.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.seaport.testkit.JavaProcess;
import io.seaport.testkit.JavaProcesses;
import io.seaport.testkit.MemberProcess;
import io.seaport.testkit.TestPorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line as it is installed: {@code target/seaport-cli.jar} (built at {@code package})
 * run with {@code java -jar} from an empty directory, and the {@code ./seaport} script with its
 * class-data archive.
 */
final class CliJarIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Path JAR = Path.of("target", "seaport-cli.jar").toAbsolutePath();
    private static final Path ARCHIVE = Path.of("target", "seaport-cli.jsa").toAbsolutePath();
    private static final Path SCRIPT = Path.of("..", "seaport").toAbsolutePath().normalize();

    @RegisterExtension
    final JavaProcesses processes = new JavaProcesses();

    @TempDir
    Path emptyDirectory;

    @Test
    void version_ofJarInEmptyDirectory_printsThisBuildsVersion() {
        JavaProcess version = processes.start(javaJar("--version"));

        assertThat(version.awaitExit(TIMEOUT)).as(version.tail(20)).isZero();
        assertThat(version.stdout().get(0)).isEqualTo("seaport " + VersionProvider.projectVersion());
        assertThat(version.stderr()).isEmpty();
    }

    @Test
    void query_ofJarInEmptyDirectory_findsTheMembersServiceThroughTheBundledProvider() {
        String cluster = Cli.cluster("jar-query");
        int base = TestPorts.clusterBasePort();
        MemberProcess member = MemberProcess.launcher(cluster, base).label("member").start(processes);
        member.register("web@1.2.0", 8081);

        JavaProcess query = processes.start(javaJar("query", "web", "--cluster", cluster,
                "--bind-port", Integer.toString(base), "--peers", "127.0.0.1:" + base));

        assertThat(query.awaitExit(TIMEOUT)).as(query.tail(20)).isZero();
        assertThat(query.stdout()).hasSize(2);
        assertThat(query.stdout().get(1)).matches("web +1\\.2\\.0 +127\\.0\\.0\\.1:8081 .*");
        Cli.assertNoErrors(query);
    }

    @Test
    void script_firstQueryRecordsClassArchive_laterRunsLoadClassesFromIt() throws IOException {
        String cluster = Cli.cluster("script-cds");
        int base = TestPorts.clusterBasePort();
        MemberProcess member = MemberProcess.launcher(cluster, base).label("member").start(processes);
        member.register("db@3.2.2", 5984);
        Files.deleteIfExists(ARCHIVE);
        Path classLog = emptyDirectory.resolve("class-load.txt");

        JavaProcess first = processes.start(script(cluster, base, "query", "db", "--json"));
        int firstExit = first.awaitExit(TIMEOUT);
        boolean recorded = Files.isRegularFile(ARCHIVE);
        JavaProcess second = processes.start(script(cluster, base, "query", "db", "--json")
                .environment("JAVA_OPTS", "-Xlog:class+load=info:file=" + classLog));
        int secondExit = second.awaitExit(TIMEOUT);

        assertThat(firstExit).as(first.tail(20)).isZero();
        assertThat(recorded).as("%s after the first query", ARCHIVE).isTrue();
        assertThat(secondExit).as(second.tail(20)).isZero();
        assertThat(second.stdout()).isEqualTo(first.stdout());
        assertThat(String.join("\n", second.stdout())).contains("\"role\":\"db\"", "\"port\":5984");
        assertThat(second.stderr()).isEmpty();
        List<String> loaded = Files.readAllLines(classLog);
        assertThat(loaded).anyMatch(line -> line.contains(" io.seaport.examples.cli.SeaportCommand source: shared objects file"));
    }

    private JavaProcess.Builder javaJar(String... args) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return JavaProcess.command(java, "-jar", JAR.toString()).args(args).name("seaport-jar")
                .directory(emptyDirectory);
    }

    /** The checkout's ./seaport script, never building (the jar is this build's). */
    private JavaProcess.Builder script(String cluster, int base, String... args) {
        return JavaProcess.command("bash", SCRIPT.toString()).args(args)
                .args("--cluster", cluster, "--bind-port", Integer.toString(base), "--peers", "127.0.0.1:" + base)
                .name("seaport-script").directory(emptyDirectory)
                .environment("SEAPORT_REBUILD", "0")
                .environment("JAVA_HOME", System.getProperty("java.home"));
    }
}
