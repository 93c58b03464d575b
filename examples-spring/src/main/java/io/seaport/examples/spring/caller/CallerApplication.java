package io.seaport.examples.spring.caller;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

/**
 * A caller: reaches the greeter by its service name, {@code http://greeter/hello}, through a
 * {@code @LoadBalanced} {@code RestClient}. No address is configured anywhere: Seaport's replica
 * supplies the instances, and {@code seaport.discovery.ranges.greeter} in {@code caller.properties}
 * says which versions will do.
 */
@SpringBootApplication
@RestController
public class CallerApplication {
    private final RestClient greeter;

    /**
     * Returns the caller.
     *
     * @param builder the load-balanced builder
     */
    public CallerApplication(@LoadBalanced RestClient.Builder builder) {
        this.greeter = builder.baseUrl("http://greeter").build();
    }

    /**
     * Returns a builder whose clients resolve service names through the load balancer.
     *
     * @return the builder
     */
    @Bean
    @LoadBalanced
    static RestClient.Builder loadBalancedRestClientBuilder() {
        return RestClient.builder();
    }

    /**
     * Asks a greeter for a greeting and returns it.
     *
     * @return what the greeter said
     */
    @GetMapping("/call")
    public String call() {
        return greeter.get().uri("/hello").retrieve().body(String.class);
    }

    /**
     * Runs the caller.
     *
     * @param args Spring Boot arguments, such as {@code --seaport.cluster=shop}
     */
    public static void main(String[] args) {
        SpringApplication application = new SpringApplication(CallerApplication.class);
        application.setDefaultProperties(java.util.Map.of("spring.config.name", "caller"));
        application.run(args);
    }
}
