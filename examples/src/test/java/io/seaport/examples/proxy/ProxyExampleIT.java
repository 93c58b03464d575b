package io.seaport.examples.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.seaport.testkit.JavaProcess;
import io.seaport.testkit.JavaProcesses;
import io.seaport.testkit.TestPorts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The proxy example's two JVMs: an HTTP request to the proxy's port gets the service's answer. */
final class ProxyExampleIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @RegisterExtension
    final JavaProcesses processes = new JavaProcesses();

    @Test
    void request_toProxyPort_getsCouchServiceAnswer() throws IOException, InterruptedException {
        String cluster = "proxy-example-" + UUID.randomUUID();
        int base = TestPorts.clusterBasePort();
        JavaProcess service = processes.start(example(CouchServiceExample.class, cluster, base));
        service.awaitLine("couchdb@3\\.2\\.2 listening on 127\\.0\\.0\\.1:\\d+", TIMEOUT);
        JavaProcess proxy = processes.start(example(CouchProxyExample.class, cluster, base).args("0"));
        String forwarding = proxy.awaitLine("forwarding 127\\.0\\.0\\.1:\\d+ to couchdb@3\\.x", TIMEOUT);
        String port = forwarding.replaceAll("forwarding 127\\.0\\.0\\.1:(\\d+) .*", "$1");

        HttpResponse<String> response = get("http://127.0.0.1:" + port + "/");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"couchdb\":\"Welcome\",\"version\":\"3.2.2\"}\n");
    }

    static JavaProcess.Builder example(Class<?> main, String cluster, int base) {
        return JavaProcess.builder(main).args(cluster)
                .systemProperty("seaport.bind.port", Integer.toString(base))
                .systemProperty("seaport.peers", "127.0.0.1:" + base);
    }

    static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY)
                .connectTimeout(Duration.ofSeconds(10)).build();
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
