package io.seaport.jgroups;

import static org.assertj.core.api.Assertions.assertThat;

import io.seaport.Service;
import io.seaport.testkit.JavaProcesses;
import io.seaport.testkit.MemberProcess;
import io.seaport.testkit.ProcessCluster;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The seaport README scenario across JVMs: a client asks for a server that does not exist yet. */
final class SeaportScenarioIT {
    private static final Logger LOG = LoggerFactory.getLogger(SeaportScenarioIT.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @RegisterExtension
    final JavaProcesses processes = new JavaProcesses();

    @Test
    void get_beforeAnyServerExists_completesAndTheHttpRequestReachesTheServer() {
        ProcessCluster cluster = new ProcessCluster(processes, "SeaportScenarioIT", "http server");
        MemberProcess client = cluster.start("client");
        int fetch = client.fetch("http server");
        String body = "hello from the server " + UUID.randomUUID();

        MemberProcess server = cluster.start("server");
        Service published = server.serviceHttp("http server", body);
        long publishedAt = System.nanoTime();
        MemberProcess.Timed<MemberProcess.Fetched> answer = client.awaitFetched(fetch, TIMEOUT);

        assertThat(answer.value().status()).isEqualTo(200);
        assertThat(answer.value().body()).isEqualTo(body);
        assertThat(answer.value().address()).isEqualTo(published.address());
        assertThat(published.role()).isEqualTo("http server");
        assertThat(published.member()).isEqualTo(server.member());
        List<Service> seenByClient = client.query("http server");
        assertThat(seenByClient).containsExactly(published);
        LOG.info("MEASURED service() returned -> client's get() completed and its HTTP GET answered: {} ms",
                (answer.nanoTime() - publishedAt) / 1_000_000);
    }
}
