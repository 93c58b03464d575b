package io.seaport.jgroups.internal;

import org.jgroups.Address;

/**
 * Where the member's encoded messages go: the channel in production, a recording list in tests.
 * Implementations must be thread-safe.
 */
interface Outbox {

    /**
     * Multicasts {@code bytes} to the whole view; with {@code rsvp}, waits (briefly) for every
     * member to have it.
     *
     * @throws io.seaport.SeaportException if the message cannot be sent
     */
    void multicast(byte[] bytes, boolean rsvp);

    /**
     * Sends {@code bytes} to {@code target} only.
     *
     * @throws io.seaport.SeaportException if the message cannot be sent
     */
    void send(Address target, byte[] bytes);
}
