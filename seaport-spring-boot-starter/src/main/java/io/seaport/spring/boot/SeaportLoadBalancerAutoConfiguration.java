package io.seaport.spring.boot;

import io.seaport.Seaport;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClients;
import org.springframework.cloud.loadbalancer.config.LoadBalancerAutoConfiguration;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;

/**
 * Makes every Spring Cloud LoadBalancer client (behind {@code @LoadBalanced} clients) pick from
 * Seaport's replica through {@link SeaportLoadBalancerClientConfiguration}, instead of the
 * default supplier's 35-second cache of the discovery client.
 */
@AutoConfiguration(after = SeaportAutoConfiguration.class, before = LoadBalancerAutoConfiguration.class)
@ConditionalOnClass(ServiceInstanceListSupplier.class)
@ConditionalOnBean(Seaport.class)
@ConditionalOnBooleanProperty(name = "seaport.discovery.enabled", matchIfMissing = true)
@LoadBalancerClients(defaultConfiguration = SeaportLoadBalancerClientConfiguration.class)
public class SeaportLoadBalancerAutoConfiguration {

    /** Returns a new instance; Spring calls it. */
    public SeaportLoadBalancerAutoConfiguration() {
    }
}
