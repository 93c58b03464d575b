package io.seaport.jgroups.internal;

import io.seaport.spi.TlsConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.jgroups.JChannel;
import org.jgroups.protocols.FD_SOCK2;
import org.jgroups.protocols.TCP;
import org.jgroups.protocols.TP;
import org.jgroups.protocols.pbcast.GMS;
import org.jgroups.util.DefaultSocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns on TLS for the JGroups TCP transport from a {@link TlsConfig}: TLSv1.3 only, client
 * certificates required, PKCS12 key material loaded and checked here so that a missing file, a
 * wrong password or an expired certificate fails the join with a message naming the file.
 *
 * <p>Shared-key mode trusts exactly the certificates of the keystore's own key entries; CA mode
 * trusts the truststore's certificates. Peers whose certificate is refused are logged by
 * {@link RefusalLoggingTrustManager}. The TLS handshake adds round trips and, on a cold JVM,
 * hundreds of milliseconds of crypto setup; a joiner that gives up on the coordinator forms a
 * singleton cluster and only merges seconds later, hence the longer {@link #JOIN_TIMEOUT_MILLIS}.
 */
final class TlsTransport {
    private static final Logger LOG = LoggerFactory.getLogger(TlsTransport.class);

    /** The only TLS version offered and accepted. */
    static final String PROTOCOL = "TLSv1.3";

    /** GMS join timeout with TLS: ~3 s let a cold JVM finish its handshakes and join directly. */
    static final long JOIN_TIMEOUT_MILLIS = 3_000;

    /**
     * The transport's largest accepted message (JGroups' {@code max_length}), set unless a stack sets
     * its own. Seaport's messages are fragmented at 60 KB by FRAG4 and bundled up to 64 KB.
     */
    static final int MAX_MESSAGE_BYTES = 1 << 20;

    private static final String PKCS12 = "PKCS12";

    private TlsTransport() {
    }

    /**
     * Enables TLS on the built-in stack's transport and lengthens the join timeout.
     *
     * @throws IllegalArgumentException naming the file and the problem if the key material is unusable
     */
    static void apply(TCP tcp, GMS gms, TlsConfig config) {
        enable(tcp, config);
        tcp.enableSuspectEvents(true); // the built-in stack has no FD_SOCK2 under TLS (StackFactory)
        gms.setJoinTimeout(Math.max(gms.getJoinTimeout(), JOIN_TIMEOUT_MILLIS));
    }

    /**
     * Enables TLS on the transport of a channel built from a user's XML stack, which must be TCP.
     *
     * @throws IllegalArgumentException if the transport is not TCP, or the key material is unusable
     */
    static void apply(JChannel channel, TlsConfig config, String stack) {
        TP transport = channel.getProtocolStack().getTransport();
        if (!(transport instanceof TCP tcp)) {
            throw new IllegalArgumentException("TLS needs the TCP transport, but config '" + stack + "' uses "
                    + transport.getClass().getSimpleName());
        }
        if (tcp.tls().enabled()) {
            // TCP.start() would replace Seaport's socket factory with the one of JGroups' own TLS
            throw new IllegalArgumentException("config '" + stack + "' enables JGroups' own TLS (tls.enabled); "
                    + "remove it from the XML or do not set Seaport's TLS options");
        }
        enable(tcp, config);
        replaceSideSocket(channel, tcp, stack);
        GMS gms = channel.getProtocolStack().findProtocol(GMS.class);
        if (gms != null && gms.getJoinTimeout() < JOIN_TIMEOUT_MILLIS) {
            gms.setJoinTimeout(JOIN_TIMEOUT_MILLIS);
        }
    }

    /**
     * Removes FD_SOCK2 from a TLS stack: its side socket is plaintext and answers anyone with the
     * cluster name and the member's address. The transport suspects a member whose connection
     * closes instead (JGroups' {@code enable_suspect_events}), which is what FD_SOCK2 detected.
     */
    private static void replaceSideSocket(JChannel channel, TCP tcp, String stack) {
        tcp.enableSuspectEvents(true);
        if (channel.getProtocolStack().findProtocol(FD_SOCK2.class) != null) {
            channel.getProtocolStack().removeProtocol(FD_SOCK2.class);
            LOG.info("TLS: removed FD_SOCK2 from stack '{}': its side socket is not encrypted; the TLS transport "
                    + "suspects members whose connections close instead", stack);
        }
    }

    /**
     * Installs a socket factory whose client sockets speak TLSv1.3 and whose server sockets complete
     * the handshake, client certificate required, before JGroups sees a connection. JGroups' own
     * {@code tls} settings are left off: with them a refused handshake is logged only as "Socket is
     * closed", with no reason and once per retry.
     */
    private static void enable(TCP tcp, TlsConfig config) {
        TlsRefusals refusals = new TlsRefusals();
        SSLContext context = sslContext(config, refusals);
        SSLParameters server = context.getDefaultSSLParameters();
        server.setProtocols(new String[] {PROTOCOL});
        server.setNeedClientAuth(true);
        SSLParameters client = context.getDefaultSSLParameters();
        client.setProtocols(new String[] {PROTOCOL});
        DefaultSocketFactory sockets = new DefaultSocketFactory(context.getSocketFactory(),
                HandshakingServerSocket.factory(context.getSocketFactory(), server, refusals));
        long connectDeadline = Math.max(tcp.getSockConnTimeout(), 0) + HandshakingServerSocket.HANDSHAKE_TIMEOUT_MILLIS;
        sockets.setSocketConfigurator(socket -> {
            ((SSLSocket) socket).setSSLParameters(client);
            HandshakeDeadline.watch((SSLSocket) socket, connectDeadline, refusals);
        });
        tcp.setSocketFactory(sockets);
        if (tcp.getMaxLength() <= 0) {
            tcp.setMaxLength(MAX_MESSAGE_BYTES);
        }
    }

    /**
     * Returns an SSL context with this member's key and the trusted certificates of {@code config}.
     *
     * @throws IllegalArgumentException naming the file and the problem if the key material is unusable
     */
    static SSLContext sslContext(TlsConfig config, TlsRefusals refusals) {
        Path keystoreFile = config.keystore();
        char[] password = config.keystorePassword();
        char[] trustPassword = config.truststorePassword();
        try {
            KeyStore keys = load("keystore", keystoreFile, password);
            List<X509Certificate> own = ownCertificates(keys, keystoreFile);
            KeyStore trust = config.truststore().isPresent()
                    ? load("truststore", config.truststore().get(), trustPassword)
                    : trustOnly(own);
            Path trustFile = config.truststore().orElse(keystoreFile);
            if (trust.size() == 0) {
                throw new IllegalArgumentException("TLS truststore '" + trustFile
                        + "' holds no certificate: no peer could be trusted");
            }

            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            try {
                kmf.init(keys, password);
            } catch (UnrecoverableKeyException e) {
                throw new IllegalArgumentException("TLS keystore '" + keystoreFile
                        + "': the private key cannot be read with the keystore's password (" + e.getMessage() + ")", e);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance(PROTOCOL);
            context.init(kmf.getKeyManagers(), new TrustManager[] {
                    new RefusalLoggingTrustManager(x509(tmf.getTrustManagers()), trustFile, refusals)}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("TLS keystore '" + keystoreFile + "' cannot be used: " + e.getMessage(), e);
        } finally {
            Arrays.fill(password, '\0');
            Arrays.fill(trustPassword, '\0');
        }
    }

    private static KeyStore load(String what, Path file, char[] password) throws KeyStoreException {
        KeyStore store = KeyStore.getInstance(PKCS12);
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password);
            return store;
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("TLS " + what + " file '" + file + "' does not exist", e);
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw new IllegalArgumentException("TLS " + what + " '" + file + "': the password is wrong", e);
            }
            throw new IllegalArgumentException("TLS " + what + " '" + file + "' cannot be read as a PKCS12 keystore: "
                    + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("TLS " + what + " '" + file + "' cannot be read as a PKCS12 keystore: "
                    + e.getMessage(), e);
        }
    }

    /** Returns the certificates of the keystore's key entries, checking there is one and it is valid now. */
    private static List<X509Certificate> ownCertificates(KeyStore keys, Path file) throws KeyStoreException {
        List<X509Certificate> own = new ArrayList<>();
        for (String alias : Collections.list(keys.aliases())) {
            if (keys.isKeyEntry(alias) && keys.getCertificate(alias) instanceof X509Certificate cert) {
                try {
                    cert.checkValidity();
                } catch (CertificateExpiredException e) {
                    throw new IllegalArgumentException("TLS keystore '" + file + "': the certificate of '" + alias
                            + "' (" + cert.getSubjectX500Principal() + ") expired on " + cert.getNotAfter().toInstant(), e);
                } catch (CertificateNotYetValidException e) {
                    throw new IllegalArgumentException("TLS keystore '" + file + "': the certificate of '" + alias
                            + "' (" + cert.getSubjectX500Principal() + ") is not valid before "
                            + cert.getNotBefore().toInstant(), e);
                }
                own.add(cert);
            }
        }
        if (own.isEmpty()) {
            throw new IllegalArgumentException("TLS keystore '" + file
                    + "' holds no private key with a certificate; create one with 'seaport keygen'");
        }
        if (own.size() > 1) {
            throw new IllegalArgumentException("TLS keystore '" + file + "' holds " + own.size()
                    + " private keys; keep exactly one (the member's key)");
        }
        return own;
    }

    /** Returns an in-memory truststore with exactly {@code certificates} (shared-key mode). */
    private static KeyStore trustOnly(List<X509Certificate> certificates) throws GeneralSecurityException {
        KeyStore trust = KeyStore.getInstance(PKCS12);
        try {
            trust.load(null, null);
        } catch (IOException e) {
            throw new KeyStoreException("cannot create an empty truststore", e);
        }
        int index = 0;
        for (Certificate cert : certificates) {
            trust.setCertificateEntry("shared-" + index++, cert);
        }
        return trust;
    }

    private static X509ExtendedTrustManager x509(TrustManager[] managers) throws KeyStoreException {
        for (TrustManager manager : managers) {
            if (manager instanceof X509ExtendedTrustManager x509) {
                return x509;
            }
        }
        throw new KeyStoreException("the default trust manager factory offers no X509ExtendedTrustManager");
    }
}
