/**
 * The JGroups provider of Seaport: every member holds a replica of the registry, kept in step
 * over a JGroups cluster. Exports nothing; {@link io.seaport.Seaport#join(String)} finds it.
 */
module io.seaport.jgroups {
    requires io.seaport;
    requires org.jgroups;
    requires org.slf4j;
    requires jdk.jfr; // Seaport's Flight Recorder events (io.seaport.jgroups.internal.jfr)

    provides io.seaport.spi.SeaportProvider with io.seaport.jgroups.internal.JGroupsSeaportProvider;
}
