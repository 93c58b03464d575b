package io.seaport.jgroups.internal;

import java.io.Serial;

/** Thrown when bytes received from the cluster are not a well-formed Seaport message. */
final class WireFormatException extends Exception {
    @Serial
    private static final long serialVersionUID = 1L;

    WireFormatException(String message) {
        super(message);
    }

    WireFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
