package io.seaport.examples.proxy;

import com.sun.net.httpserver.HttpServer;
import io.seaport.Registration;
import io.seaport.Seaport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;

/**
 * The service half of the proxy example: a small HTTP service registered as
 * {@code couchdb@3.2.2}, answering like CouchDB's welcome page, until the process is stopped.
 *
 * <p>Run (cluster name optional, default {@code proxy-example}):
 * <pre>{@code java -cp "$(cat examples/target/seaport.classpath):examples/target/classes" \
 *     io.seaport.examples.proxy.CouchServiceExample proxy-example}</pre>
 */
public final class CouchServiceExample {
    private CouchServiceExample() {
    }

    /**
     * Serves {@code couchdb@3.2.2} until stopped.
     *
     * @param args an optional cluster name
     * @throws IOException if the HTTP server cannot be created
     * @throws InterruptedException if interrupted while serving
     */
    public static void main(String[] args) throws IOException, InterruptedException {
        String cluster = args.length > 0 ? args[0] : "proxy-example";
        HttpServer server = HttpServer.create();
        server.createContext("/", exchange -> {
            byte[] body = "{\"couchdb\":\"Welcome\",\"version\":\"3.2.2\"}\n".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });

        Seaport seaport = Seaport.join(cluster);
        Registration registration = seaport.service("couchdb@3.2.2", port -> {
            server.bind(new InetSocketAddress("127.0.0.1", port), 0);
            server.start();
        });
        System.out.println("couchdb@3.2.2 listening on " + registration.service().address());

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            seaport.close();
            server.stop(0);
            stopped.countDown();
        }));
        stopped.await();
    }
}
