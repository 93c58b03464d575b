/**
 * Seaport for Spring Boot: add {@code io.seaport:seaport-spring-boot-starter}, set
 * {@code seaport.cluster}, and the application joins the cluster, registers
 * {@code ${spring.application.name}@<version>} on its web server's port, and finds the others
 * through Spring Cloud's {@code DiscoveryClient}, {@code ReactiveDiscoveryClient} and
 * {@code @LoadBalanced} clients.
 *
 * <p>Properties: {@link io.seaport.spring.boot.SeaportProperties}. Service ids map to semver ranges
 * with {@code seaport.discovery.ranges.<id>=<range>}: {@link io.seaport.spring.boot.ServiceRanges}.
 */
package io.seaport.spring.boot;
