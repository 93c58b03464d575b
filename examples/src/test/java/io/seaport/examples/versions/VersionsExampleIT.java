package io.seaport.examples.versions;

import static org.assertj.core.api.Assertions.assertThat;

import io.seaport.testkit.JavaProcess;
import io.seaport.testkit.JavaProcesses;
import io.seaport.testkit.TestPorts;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The versions example in a JVM of its own: what each range resolves to, and the watch. */
final class VersionsExampleIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @RegisterExtension
    final JavaProcesses processes = new JavaProcesses();

    @Test
    void main_fiveVersions_rangesResolveAsNpmAndWatchSeesEachComeAndGo() {
        int base = TestPorts.clusterBasePort();

        JavaProcess example = processes.start(JavaProcess.builder(VersionsExample.class)
                .args("versions-" + UUID.randomUUID())
                .systemProperty("seaport.bind.port", Integer.toString(base))
                .systemProperty("seaport.peers", "127.0.0.1:" + base));

        assertThat(example.awaitExit(TIMEOUT)).as(example.tail(40)).isZero();
        assertThat(example.stdout()).containsSubsequence(
                "query api@1.x -> [1.2.5, 1.0.0]",
                "query api@^1.2 -> [1.2.5]",
                "query api@>=2 -> [2.1.0, 2.0.0]",
                "query api@~1.2.0 -> [1.2.5]",
                "query api@1.3.0-beta.1 -> [1.3.0-beta.1]",
                "query api -> [2.1.0, 2.0.0, 1.3.0-beta.1, 1.2.5, 1.0.0]");
        assertThat(example.stdout().stream().filter(l -> l.startsWith("watch: registered"))).hasSize(5)
                .contains("watch: registered api@1.2.5 at 127.0.0.1:9101 {zone=a}");
        assertThat(example.stdout().stream().filter(l -> l.startsWith("watch: freed"))).hasSize(5)
                .contains("watch: freed      api@2.1.0 at 127.0.0.1:9104");
    }
}
