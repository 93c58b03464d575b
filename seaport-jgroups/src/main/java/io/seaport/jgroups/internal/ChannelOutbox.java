package io.seaport.jgroups.internal;

import io.seaport.SeaportException;
import org.jgroups.Address;
import org.jgroups.BytesMessage;
import org.jgroups.JChannel;
import org.jgroups.Message;

/** The {@link Outbox} of a JChannel. Thread-safe (JChannel's sends are). */
final class ChannelOutbox implements Outbox {
    private final JChannel channel;
    private final String cluster;

    ChannelOutbox(JChannel channel, String cluster) {
        this.channel = channel;
        this.cluster = cluster;
    }

    @Override
    public void multicast(byte[] bytes, boolean rsvp) {
        Message message = new BytesMessage(null, bytes);
        if (rsvp) {
            message.setFlag(Message.Flag.RSVP);
        }
        try {
            channel.send(message);
        } catch (Exception e) {
            throw new SeaportException("cannot send to cluster '" + cluster + "'", e);
        }
    }

    @Override
    public void multicastHere(byte[] bytes) {
        try {
            channel.send(new BytesMessage(null, bytes).setFlag(Message.Flag.NO_RELAY));
        } catch (Exception e) {
            throw new SeaportException("cannot send to cluster '" + cluster + "'", e);
        }
    }

    @Override
    public void send(Address target, byte[] bytes) {
        try {
            channel.send(new BytesMessage(target, bytes));
        } catch (Exception e) {
            throw new SeaportException("cannot send to " + target + " of cluster '" + cluster + "'", e);
        }
    }
}
