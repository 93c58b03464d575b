package io.seaport.spring.boot;

import io.seaport.testkit.LocalCluster;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.cloud.client.serviceregistry.AutoServiceRegistrationAutoConfiguration;
import org.springframework.cloud.client.serviceregistry.AutoServiceRegistrationConfiguration;
import org.springframework.cloud.loadbalancer.config.BlockingLoadBalancerClientAutoConfiguration;
import org.springframework.cloud.loadbalancer.config.LoadBalancerAutoConfiguration;

/** Application contexts with the starter's auto-configuration, joined to a test cluster. */
final class Contexts {
    private Contexts() {
    }

    /** Returns a runner with every auto-configuration of the starter and Spring Cloud's it builds on. */
    static ApplicationContextRunner runner() {
        return new ApplicationContextRunner().withConfiguration(CONFIGURATIONS);
    }

    /** Returns a runner that joins {@code cluster} on its loopback ports. */
    static ApplicationContextRunner joining(LocalCluster cluster) {
        return runner().withPropertyValues(properties(cluster));
    }

    /** Returns a reactive web application's runner (registration needs a web application) joining {@code cluster}. */
    static ReactiveWebApplicationContextRunner webJoining(LocalCluster cluster) {
        return new ReactiveWebApplicationContextRunner().withConfiguration(CONFIGURATIONS)
                .withPropertyValues(properties(cluster));
    }

    private static String[] properties(LocalCluster cluster) {
        return new String[] {
            "seaport.cluster=" + cluster.cluster(),
            "seaport.bind-port=" + cluster.basePort(),
            "seaport.peers=127.0.0.1:" + cluster.basePort()};
    }

    private static final AutoConfigurations CONFIGURATIONS = AutoConfigurations.of(
                SeaportAutoConfiguration.class,
                SeaportServiceRegistryAutoConfiguration.class,
                SeaportLoadBalancerAutoConfiguration.class,
                AutoServiceRegistrationConfiguration.class,
                AutoServiceRegistrationAutoConfiguration.class,
                LoadBalancerAutoConfiguration.class,
                org.springframework.cloud.client.loadbalancer.LoadBalancerAutoConfiguration.class,
                BlockingLoadBalancerClientAutoConfiguration.class);
}
