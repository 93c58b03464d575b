package io.seaport.examples.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Makes Seaport's TLS key material with the JDK's own {@code keytool} (from {@code java.home/bin}):
 * PKCS12 files holding EC P-256 keys with SHA256withECDSA certificates. keytool is the JDK's
 * supported way to make certificates (the JDK has no public API for it), so no library is needed.
 *
 * <p>Every file is written in a private temporary directory next to its destination, made
 * readable and writable by the owner only ({@code rw-------}), then moved into place; an existing
 * file is never overwritten. Passwords reach keytool through an environment variable, never its
 * command line (which other users can read in the process list).
 */
final class KeyMaterial {
    /** The certificate of a member or shared key: signs, and serves as client and server. */
    private static final List<String> MEMBER_EXTENSIONS = List.of("-ext", "ku:c=digitalSignature",
            "-ext", "eku=serverAuth,clientAuth");
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");
    private static final String PASSWORD_VARIABLE = "SEAPORT_KEYTOOL_STOREPASS";
    private static final long KEYTOOL_TIMEOUT_SECONDS = 120;

    private final char[] password;
    private final int days;

    /**
     * Returns a key maker protecting every file with {@code password}.
     *
     * @param password the password of every file made
     * @param days how long certificates are valid
     */
    KeyMaterial(char[] password, int days) {
        if (password.length < 6) {
            throw new IllegalArgumentException("a keystore password must have at least 6 characters (keytool's rule)");
        }
        if (days < 1) {
            throw new IllegalArgumentException("validity must be at least 1 day, was " + days);
        }
        this.password = password.clone();
        this.days = days;
    }

    /** Returns a new random password: 24 characters of URL-safe Base64 (144 bits). */
    static char[] randomPassword() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).toCharArray();
    }

    /**
     * Writes {@code file}: one key with a self-signed certificate for the shared-key mode.
     *
     * @param file the PKCS12 file to create; must not exist
     * @param name the certificate's common name
     */
    void sharedKey(Path file, String name) {
        inPrivateDirectory(file, tmp -> {
            Path store = tmp.resolve("shared.p12");
            keytool(store, concat(List.of("-genkeypair", "-alias", "seaport", "-keyalg", "EC", "-groupname",
                    "secp256r1", "-sigalg", "SHA256withECDSA", "-dname", "CN=" + name,
                    "-validity", Integer.toString(days)), MEMBER_EXTENSIONS));
            return store;
        });
    }

    /**
     * Writes a cluster CA: {@code caFile} with the CA's key (keep it off the members) and
     * {@code truststoreFile} with only its certificate (give it to every member).
     *
     * @param caFile the CA's PKCS12 file; must not exist
     * @param truststoreFile the members' truststore; must not exist
     * @param name the CA's common name
     */
    void ca(Path caFile, Path truststoreFile, String name) {
        refuseExisting(truststoreFile);
        inPrivateDirectory(caFile, tmp -> {
            Path ca = tmp.resolve("ca.p12");
            keytool(ca, List.of("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1",
                    "-sigalg", "SHA256withECDSA", "-dname", "CN=" + name, "-validity", Integer.toString(days),
                    "-ext", "bc:c=ca:true,pathlen:0", "-ext", "ku:c=keyCertSign,cRLSign"));
            Path pem = exportCertificate(ca, tmp);
            Path trust = tmp.resolve("truststore.p12");
            keytool(trust, List.of("-importcert", "-noprompt", "-alias", "seaport-ca", "-file", pem.toString()));
            moveOwnerOnly(trust, truststoreFile);
            return ca;
        });
    }

    /**
     * Writes {@code file}: a member key whose certificate the CA in {@code caFile} signs, with the
     * chain, so that every member trusting the CA trusts it.
     *
     * @param file the member's PKCS12 file; must not exist
     * @param caFile the CA's PKCS12 file from {@link #ca}, protected by the same password
     * @param name the member certificate's common name
     */
    void memberKey(Path file, Path caFile, String name) {
        if (!Files.isRegularFile(caFile)) {
            throw new IllegalArgumentException("CA keystore '" + caFile + "' does not exist; make it with 'seaport keygen ca'");
        }
        inPrivateDirectory(file, tmp -> {
            Path member = tmp.resolve("member.p12");
            keytool(member, concat(List.of("-genkeypair", "-alias", "seaport", "-keyalg", "EC", "-groupname",
                    "secp256r1", "-sigalg", "SHA256withECDSA", "-dname", "CN=" + name,
                    "-validity", Integer.toString(days)), MEMBER_EXTENSIONS));
            Path request = tmp.resolve("member.csr");
            keytool(member, List.of("-certreq", "-alias", "seaport", "-file", request.toString()));
            Path signed = tmp.resolve("member.crt");
            keytool(caFile, concat(List.of("-gencert", "-alias", "ca", "-rfc", "-validity", Integer.toString(days),
                    "-infile", request.toString(), "-outfile", signed.toString()), MEMBER_EXTENSIONS));
            Path caPem = exportCertificate(caFile, tmp);
            keytool(member, List.of("-importcert", "-noprompt", "-alias", "seaport-ca", "-file", caPem.toString()));
            keytool(member, List.of("-importcert", "-noprompt", "-alias", "seaport", "-file", signed.toString()));
            return member;
        });
    }

    /**
     * Creates or updates {@code truststore} so that it trusts the anchors of every file in
     * {@code add} and none of those of {@code remove}, for rotating a cluster to a new shared key
     * or a new CA without downtime. The anchors of a file are its trusted certificates and, for
     * each key entry, the last certificate of the key's chain: the certificate itself for a
     * shared key, the CA for a member key or a CA. Files are read with this object's password,
     * or with the one in {@code FILE.password} beside them. The new truststore replaces the old one
     * atomically, owner-only.
     *
     * @return the anchors the truststore holds afterwards
     * @throws IllegalArgumentException if a file cannot be read, or no anchor would remain
     */
    List<X509Certificate> trust(Path truststore, List<Path> add, List<Path> remove) {
        Map<String, X509Certificate> anchors = new TreeMap<>();
        if (Files.exists(truststore)) {
            anchors.putAll(byFingerprint(anchorsOf(truststore, password)));
        }
        for (Path file : add) {
            anchors.putAll(byFingerprint(anchorsOf(file, passwordFor(file))));
        }
        for (Path file : remove) {
            Map<String, X509Certificate> gone = byFingerprint(anchorsOf(file, passwordFor(file)));
            if (!anchors.keySet().containsAll(gone.keySet())) {
                throw new IllegalArgumentException("truststore '" + truststore + "' does not trust the certificates of '"
                        + file + "' (" + subjects(gone.values()) + ")");
            }
            anchors.keySet().removeAll(gone.keySet());
        }
        if (anchors.isEmpty()) {
            throw new IllegalArgumentException("truststore '" + truststore
                    + "' would trust no certificate: no member could join; keep at least one");
        }
        replaceOwnerOnly(truststore, tmp -> {
            try {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                for (Map.Entry<String, X509Certificate> anchor : anchors.entrySet()) {
                    store.setCertificateEntry("anchor-" + anchor.getKey().substring(0, 16), anchor.getValue());
                }
                Path written = tmp.resolve("truststore.p12");
                try (OutputStream out = Files.newOutputStream(written)) {
                    store.store(out, password);
                }
                return written;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot write truststore '" + truststore + "': " + e.getMessage(), e);
            }
        });
        return List.copyOf(anchors.values());
    }

    /**
     * Returns the anchors of a PKCS12 file (see {@link #trust}).
     *
     * @throws IllegalArgumentException naming the file if it cannot be read with {@code password}
     */
    static List<X509Certificate> anchorsOf(Path file, char[] password) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("'" + file + "' does not exist or is not a file");
        }
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            List<X509Certificate> anchors = new ArrayList<>();
            for (String alias : Collections.list(store.aliases())) {
                if (store.isCertificateEntry(alias) && store.getCertificate(alias) instanceof X509Certificate cert) {
                    anchors.add(cert);
                } else if (store.isKeyEntry(alias) && store.getCertificateChain(alias) != null
                        && store.getCertificateChain(alias).length > 0) {
                    Certificate[] chain = store.getCertificateChain(alias);
                    if (chain[chain.length - 1] instanceof X509Certificate root) {
                        anchors.add(root);
                    }
                }
            }
            if (anchors.isEmpty()) {
                throw new IllegalArgumentException("'" + file + "' holds no certificate");
            }
            return anchors;
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw new IllegalArgumentException("'" + file + "': the password is wrong", e);
            }
            throw new IllegalArgumentException("'" + file + "' cannot be read as a PKCS12 keystore: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("'" + file + "' cannot be read as a PKCS12 keystore: " + e.getMessage(), e);
        }
    }

    /** Returns the SHA-256 fingerprint of {@code cert} in hex. */
    static String fingerprint(X509Certificate cert) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot hash a certificate: " + e.getMessage(), e);
        }
    }

    private char[] passwordFor(Path file) {
        Path beside = file.resolveSibling(file.getFileName() + ".password");
        try {
            anchorsOf(file, password);
            return password;
        } catch (IllegalArgumentException e) {
            if (!Files.isRegularFile(beside)) {
                throw e;
            }
            try {
                return Files.readAllLines(beside, StandardCharsets.UTF_8).get(0).toCharArray();
            } catch (IOException | IndexOutOfBoundsException unreadable) {
                throw e;
            }
        }
    }

    private static Map<String, X509Certificate> byFingerprint(List<X509Certificate> certs) {
        Map<String, X509Certificate> map = new TreeMap<>();
        certs.forEach(c -> map.put(fingerprint(c), c));
        return map;
    }

    private static String subjects(Collection<X509Certificate> certs) {
        return certs.stream().map(c -> c.getSubjectX500Principal().getName()).collect(Collectors.joining(", "));
    }

    /**
     * Writes {@code password} to {@code file}, readable by the owner only.
     *
     * @param file the file to create; must not exist
     * @param password the password
     */
    static void writePassword(Path file, char[] password) {
        inPrivateDirectory(file, tmp -> {
            Path written = tmp.resolve("password");
            Files.writeString(written, new String(password) + System.lineSeparator(), StandardCharsets.UTF_8);
            return written;
        });
    }

    private Path exportCertificate(Path store, Path tmp) throws IOException {
        Path pem = Files.createTempFile(tmp, "ca", ".pem");
        Files.delete(pem); // keytool refuses to write over a file
        keytool(store, List.of("-exportcert", "-rfc", "-alias", "ca", "-file", pem.toString()));
        return pem;
    }

    private interface Maker {
        Path make(Path privateDirectory) throws IOException;
    }

    /** Runs {@code maker} in a fresh owner-only directory beside {@code target}, then moves its result there. */
    private static void inPrivateDirectory(Path target, Maker maker) {
        refuseExisting(target);
        Path parent = target.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(parent);
            tmp = Files.createTempDirectory(parent, ".seaport-keygen-", PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
            moveOwnerOnly(maker.make(tmp), target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write '" + target + "': " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                deleteTree(tmp);
            }
        }
    }

    /** Like {@link #inPrivateDirectory} but replaces {@code target} (atomically) if it exists. */
    private static void replaceOwnerOnly(Path target, Maker maker) {
        Path parent = target.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(parent);
            tmp = Files.createTempDirectory(parent, ".seaport-keygen-", PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
            Path made = maker.make(tmp);
            Files.setPosixFilePermissions(made, OWNER_ONLY);
            Files.move(made, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write '" + target + "': " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                deleteTree(tmp);
            }
        }
    }

    private static void moveOwnerOnly(Path source, Path target) throws IOException {
        Files.setPosixFilePermissions(source, OWNER_ONLY);
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
            throw new IllegalArgumentException("'" + target + "' already exists; remove it or choose another name", e);
        }
        if (!Files.getPosixFilePermissions(target).equals(OWNER_ONLY)) {
            Files.setPosixFilePermissions(target, OWNER_ONLY);
        }
    }

    private static void refuseExisting(Path target) {
        if (Files.exists(target)) {
            throw new IllegalArgumentException("'" + target + "' already exists; remove it or choose another name");
        }
    }

    private static void deleteTree(Path dir) {
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the temporary directory '" + dir + "'", e);
        }
    }

    private void keytool(Path store, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(args);
        command.addAll(List.of("-storetype", "PKCS12", "-keystore", store.toString(), "-storepass:env", PASSWORD_VARIABLE));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put(PASSWORD_VARIABLE, new String(password));
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(KEYTOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("keytool did not finish within " + KEYTOOL_TIMEOUT_SECONDS + " s: " + args.get(0));
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("keytool " + args.get(0) + " on '" + store + "' failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run keytool (" + command.get(0) + "): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running keytool", e);
        }
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

}
