package io.seaport;

import java.io.Serial;

/**
 * Thrown when Seaport cannot do what was asked for a reason outside the caller's input: the
 * cluster cannot be joined, a starter failed, a port cannot be allocated. The cause, if any, is
 * kept. Misuse is reported with {@link IllegalArgumentException} or
 * {@link IllegalStateException} instead.
 */
public class SeaportException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message.
     *
     * @param message what failed, naming what was asked for
     */
    public SeaportException(String message) {
        super(message);
    }

    /**
     * Creates an exception with a message and its cause.
     *
     * @param message what failed, naming what was asked for
     * @param cause the underlying failure
     */
    public SeaportException(String message, Throwable cause) {
        super(message, cause);
    }
}
