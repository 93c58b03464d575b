package io.seaport.jgroups.internal;

import java.net.Socket;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delegates every decision to the JDK's trust manager and logs each peer certificate it refuses,
 * with the peer's address, the certificate's subject and issuer and the reason, so an operator
 * sees why a member cannot join. A peer retrying (MERGE3 does every few seconds) is logged at WARN
 * once a minute per address and certificate, at DEBUG otherwise. Thread-safe.
 */
final class RefusalLoggingTrustManager extends X509ExtendedTrustManager {
    private static final Logger LOG = LoggerFactory.getLogger(RefusalLoggingTrustManager.class);
    private static final long WARN_INTERVAL_NANOS = 60_000_000_000L;
    private static final int MAX_REMEMBERED = 1024;

    private final X509ExtendedTrustManager delegate;
    private final Path truststore;
    private final ConcurrentMap<String, Long> lastWarned = new ConcurrentHashMap<>();

    RefusalLoggingTrustManager(X509ExtendedTrustManager delegate, Path truststore) {
        this.delegate = delegate;
        this.truststore = truststore;
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
        String key = peer + '|' + subject + '|' + issuer;
        long now = System.nanoTime();
        Long last = lastWarned.get(key);
        boolean warn = last == null || now - last > WARN_INTERVAL_NANOS;
        if (warn) {
            if (lastWarned.size() >= MAX_REMEMBERED) {
                lastWarned.clear(); // bounded memory against many distinct peers; at worst more warnings
            }
            lastWarned.put(key, now);
            LOG.warn("TLS: refused the certificate of {} {}: subject '{}', issuer '{}', checked against '{}': {}",
                    direction, peer, subject, issuer, truststore, e.getMessage());
        } else {
            LOG.debug("TLS: refused the certificate of {} {} again: subject '{}' ({})", direction, peer, subject,
                    e.getMessage());
        }
    }

    private static String remote(Socket socket) {
        SocketAddress address = socket == null ? null : socket.getRemoteSocketAddress();
        return address == null ? "?" : address.toString();
    }
}
