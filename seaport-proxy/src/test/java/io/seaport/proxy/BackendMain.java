package io.seaport.proxy;

import io.seaport.Seaport;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * A member JVM for {@link SeaportProxyKillIT}: joins the cluster, serves a greeting echo server
 * registered under a role, prints {@code READY <name> <port>} on stdout, and runs until its stdin
 * closes (or it is killed).
 *
 * <p>Arguments: cluster, transport base port, role, name.
 */
public final class BackendMain {
    private BackendMain() {
    }

    /**
     * Runs the member.
     *
     * @param args cluster, base port, role, name
     * @throws IOException if the echo server cannot start
     */
    public static void main(String[] args) throws IOException {
        String cluster = args[0];
        int base = Integer.parseInt(args[1]);
        String role = args[2];
        String name = args[3];
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        try (Seaport seaport = Seaport.builder().cluster(cluster).bindPort(base).peers("127.0.0.1:" + base).join();
             EchoServer echo = EchoServer.greeting(name)) {
            seaport.register(role, echo.port());
            out.println("READY " + name + " " + echo.port());
            InputStream in = System.in;
            while (in.read() >= 0) {
                continue; // the parent closing stdin is the signal to leave
            }
        }
    }
}
