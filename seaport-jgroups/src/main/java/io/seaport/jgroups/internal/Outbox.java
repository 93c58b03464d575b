package io.seaport.jgroups.internal;

import org.jgroups.Address;

/**
 * Where the member's encoded messages go: the channel in production, a recording list in tests.
 * Implementations must be thread-safe.
 */
interface Outbox {

    /**
     * Multicasts {@code bytes} to the whole view, and through the relay to the other sites if the
     * cluster is bridged; with {@code rsvp}, waits (briefly) for every member of the view to have it.
     *
     * @throws io.seaport.SeaportException if the message cannot be sent
     */
    void multicast(byte[] bytes, boolean rsvp);

    /**
     * Multicasts {@code bytes} to the view only, never relayed to other sites.
     *
     * @throws io.seaport.SeaportException if the message cannot be sent
     */
    default void multicastHere(byte[] bytes) {
        multicast(bytes, false);
    }

    /**
     * Sends {@code bytes} to {@code target} only.
     *
     * @throws io.seaport.SeaportException if the message cannot be sent
     */
    void send(Address target, byte[] bytes);
}
