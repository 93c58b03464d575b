package io.seaport.spi;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * TLS settings for the cluster transport: a PKCS12 keystore and, unless it is the shared-key
 * mode, a PKCS12 truststore. Passwords are copied in and out; the accessors return copies.
 */
public final class TlsConfig {
    private final Path keystore;
    private final char[] keystorePassword;
    private final Path truststore;
    private final char[] truststorePassword;

    private TlsConfig(Path keystore, char[] keystorePassword, Path truststore, char[] truststorePassword) {
        this.keystore = readable("keystore", keystore);
        this.keystorePassword = Objects.requireNonNull(keystorePassword, "keystore password").clone();
        this.truststore = truststore == null ? null : readable("truststore", truststore);
        this.truststorePassword = truststorePassword == null ? null : truststorePassword.clone();
    }

    /**
     * Returns settings for the shared-key mode: the keystore's certificate is the only one trusted.
     *
     * @param keystore a readable PKCS12 file
     * @param password its password
     * @return the settings
     * @throws IllegalArgumentException if the file is not readable
     */
    public static TlsConfig sharedKey(Path keystore, char[] password) {
        return new TlsConfig(keystore, password, null, null);
    }

    /**
     * Returns settings with a separate truststore, such as a cluster CA.
     *
     * @param keystore a readable PKCS12 file with this member's key
     * @param password its password
     * @param truststore a readable PKCS12 file with the trusted certificates
     * @param truststorePassword its password
     * @return the settings
     * @throws IllegalArgumentException if a file is not readable
     */
    public static TlsConfig withTruststore(Path keystore, char[] password, Path truststore, char[] truststorePassword) {
        Objects.requireNonNull(truststore, "truststore");
        Objects.requireNonNull(truststorePassword, "truststore password");
        return new TlsConfig(keystore, password, truststore, truststorePassword);
    }

    /**
     * Returns the keystore file.
     *
     * @return the PKCS12 file with this member's key
     */
    public Path keystore() {
        return keystore;
    }

    /**
     * Returns a copy of the keystore's password.
     *
     * @return the password
     */
    public char[] keystorePassword() {
        return keystorePassword.clone();
    }

    /**
     * Returns the truststore file; empty in the shared-key mode.
     *
     * @return the truststore, if separate
     */
    public Optional<Path> truststore() {
        return Optional.ofNullable(truststore);
    }

    /**
     * Returns a copy of the truststore's password, or of the keystore's in the shared-key mode.
     *
     * @return the password
     */
    public char[] truststorePassword() {
        return truststorePassword == null ? keystorePassword.clone() : truststorePassword.clone();
    }

    @Override
    public String toString() {
        return "TlsConfig[keystore=" + keystore + ", truststore=" + (truststore == null ? "(the keystore)" : truststore) + "]";
    }

    private static Path readable(String what, Path file) {
        Objects.requireNonNull(file, what);
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IllegalArgumentException(what + " file '" + file + "' does not exist or is not readable");
        }
        return file;
    }
}
