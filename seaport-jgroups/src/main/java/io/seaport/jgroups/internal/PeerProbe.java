package io.seaport.jgroups.internal;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Locale;
import org.jgroups.stack.IpAddress;

/**
 * One TCP connection attempt to a member's transport address, opened and closed at once, and
 * what it tells: someone listens there, nobody does (refused: the process is gone), or nothing
 * (timed out, unreachable: a cut link, or a host that is down). Stateless.
 */
final class PeerProbe {

    /** What a connection attempt tells about the peer. */
    enum Outcome {
        /** Something listens there: the process is alive (maybe stopped: the kernel accepts for it). */
        CONNECTED,
        /** Nobody listens there: the process is gone. */
        REFUSED,
        /** No answer or no route: no evidence either way. */
        FAILED
    }

    private PeerProbe() {
    }

    /** Returns what a connection to {@code address} within {@code timeoutMillis} tells. */
    static Outcome connect(IpAddress address, int timeoutMillis) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address.getIpAddress(), address.getPort()), timeoutMillis);
            return Outcome.CONNECTED;
        } catch (ConnectException e) {
            // Also thrown for some other failures; only "Connection refused" means no listener.
            String message = e.getMessage();
            return message != null && message.toLowerCase(Locale.ROOT).contains("refused")
                    ? Outcome.REFUSED : Outcome.FAILED;
        } catch (IOException | RuntimeException e) {
            return Outcome.FAILED;
        }
    }
}
