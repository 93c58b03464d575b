package io.seaport.examples.walkthrough;

import com.sun.net.httpserver.HttpServer;
import io.seaport.Registration;
import io.seaport.Seaport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;

/**
 * The server half of the seaport walk-through: offers {@code http server} on a port Seaport
 * allocates, with a real HTTP server answering {@code beep boop}, until the process is stopped.
 *
 * <p>Run (cluster name optional, default {@code walkthrough}):
 * <pre>{@code java -cp "$(cat examples/target/seaport.classpath):examples/target/classes" \
 *     io.seaport.examples.walkthrough.HttpServerExample walkthrough}</pre>
 */
public final class HttpServerExample {
    private HttpServerExample() {
    }

    /**
     * Serves {@code beep boop} as {@code http server} until stopped.
     *
     * @param args an optional cluster name
     * @throws IOException if the HTTP server cannot be created
     * @throws InterruptedException if interrupted while serving
     */
    public static void main(String[] args) throws IOException, InterruptedException {
        String cluster = args.length > 0 ? args[0] : "walkthrough";
        HttpServer server = HttpServer.create();
        server.createContext("/", exchange -> {
            byte[] body = "beep boop\n".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });

        Seaport seaport = Seaport.join(cluster);
        // Seaport picks a free port and publishes the service once this lambda has returned.
        // Loopback, like Seaport's default; bind your LAN address when clients run elsewhere.
        Registration registration = seaport.service("http server", port -> {
            server.bind(new InetSocketAddress("127.0.0.1", port), 0);
            server.start();
        });
        System.out.println("http server listening on " + registration.service().address());

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            seaport.close(); // frees the registration: every member sees it go at once
            server.stop(0);
            stopped.countDown();
        }));
        stopped.await();
    }
}
