/**
 * Spring Boot auto-configuration for Seaport: a {@code Seaport} bean from {@code seaport.*}
 * properties, Spring Cloud's discovery clients, service registry, automatic registration and a
 * load balancer instance supplier. Exports its beans' types, which implement Spring's interfaces
 * (hence the transitive requires); Spring reads the configuration classes reflectively, so the
 * package is opened to Spring's modules too. The optional integrations (the actuator's health
 * endpoint, Micrometer) are read statically and appear in no exported type; the metrics
 * configuration lives in the opened, unexported {@code internal} package.
 */
module io.seaport.spring.boot {
    requires transitive io.seaport;
    requires transitive spring.core;
    requires transitive spring.beans;
    requires transitive spring.context;
    requires transitive spring.boot;
    requires transitive spring.boot.autoconfigure;
    requires transitive spring.cloud.commons;
    requires transitive spring.cloud.loadbalancer;
    requires transitive reactor.core;
    requires transitive static spring.boot.web.server;
    requires transitive static spring.boot.health;
    requires static spring.boot.actuator;
    requires static io.seaport.micrometer;
    requires static micrometer.core;
    requires org.reactivestreams;
    requires org.slf4j;

    exports io.seaport.spring.boot;
    opens io.seaport.spring.boot to spring.core, spring.beans, spring.context;
    opens io.seaport.spring.boot.internal to spring.core, spring.beans, spring.context;
}
