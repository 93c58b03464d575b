package io.seaport.benchmarks;

import io.seaport.Seaport;
import io.seaport.testkit.TestPorts;
import java.util.concurrent.ThreadLocalRandom;

/** Returns loopback-only Seaport members, each benchmark cluster with its own name and port block. */
final class BenchClusters {
    private BenchClusters() {
    }

    /** Returns a fresh cluster name: {@code prefix} plus a random suffix. */
    static String name(String prefix) {
        return prefix + "-" + Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36);
    }

    /** Returns a builder for {@code cluster} bound to 127.0.0.1 at {@code basePort}, discovering only there. */
    static Seaport.Builder builder(String cluster, int basePort) {
        return Seaport.builder()
                .cluster(cluster)
                .bindAddress("127.0.0.1")
                .bindPort(basePort)
                .peers("127.0.0.1:" + basePort);
    }

    /** Returns the only member of a new single-member cluster on loopback. */
    static Seaport single(String prefix) {
        return builder(name(prefix), TestPorts.clusterBasePort()).join();
    }
}
