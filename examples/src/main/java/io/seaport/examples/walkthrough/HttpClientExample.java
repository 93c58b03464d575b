package io.seaport.examples.walkthrough;

import io.seaport.Seaport;
import io.seaport.Service;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The client half of the seaport walk-through: asks for {@code http server}, waiting until some
 * member offers it (start it before or after the server), fetches it and prints the body.
 *
 * <p>Run (cluster name optional, default {@code walkthrough}):
 * <pre>{@code java -cp "$(cat examples/target/seaport.classpath):examples/target/classes" \
 *     io.seaport.examples.walkthrough.HttpClientExample walkthrough}</pre>
 */
public final class HttpClientExample {
    private HttpClientExample() {
    }

    /**
     * Fetches {@code http server} once it exists and prints what it answers.
     *
     * @param args an optional cluster name
     * @throws Exception if no server appears within five minutes or the request fails
     */
    public static void main(String[] args) throws Exception {
        String cluster = args.length > 0 ? args[0] : "walkthrough";
        try (Seaport seaport = Seaport.join(cluster)) {
            System.out.println("waiting for http server");
            // get() completes as soon as a matching service is registered, now or later.
            Service server = seaport.get("http server").get(5, TimeUnit.MINUTES).get(0);
            System.out.println("found http server at " + server.address());

            System.out.println(fetch("http://" + server.address() + "/"));
        }
    }

    private static String fetch(String url) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder()
                .proxy(HttpClient.Builder.NO_PROXY)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString()).body().strip();
    }
}
