package io.seaport.examples.cli;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A small program for {@code seaport register -- COMMAND} tests: serves BODY over HTTP on
 * 127.0.0.1:PORT, prints {@code serving PORT}, and exits with status 3 when {@code /exit} is
 * requested (so a test can make it crash on demand).
 */
public final class TinyHttpMain {
    private TinyHttpMain() {
    }

    /**
     * Serves until {@code /exit} is requested.
     *
     * @param args PORT and BODY
     * @throws IOException if the port cannot be bound
     */
    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        String body = args[1] + " pid=" + ProcessHandle.current().pid() + " env=" + System.getenv("SEAPORT_PORT");
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/", exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.createContext("/exit", exchange -> {
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
            System.exit(3);
        });
        server.start();
        System.out.println("serving " + port);
    }
}
