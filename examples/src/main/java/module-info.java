/** Runnable Seaport scenarios and the {@code seaport} command line. */
module io.seaport.examples {
    requires io.seaport;
    requires io.seaport.proxy;
    requires org.slf4j;
}
