package io.seaport.jgroups.internal;

import java.net.Socket;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Delegates every decision to the JDK's trust manager and logs each peer certificate it refuses,
 * with the peer's address, the certificate's subject and issuer and the reason, so an operator
 * sees why a member cannot join (through {@link TlsRefusals}, which limits repeats). Thread-safe.
 */
final class RefusalLoggingTrustManager extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager delegate;
    private final Path truststore;
    private final TlsRefusals refusals;

    RefusalLoggingTrustManager(X509ExtendedTrustManager delegate, Path truststore, TlsRefusals refusals) {
        this.delegate = delegate;
        this.truststore = truststore;
        this.refusals = refusals;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        try {
            delegate.checkClientTrusted(chain, authType, socket);
        } catch (CertificateException e) {
            refused("incoming connection from", remote(socket), chain, e);
            throw e;
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        try {
            delegate.checkServerTrusted(chain, authType, socket);
        } catch (CertificateException e) {
            refused("member at", remote(socket), chain, e);
            throw e;
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        try {
            delegate.checkClientTrusted(chain, authType, engine);
        } catch (CertificateException e) {
            refused("incoming connection from", engine == null ? "?" : engine.getPeerHost(), chain, e);
            throw e;
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        try {
            delegate.checkServerTrusted(chain, authType, engine);
        } catch (CertificateException e) {
            refused("member at", engine == null ? "?" : engine.getPeerHost(), chain, e);
            throw e;
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        try {
            delegate.checkClientTrusted(chain, authType);
        } catch (CertificateException e) {
            refused("incoming connection from", "?", chain, e);
            throw e;
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        try {
            delegate.checkServerTrusted(chain, authType);
        } catch (CertificateException e) {
            refused("member at", "?", chain, e);
            throw e;
        }
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return delegate.getAcceptedIssuers();
    }

    private void refused(String direction, String peer, X509Certificate[] chain, CertificateException e) {
        String subject = chain == null || chain.length == 0 ? "(no certificate)"
                : chain[0].getSubjectX500Principal().getName();
        String issuer = chain == null || chain.length == 0 ? "(none)" : chain[0].getIssuerX500Principal().getName();
        refusals.refused(peerHost(peer) + '|' + subject + '|' + issuer,
                "TLS: refused the certificate of {} {}: subject '{}', issuer '{}', checked against '{}': {}",
                direction, peer, subject, issuer, truststore, e.getMessage());
    }

    /** Returns the host part of "/127.0.0.1:7800": a peer's ports change with every connection. */
    private static String peerHost(String peer) {
        int colon = peer.lastIndexOf(':');
        return colon > 0 ? peer.substring(0, colon) : peer;
    }

    private static String remote(Socket socket) {
        SocketAddress address = socket == null ? null : socket.getRemoteSocketAddress();
        return address == null ? "?" : address.toString();
    }
}
