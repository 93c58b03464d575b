package io.seaport.jgroups.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** A host's port allocator handed out a port (or found none: port 0). */
@Name("io.seaport.PortGranted")
@Label("Seaport Port Granted")
@Category("Seaport")
@Description("The host's port allocator granted a port for service() or allocate(); 0 if none was free")
@StackTrace(false)
final class PortGrantedEvent extends jdk.jfr.Event {
    @Label("Host")
    String host;

    @Label("Port")
    int port;

    @Label("Range From")
    int from;

    @Label("Range To")
    int to;
}
