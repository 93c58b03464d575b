package io.seaport.examples.cli;

import com.sun.net.httpserver.HttpServer;
import io.seaport.Registration;
import io.seaport.Seaport;
import io.seaport.Service;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code seaport demo}: the seaport walk-through in one command. Two members join one cluster on
 * loopback in this JVM; the client asks for {@code http server} before anything offers it, the
 * server then starts a real HTTP server on an allocated port, and the client prints its answer.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Runs the walk-through: a client asks for 'http server' before it exists, a server "
                + "offers it on an allocated port, the client fetches it and prints the body (beep boop). "
                + "Both are members of a fresh cluster on 127.0.0.1 in this JVM (unless --cluster names one).")
final class DemoCommand implements Callable<Integer> {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Spec
    private CommandSpec spec;

    @Mixin
    private ClusterOptions clusterOptions;

    DemoCommand() {
    }

    @Override
    public Integer call() throws IOException, InterruptedException, ExecutionException, TimeoutException {
        // A fresh cluster name, so that the demo never mixes with a cluster already running here.
        String fresh = "seaport-demo-" + UUID.randomUUID().toString().substring(0, 8);
        Seaport.Builder clientBuilder = clusterOptions.builder(fresh);
        Seaport.Builder serverBuilder = clusterOptions.builder(fresh);
        HttpServer http = HttpServer.create();
        http.createContext("/", exchange -> {
            byte[] body = "beep boop\n".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        try (Seaport client = clientBuilder.join()) {
            say("client", "joined cluster '" + client.cluster() + "' as " + client.member());
            CompletableFuture<List<Service>> found = client.get("http server");
            say("client", "get(\"http server\"): nothing offers it yet, waiting");
            try (Seaport server = serverBuilder.join();
                    Registration registration = server.service("http server", port -> {
                        http.bind(new InetSocketAddress("127.0.0.1", port), 0);
                        http.start();
                    })) {
                say("server", "joined as " + server.member() + ", serving \"http server\" on "
                        + registration.service().address());
                Service service = found.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(0);
                say("client", "found " + service.roleAtVersion() + " at " + service.address());
                String url = "http://" + service.address() + "/";
                String body = fetch(url);
                say("client", "GET " + url + " -> " + body);
            } finally {
                http.stop(0);
            }
        }
        return 0;
    }

    private static String fetch(String url) throws IOException, InterruptedException {
        HttpClient httpClient = HttpClient.newBuilder()
                .proxy(HttpClient.Builder.NO_PROXY) // loopback: never through a configured proxy
                .connectTimeout(TIMEOUT)
                .build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).build();
        return httpClient.send(request, HttpResponse.BodyHandlers.ofString()).body().strip();
    }

    private void say(String who, String what) {
        SeaportCommand.out(spec, who + ": " + what);
    }
}
