package io.seaport.jgroups.internal;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A plain server socket whose {@link #accept()} completes the TLS handshake (as server, client
 * certificate required) before handing the connection to JGroups, and refuses and logs, with the
 * reason, every connection whose handshake fails: a plaintext member, a peer without a trusted
 * certificate, a peer that does not trust ours, garbage. JGroups' own TLS path starts the handshake
 * inside its connection setup and logs only "Socket is closed".
 *
 * <p>The handshake runs on the accepting thread with a {@link #HANDSHAKE_TIMEOUT_MILLIS} read
 * timeout, as JGroups reads a new connection's peer address on that thread too: one silent
 * connection delays other members' new connections by at most that long.
 */
final class HandshakingServerSocket extends ServerSocket {
    private static final Logger LOG = LoggerFactory.getLogger(HandshakingServerSocket.class);

    /** How long a connecting peer has to complete the handshake. */
    static final int HANDSHAKE_TIMEOUT_MILLIS = 5_000;

    /** The first byte of every TLS connection: the record type of a handshake message. */
    private static final int TLS_HANDSHAKE_RECORD = 0x16;

    private final SSLSocketFactory layer;
    private final SSLParameters parameters;
    private final TlsRefusals refusals;

    HandshakingServerSocket(SSLSocketFactory layer, SSLParameters parameters, TlsRefusals refusals) throws IOException {
        this.layer = layer;
        this.parameters = parameters;
        this.refusals = refusals;
    }

    @Override
    public Socket accept() throws IOException {
        while (true) {
            Socket plain = super.accept();
            SocketAddress peer = plain.getRemoteSocketAddress();
            SSLSocket tls = null;
            try {
                plain.setSoTimeout(HANDSHAKE_TIMEOUT_MILLIS);
                int first = plain.getInputStream().read();
                if (first != TLS_HANDSHAKE_RECORD) {
                    notTls(peer, first);
                    closeQuietly(plain);
                    continue;
                }
                // hand the byte read back to the TLS layer, which parses the record from its start
                tls = (SSLSocket) layer.createSocket(plain, new ByteArrayInputStream(new byte[] {(byte) first}), true);
                tls.setUseClientMode(false);
                tls.setSSLParameters(parameters);
                tls.startHandshake();
                tls.setSoTimeout(0);
                return tls;
            } catch (IOException e) {
                refused(peer, e);
                closeQuietly(tls != null ? tls : plain);
            }
            if (isClosed()) {
                throw new IOException("server socket closed");
            }
        }
    }

    private void notTls(SocketAddress peer, int first) {
        if (first < 0) {
            LOG.debug("TLS: connection from {} closed before sending anything (a port probe?)", peer);
        } else if (first == 'b') {
            refusals.refused(host(peer) + "|plaintext", "TLS: refused a plaintext (non-TLS) connection from {}: it "
                    + "looks like a JGroups or Seaport member configured without TLS", peer);
        } else {
            refusals.refused(host(peer) + "|plaintext", "TLS: refused a plaintext (non-TLS) connection from {}: its "
                    + "first byte 0x{} does not start a TLS handshake", peer, Integer.toHexString(first));
        }
    }

    private static String host(SocketAddress peer) {
        return peer instanceof InetSocketAddress address && address.getAddress() != null
                ? address.getAddress().getHostAddress() : String.valueOf(peer);
    }

    private void refused(SocketAddress peer, IOException e) {
        String host = host(peer);
        if (causedBy(e, CertificateException.class)) {
            // RefusalLoggingTrustManager has logged the certificate and the reason
            LOG.debug("TLS: refused connection from {}: {}", peer, e.toString());
            return;
        }
        String message = String.valueOf(e.getMessage());
        if (message.contains("Unsupported or unrecognized SSL message") || message.contains("plaintext")) {
            refusals.refused(host + "|plaintext", "TLS: refused a plaintext (non-TLS) connection from {}: is that "
                    + "member configured without TLS, or is it not a Seaport member?", peer);
        } else if (causedBy(e, SocketTimeoutException.class)) {
            refusals.refused(host + "|timeout", "TLS: refused a connection from {}: no TLS handshake within {} ms",
                    peer, HANDSHAKE_TIMEOUT_MILLIS);
        } else if (message.contains("Empty client certificate chain") || message.contains("certificate_required")) {
            refusals.refused(host + "|nocert", "TLS: refused a connection from {}: it sent no certificate", peer);
        } else if (causedBy(e, EOFException.class) || message.contains("terminated the handshake")
                || message.contains("certificate_unknown") || message.contains("bad_certificate")) {
            refusals.refused(host + "|distrusts", "TLS: connection from {} ended during the handshake: that peer "
                    + "probably does not trust this member's certificate ({})", peer, message);
        } else {
            refusals.refused(host + "|other", "TLS: refused a connection from {}: {}", peer, e.toString());
        }
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            LOG.debug("closing a refused connection failed", e);
        }
    }

    /** Returns a server socket factory making {@link HandshakingServerSocket}s, unbound unless asked. */
    static javax.net.ServerSocketFactory factory(SSLSocketFactory layer, SSLParameters parameters,
            TlsRefusals refusals) {
        return new javax.net.ServerSocketFactory() {
            @Override
            public ServerSocket createServerSocket() throws IOException {
                return new HandshakingServerSocket(layer, parameters, refusals);
            }

            @Override
            public ServerSocket createServerSocket(int port) throws IOException {
                return createServerSocket(port, 50, null);
            }

            @Override
            public ServerSocket createServerSocket(int port, int backlog) throws IOException {
                return createServerSocket(port, backlog, null);
            }

            @Override
            public ServerSocket createServerSocket(int port, int backlog, InetAddress address) throws IOException {
                ServerSocket socket = createServerSocket();
                try {
                    socket.bind(new InetSocketAddress(address, port), backlog);
                    return socket;
                } catch (IOException e) {
                    socket.close();
                    throw e;
                }
            }
        };
    }
}
