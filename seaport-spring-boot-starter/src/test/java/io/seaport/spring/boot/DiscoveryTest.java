package io.seaport.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.seaport.Registration;
import io.seaport.Seaport;
import io.seaport.testkit.Await;
import io.seaport.testkit.LocalCluster;
import io.seaport.testkit.LocalClusters;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.client.discovery.ReactiveDiscoveryClient;
import org.springframework.cloud.client.loadbalancer.LoadBalancerClient;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;

/** Spring Cloud's discovery clients and load balancer find what other members register. */
final class DiscoveryTest {
    @RegisterExtension
    final LocalClusters clusters = new LocalClusters();

    @Test
    void discoveryClient_rangeMapped_findsOnlyMatchingVersions() {
        LocalCluster cluster = clusters.start("DiscoveryTest-ranges", 1);
        Seaport other = cluster.member(0);
        other.register("web@1.0.0", 21001);
        other.register("web@2.1.0", 21002);
        other.register("db@3.0.0", 21003);

        Contexts.joining(cluster).withPropertyValues(
                "seaport.discovery.ranges.web=^2",
                "seaport.discovery.ranges.old-web=web@1.x").run(context -> {
            DiscoveryClient discovery = context.getBean(SeaportDiscoveryClient.class);
            ReactiveDiscoveryClient reactive = context.getBean(ReactiveDiscoveryClient.class);

            List<ServiceInstance> web = discovery.getInstances("web");
            List<ServiceInstance> oldWeb = discovery.getInstances("old-web");
            List<ServiceInstance> db = discovery.getInstances("db");
            List<ServiceInstance> reactiveWeb = reactive.getInstances("web").collectList().block();

            assertThat(web).extracting(ServiceInstance::getPort).containsExactly(21002);
            assertThat(web.get(0).getHost()).isEqualTo("127.0.0.1");
            assertThat(web.get(0).getUri()).hasToString("http://127.0.0.1:21002");
            assertThat(web.get(0).getServiceId()).isEqualTo("web");
            assertThat(oldWeb).extracting(ServiceInstance::getPort).containsExactly(21001);
            assertThat(db).extracting(ServiceInstance::getPort).containsExactly(21003);
            assertThat(discovery.getInstances("nothing")).isEmpty();
            assertThat(reactiveWeb).extracting(ServiceInstance::getPort).containsExactly(21002);
            assertThat(discovery.getServices()).containsExactly("db", "web");
        });
    }

    @Test
    void loadBalancer_serviceFreed_stopsPickingItWithoutCacheDelay() {
        LocalCluster cluster = clusters.start("DiscoveryTest-balancer", 1);
        Seaport other = cluster.member(0);
        Registration first = other.register("greeter@1.0.0", 21011);

        Contexts.joining(cluster).run(context -> {
            LoadBalancerClient balancer = context.getBean(LoadBalancerClient.class);
            ServiceInstanceListSupplier supplier = context.getBean(LoadBalancerClientFactory.class)
                    .getInstance("greeter", ServiceInstanceListSupplier.class);

            assertThat(supplier).isInstanceOf(SeaportServiceInstanceListSupplier.class);
            assertThat(balancer.choose("greeter").getPort()).isEqualTo(21011);

            other.register("greeter@1.0.1", 21012);
            first.close();

            Await.until("the balancer picks only the remaining greeter",
                    () -> List.of(21012).equals(ports(supplier)), () -> "supplier has " + ports(supplier));
            for (int i = 0; i < 5; i++) {
                assertThat(balancer.choose("greeter").getPort()).isEqualTo(21012);
            }
        });
    }

    private static List<Integer> ports(ServiceInstanceListSupplier supplier) {
        return supplier.get().blockFirst().stream().map(ServiceInstance::getPort).toList();
    }
}
