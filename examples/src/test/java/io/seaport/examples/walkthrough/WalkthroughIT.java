package io.seaport.examples.walkthrough;

import static org.assertj.core.api.Assertions.assertThat;

import io.seaport.testkit.JavaProcess;
import io.seaport.testkit.JavaProcesses;
import io.seaport.testkit.TestPorts;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The walk-through's two examples as separate JVMs, the client started first. */
final class WalkthroughIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @RegisterExtension
    final JavaProcesses processes = new JavaProcesses();

    @Test
    void client_startedBeforeServer_printsBeepBoop() {
        String cluster = "walkthrough-" + UUID.randomUUID();
        int base = TestPorts.clusterBasePort();
        JavaProcess client = processes.start(example(HttpClientExample.class, cluster, base));
        client.awaitLine("waiting for http server", TIMEOUT);

        JavaProcess server = processes.start(example(HttpServerExample.class, cluster, base));

        String listening = server.awaitLine("http server listening on 127\\.0\\.0\\.1:\\d+", TIMEOUT);
        String address = listening.substring(listening.lastIndexOf(' ') + 1);
        client.awaitLine("found http server at " + address.replace(".", "\\."), TIMEOUT);
        client.awaitLine("beep boop", TIMEOUT);
        assertThat(client.awaitExit(TIMEOUT)).as(client.tail(20)).isZero();
        assertThat(client.stderr()).as(client.tail(20)).noneMatch(l -> l.contains("Exception"));
    }

    static JavaProcess.Builder example(Class<?> main, String cluster, int base) {
        // The examples take the cluster as their argument and the transport from the builder's
        // system properties, as a user would pass -Dseaport.peers=...
        return JavaProcess.builder(main).args(cluster)
                .systemProperty("seaport.bind.port", Integer.toString(base))
                .systemProperty("seaport.peers", "127.0.0.1:" + base);
    }
}
