/** Forwards a local TCP port to live services resolved by semver range from the local replica. */
module io.seaport.proxy {
    requires transitive io.seaport;
    requires org.slf4j;

    exports io.seaport.proxy;
}
