package io.seaport.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hands each test cluster a block of loopback ports of its own, so that clusters of parallel
 * tests, and of test runs in other JVMs on the same machine, do not probe each other's ports.
 *
 * <p>Blocks are taken from 30000..32767 (below Linux's ephemeral range) starting at a random
 * offset per JVM; a block is handed out only if every port of it can be bound right now.
 */
public final class TestPorts {
    private static final int LOW = 30000;
    private static final int HIGH = 32767;
    private static final AtomicInteger NEXT =
            new AtomicInteger(LOW + ThreadLocalRandom.current().nextInt(HIGH - LOW));

    private TestPorts() {
    }

    /**
     * Returns the first port of {@code size} consecutive ports that are free on 127.0.0.1.
     *
     * @param size how many ports, such as the transport span plus one
     * @return the first port of the block
     */
    public static int freeBlock(int size) {
        for (int attempt = 0; attempt < 1000; attempt++) {
            int start = NEXT.getAndAdd(size);
            if (start + size > HIGH) {
                NEXT.set(LOW);
                continue;
            }
            if (allFree(start, size)) {
                return start;
            }
        }
        throw new IllegalStateException("no block of " + size + " free ports in " + LOW + ".." + HIGH);
    }

    /**
     * Returns a transport base port for one test cluster: a free block of 11 ports (the span
     * JGroups tries) and the 11 ports 100 above it (failure detection's side sockets).
     *
     * @return the bind port to give every member of the cluster
     */
    public static int clusterBasePort() {
        for (int attempt = 0; attempt < 1000; attempt++) {
            int base = freeBlock(11);
            if (allFree(base + 100, 11)) {
                return base;
            }
        }
        throw new IllegalStateException("no free transport block in " + LOW + ".." + HIGH);
    }

    private static boolean allFree(int start, int size) {
        for (int port = start; port < start + size; port++) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(false);
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }
}
