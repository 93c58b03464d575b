/**
 * Runnable Seaport scenarios and the {@code seaport} command line. Exports nothing: every
 * example is a main class, and the command line is {@code io.seaport.examples.cli.SeaportCommand}.
 */
module io.seaport.examples {
    requires io.seaport;
    requires io.seaport.proxy;
    requires org.slf4j;
    requires info.picocli;
    requires jdk.httpserver;
    requires java.net.http;

    // picocli fills the command classes' annotated fields by reflection.
    opens io.seaport.examples.cli to info.picocli;
}
