package io.seaport.examples.proxy;

import io.seaport.Seaport;
import io.seaport.proxy.SeaportProxy;
import java.util.concurrent.CountDownLatch;

/**
 * The proxy half of the proxy example: forwards a local port to whichever {@code couchdb@3.x}
 * the cluster offers, so that a program configured with a fixed address reaches a service
 * whose port Seaport chose. Try {@code curl http://127.0.0.1:5984/} while it runs.
 *
 * <p>Run (cluster name and local port optional, defaults {@code proxy-example} and 5984):
 * <pre>{@code java -cp "$(cat examples/target/seaport.classpath):examples/target/classes" \
 *     io.seaport.examples.proxy.CouchProxyExample proxy-example 5984}</pre>
 */
public final class CouchProxyExample {
    private CouchProxyExample() {
    }

    /**
     * Forwards the local port until stopped.
     *
     * @param args an optional cluster name and local port (0 for any free port)
     * @throws InterruptedException if interrupted while forwarding
     */
    public static void main(String[] args) throws InterruptedException {
        String cluster = args.length > 0 ? args[0] : "proxy-example";
        int localPort = args.length > 1 ? Integer.parseInt(args[1]) : 5984;

        Seaport seaport = Seaport.join(cluster);
        // Each connection goes to a live couchdb@3.x; with none yet, it waits for one to register.
        SeaportProxy proxy = SeaportProxy.forward(seaport, "couchdb@3.x", localPort);
        System.out.println("forwarding 127.0.0.1:" + proxy.port() + " to couchdb@3.x");

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            proxy.close();
            seaport.close();
            stopped.countDown();
        }));
        stopped.await();
    }
}
