/**
 * Test support for Seaport's own tests: member JVMs driven over stdin/stdout
 * ({@link io.seaport.testkit.MemberProcess}), in-JVM clusters ({@link io.seaport.testkit.LocalCluster}),
 * awaits, per-cluster port blocks, and hosts in network namespaces ({@code io.seaport.testkit.net}).
 *
 * <p>Depends on the API only: the provider is whatever {@link io.seaport.Seaport#join(String)}
 * finds on the test class path. Not published.
 */
module io.seaport.testkit {
    requires transitive io.seaport;
    requires transitive org.junit.jupiter.api;
    requires org.slf4j;

    exports io.seaport.testkit;
    exports io.seaport.testkit.net;
}
