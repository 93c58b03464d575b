/**
 * A greeter and a caller, two Spring Boot applications that find each other through Seaport.
 * An open module: Spring instantiates and proxies the application classes reflectively.
 */
open module io.seaport.examples.spring {
    requires io.seaport.spring.boot;
    requires spring.web;
    requires spring.webmvc;
    requires spring.boot.restclient;
    requires org.slf4j;
}
