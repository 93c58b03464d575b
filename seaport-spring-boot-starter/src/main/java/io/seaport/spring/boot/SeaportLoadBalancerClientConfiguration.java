package io.seaport.spring.boot;

import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The configuration of each load-balanced client's own context: its instances come from
 * {@link SeaportServiceInstanceListSupplier}. Spring Cloud's default supplier backs off when this
 * one is present.
 */
@Configuration(proxyBeanMethods = false)
public class SeaportLoadBalancerClientConfiguration {

    /** Returns a new instance; Spring calls it. */
    public SeaportLoadBalancerClientConfiguration() {
    }

    /**
     * Returns the supplier of the client's service id.
     *
     * @param environment the client's context, which names the client
     * @param discovery the application's Seaport discovery client
     * @return the supplier
     */
    @Bean
    public ServiceInstanceListSupplier seaportServiceInstanceListSupplier(Environment environment,
            SeaportDiscoveryClient discovery) {
        return new SeaportServiceInstanceListSupplier(LoadBalancerClientFactory.getName(environment), discovery);
    }
}
