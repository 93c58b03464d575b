package io.seaport.examples.spring.greeter;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A greeter: a web application that the starter registers as {@code greeter@1.0.0} on its port.
 * Its settings are in {@code greeter.properties}; run several, each with
 * {@code --greeter.name=...}, and the callers spread over them.
 */
@SpringBootApplication
@RestController
public class GreeterApplication {
    private final String name;

    /**
     * Returns the greeter called {@code name}.
     *
     * @param name this instance's name, in every greeting
     */
    public GreeterApplication(@Value("${greeter.name}") String name) {
        this.name = name;
    }

    /**
     * Returns a greeting naming this instance.
     *
     * @return the greeting
     */
    @GetMapping("/hello")
    public String hello() {
        return "hello from " + name;
    }

    /**
     * Runs a greeter.
     *
     * @param args Spring Boot arguments, such as {@code --seaport.cluster=shop --greeter.name=a}
     */
    public static void main(String[] args) {
        SpringApplication application = new SpringApplication(GreeterApplication.class);
        application.setDefaultProperties(java.util.Map.of("spring.config.name", "greeter"));
        application.run(args);
    }
}
