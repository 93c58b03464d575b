package io.seaport.jgroups.internal;

import java.io.IOException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLSocket;

/**
 * Gives outgoing TLS connections an absolute deadline: JGroups connects and then calls
 * {@link SSLSocket#startHandshake()} with no timeout, so a listener that accepts and never
 * answers (a stranger on a port in the discovery range, a frozen process) would hold the sending
 * thread forever. A connection whose handshake has not completed by its deadline is closed,
 * which ends the blocked handshake with an exception. One timer thread for the JVM, started on
 * demand and gone after 10 s without deadlines. Thread-safe.
 */
final class HandshakeDeadline {
    private static final ScheduledThreadPoolExecutor TIMER = timer();

    private HandshakeDeadline() {
    }

    /**
     * Closes {@code socket} unless its first handshake completes within {@code millis} from now.
     * Call before the socket connects.
     */
    static void watch(SSLSocket socket, long millis, TlsRefusals refusals) {
        AtomicBoolean done = new AtomicBoolean();
        socket.addHandshakeCompletedListener(event -> done.set(true));
        TIMER.schedule(() -> {
            if (!done.get() && !socket.isClosed()) {
                refusals.refused(socket.getInetAddress() + "|outgoing-timeout", "TLS: no handshake with {} within "
                        + "{} ms of starting to connect; closed the connection", socket.getRemoteSocketAddress(), millis);
                try {
                    socket.close();
                } catch (IOException e) {
                    // closing is all we can do; the handshake thread sees the socket closed either way
                }
            }
        }, millis, TimeUnit.MILLISECONDS);
    }

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "seaport-tls-deadline");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
        timer.setKeepAliveTime(10, TimeUnit.SECONDS);
        timer.allowCoreThreadTimeOut(true);
        return timer;
    }
}
