package io.seaport.jgroups.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** The TLS transport refused or dropped a connection. */
@Name("io.seaport.TlsRefused")
@Label("Seaport TLS Refusal")
@Category("Seaport")
@Description("A TLS connection to or from a peer was refused: no handshake in time, bad certificate, not TLS")
@StackTrace(false)
final class TlsRefusedEvent extends jdk.jfr.Event {
    @Label("Peer")
    @Description("The peer and the kind of refusal")
    String key;

    @Label("Reason")
    String reason;
}
