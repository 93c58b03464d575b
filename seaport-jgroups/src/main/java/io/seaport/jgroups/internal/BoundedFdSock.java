package io.seaport.jgroups.internal;

import org.jgroups.blocks.cs.NioServer;
import org.jgroups.conf.ClassConfigurator;
import org.jgroups.protocols.FD_SOCK2;

/**
 * FD_SOCK2 whose side socket reads at most {@value #MAX_MESSAGE_BYTES} bytes per message into heap
 * buffers. Stock FD_SOCK2 (JGroups 5.5.7) sets no limit and reads into direct buffers, so a
 * connection sending the 15-byte connection header and a 4-byte length could make a member
 * allocate up to 2 GB of direct memory. Its messages (CONNECT, and CONNECT_RSP with the cluster
 * name and an address) are tens of bytes. It keeps FD_SOCK2's protocol id, so members running
 * stock FD_SOCK2 (a user's XML stack) still understand it. Used without TLS only: with TLS the
 * built-in stack has no side socket at all ({@link StackFactory}).
 */
final class BoundedFdSock extends FD_SOCK2 {
    /** The largest message the side socket accepts. */
    static final int MAX_MESSAGE_BYTES = 8 * 1024;
    /**
     * Ports after transport port + 100 that the side socket may take (FD_SOCK2's default: 3). With
     * 64 member JVMs on one host, each on a port the system picked, the 58th could not start: all
     * four ports of its range were taken by other members' sockets ("failed to find an available
     * port", scale benchmark). Peers probe the range in order; a refused port costs them nothing.
     */
    static final int PORT_RANGE = 20;

    BoundedFdSock() {
        setId(ClassConfigurator.getProtocolId(FD_SOCK2.class));
        setPortRange(PORT_RANGE);
    }

    @Override
    protected NioServer createServer(int[] bindPorts) {
        NioServer server = super.createServer(bindPorts);
        server.setMaxLength(MAX_MESSAGE_BYTES);
        server.useDirectMemory(false);
        return server;
    }
}
