package io.seaport.proxy.internal;

import io.seaport.Seaport;
import io.seaport.SeaportException;
import io.seaport.Subscription;
import io.seaport.proxy.ProxyStats;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running proxy behind {@code SeaportProxy}: a listening socket, the selector threads that
 * accept and pipe connections, and the watch that keeps the matching services current.
 *
 * <p>Design: the listening socket is registered on the first loop, which accepts and gives each new
 * connection to the loop holding the fewest (itself on a tie, so a lone short connection never
 * waits for another thread to wake); a connection then lives on its loop only. With a connection
 * limit the first loop stops accepting at the limit (clients queue in the backlog) and resumes
 * when a connection closes. Closing stops the loops, which close every channel and their
 * selectors before their threads end, so the port is free when {@link #close()} returns.
 */
public final class ProxyServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyServer.class);
    private static final int BUFFER_SIZE = 64 * 1024;
    private static final int POOLED_BUFFERS = 64;
    private static final int ACCEPTS_PER_TURN = 64;
    private static final long ACCEPT_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    final Backends backends;
    final Counters counters = new Counters();
    final long connectNanos;
    final long waitNanos;
    private final ProxyConfig config;
    private final Subscription subscription;
    private final ServerSocketChannel listener;
    private final InetSocketAddress local;
    private final IoLoop[] loops;
    private final AtomicBoolean closed = new AtomicBoolean();
    private SelectionKey acceptKey; // used on loops[0] only
    private volatile boolean acceptPaused;

    private ProxyServer(ProxyConfig config, Backends backends, Subscription subscription,
                        ServerSocketChannel listener, IoLoop[] loops) throws IOException {
        this.config = config;
        this.backends = backends;
        this.subscription = subscription;
        this.listener = listener;
        this.local = (InetSocketAddress) listener.getLocalAddress();
        this.loops = loops;
        this.connectNanos = config.connectTimeout().toNanos();
        this.waitNanos = config.waitTimeout().toNanos();
    }

    /**
     * Returns a started proxy; nothing is left open when it throws.
     *
     * @param seaport the member to watch
     * @param config validated settings
     * @return the started proxy
     * @throws IllegalArgumentException if the range is invalid
     * @throws IllegalStateException if the member is closed
     * @throws SeaportException if the port cannot be listened on
     */
    public static ProxyServer start(Seaport seaport, ProxyConfig config) {
        Backends backends = new Backends(config.range(), config.balancing(), config.ejection().toNanos(),
                seaport.site());
        Subscription subscription = seaport.watch(config.range(), backends);
        ServerSocketChannel listener = null;
        IoLoop[] loops = new IoLoop[config.ioThreads()];
        try {
            backends.seed(seaport.query(config.range()));
            listener = ServerSocketChannel.open();
            listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            listener.bind(new InetSocketAddress(config.bindAddress(), config.port()), 1024);
            listener.configureBlocking(false);
            int port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
            ServerSocketChannel ssc = listener;
            for (int i = 0; i < loops.length; i++) {
                loops[i] = new IoLoop("seaport-proxy-" + port + "-io-" + i,
                        new BufferPool(BUFFER_SIZE, POOLED_BUFFERS), i == 0 ? () -> closeListener(ssc) : () -> { });
            }
            ProxyServer server = new ProxyServer(config, backends, subscription, listener, loops);
            server.acceptKey = listener.register(loops[0].selector, SelectionKey.OP_ACCEPT,
                    (IoLoop.Handler) key -> server.accept());
            for (IoLoop loop : loops) {
                loop.start();
            }
            LOG.info("proxy listening on {} for '{}' ({} matching now)", server.where(), config.range(),
                    backends.live().size());
            return server;
        } catch (IOException | RuntimeException e) {
            closeSubscription(subscription);
            if (listener != null) {
                closeListener(listener);
            }
            for (IoLoop loop : loops) {
                if (loop != null) {
                    closeSelector(loop);
                }
            }
            if (e instanceof IOException) {
                throw new SeaportException("cannot listen on " + config.bindAddress().getHostAddress() + ":"
                        + config.port() + " for '" + config.range() + "': " + e.getMessage(), e);
            }
            throw (RuntimeException) e;
        }
    }

    /** Accepts what the backlog holds; on loops[0]. */
    private void accept() {
        for (int i = 0; i < ACCEPTS_PER_TURN; i++) {
            if (config.maxConnections() > 0 && counters.active.get() >= config.maxConnections()) {
                acceptPaused = true;
                acceptKey.interestOps(0);
                // a connection may have closed between the check and the pause: check again
                if (counters.active.get() < config.maxConnections()) {
                    resumeAccept();
                }
                return;
            }
            SocketChannel channel;
            try {
                channel = listener.accept();
            } catch (IOException e) {
                // typically out of file descriptors: back off instead of spinning on the ready key
                LOG.warn("accept on {} failed; retrying in {} ms", where(), ACCEPT_RETRY_NANOS / 1_000_000, e);
                acceptKey.interestOps(0);
                loops[0].schedule(ACCEPT_RETRY_NANOS, this::resumeAccept);
                return;
            }
            if (channel == null) {
                return;
            }
            try {
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            } catch (IOException e) {
                LOG.debug("cannot set up accepted {}; closing it", channel, e);
                try {
                    channel.close();
                } catch (IOException closing) {
                    e.addSuppressed(closing);
                    LOG.debug("closing {} failed", channel, e);
                }
                continue;
            }
            counters.active.incrementAndGet();
            counters.total.increment();
            IoLoop loop = leastLoaded();
            loop.adopt(new Pipe(this, loop, channel));
        }
    }

    /**
     * Returns the loop holding the fewest connections, this (the accepting) loop on a tie: a
     * connection kept here starts at once, while one handed over waits for a wakeup and a switch to
     * the other thread, which was most of the cost of a short connection. Under many concurrent
     * connections the loads differ and the others take their share.
     */
    private IoLoop leastLoaded() {
        IoLoop chosen = loops[0];
        int least = chosen.load();
        for (int i = 1; i < loops.length && least > 0; i++) {
            int load = loops[i].load();
            if (load < least) {
                chosen = loops[i];
                least = load;
            }
        }
        return chosen;
    }

    private void resumeAccept() {
        if (acceptKey.isValid()) {
            acceptPaused = false;
            acceptKey.interestOps(SelectionKey.OP_ACCEPT);
        }
    }

    /** Called by a loop when one of its connections closed. */
    void pipeClosed() {
        long active = counters.active.decrementAndGet();
        if (acceptPaused && active < config.maxConnections()) {
            loops[0].execute(this::resumeAccept);
        }
    }

    /** Returns {@code host:port} listened on, with an IPv6 host in brackets. */
    private String where() {
        String host = local.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + local.getPort();
    }

    String range() {
        return config.range();
    }

    /**
     * Returns the port listened on.
     *
     * @return the local port
     */
    public int port() {
        return local.getPort();
    }

    /**
     * Returns the address listened on.
     *
     * @return the bind address
     */
    public InetAddress bindAddress() {
        return local.getAddress();
    }

    /**
     * Returns the counters now.
     *
     * @return a snapshot
     */
    public ProxyStats stats() {
        return counters.snapshot();
    }

    /** Stops watching, closes the listener and every connection, and ends the threads. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closeSubscription(subscription);
        // The first loop accepts and hands connections to the others: it ends first (closing the
        // listener), so that no connection is handed to a loop that has already ended.
        stop(loops[0]);
        for (int i = 1; i < loops.length; i++) {
            loops[i].stop();
        }
        for (int i = 1; i < loops.length; i++) {
            stop(loops[i]);
        }
        LOG.info("proxy on {} for '{}' closed: {}", where(), config.range(), counters.snapshot());
    }

    private static void stop(IoLoop loop) {
        loop.stop();
        if (!loop.await(Duration.ofSeconds(10))) {
            LOG.warn("{} did not stop within 10 s", loop);
        }
    }

    private static void closeSubscription(Subscription subscription) {
        try {
            subscription.close();
        } catch (RuntimeException e) {
            LOG.debug("closing the watch failed (the member may be closed already)", e);
        }
    }

    private static void closeListener(ServerSocketChannel listener) {
        try {
            listener.close();
        } catch (IOException e) {
            LOG.warn("closing {} failed", listener, e);
        }
    }

    private static void closeSelector(IoLoop loop) {
        try {
            loop.selector.close();
        } catch (IOException e) {
            LOG.warn("closing the selector of {} failed", loop, e);
        }
    }

    @Override
    public String toString() {
        return where() + " -> '" + config.range() + "'";
    }
}
