package io.seaport.testkit;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Makes PKCS12 key material for the TLS tests in this JVM, in milliseconds: EC P-256 keys and
 * X.509 v3 certificates (self-signed, a CA, members signed by a CA, expired ones), encoded with a
 * minimal DER writer and signed with {@link Signature}. The JDK has no public certificate builder;
 * running keytool five times per CA-signed key took 1.5-5 s each on the loaded test machine. The
 * {@code seaport keygen} command uses keytool and is tested end to end separately.
 */
public final class TestKeys {
    /** The password of every file made here. */
    public static final String PASSWORD = "test-secret-1";
    private static final String SIGNATURE = "SHA256withECDSA";
    private static final String ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";
    private static final String COMMON_NAME = "2.5.4.3";
    private static final String BASIC_CONSTRAINTS = "2.5.29.19";
    private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path dir;

    /** Creates key material in {@code dir}. */
    public TestKeys(Path dir) {
        this.dir = dir;
    }

    /** Returns a new PKCS12 file holding one self-signed key valid from {@code notBefore} to {@code notAfter}. */
    public Path selfSigned(String name, Instant notBefore, Instant notAfter) {
        KeyPair pair = keyPair();
        X509Certificate cert = certificate(name, pair.getPublic(), name, pair.getPrivate(), notBefore, notAfter, false);
        return store(dir.resolve(name + ".p12"), pair.getPrivate(), cert);
    }

    /** Returns a new PKCS12 file holding one self-signed key valid for a year. */
    public Path selfSigned(String name) {
        Instant now = Instant.now();
        return selfSigned(name, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(365)));
    }

    /** Returns a new CA: its key and certificate, and a truststore file holding only the certificate. */
    public Ca ca(String name) {
        KeyPair pair = keyPair();
        Instant now = Instant.now();
        X509Certificate cert = certificate(name, pair.getPublic(), name, pair.getPrivate(),
                now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(365)), true);
        Path truststore = dir.resolve(name + "-truststore.p12");
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", cert);
            try (OutputStream out = Files.newOutputStream(truststore)) {
                trust.store(out, PASSWORD.toCharArray());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        return new Ca(name, pair, cert, truststore);
    }

    /** Returns a new PKCS12 file holding a member key whose certificate {@code ca} signed, with the chain. */
    public Path signedBy(Ca ca, String name) {
        KeyPair pair = keyPair();
        Instant now = Instant.now();
        X509Certificate cert = certificate(name, pair.getPublic(), ca.name(), ca.keys().getPrivate(),
                now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(365)), false);
        return store(dir.resolve(name + ".p12"), pair.getPrivate(), cert, ca.certificate());
    }

    /**
     * Returns a new truststore file trusting the anchor of each keystore: the last certificate of
     * its key's chain (the certificate itself for a shared key, the CA for a member key).
     */
    public Path truststore(String name, Path... keystores) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            int index = 0;
            for (Path keystore : keystores) {
                KeyStore keys = KeyStore.getInstance("PKCS12");
                try (java.io.InputStream in = Files.newInputStream(keystore)) {
                    keys.load(in, PASSWORD.toCharArray());
                }
                Certificate[] chain = keys.getCertificateChain("member");
                trust.setCertificateEntry("anchor-" + index++, chain[chain.length - 1]);
            }
            Path file = dir.resolve(name + ".p12");
            try (OutputStream out = Files.newOutputStream(file)) {
                trust.store(out, PASSWORD.toCharArray());
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A cluster CA.
     *
     * @param name its common name
     * @param keys its key pair
     * @param certificate its self-signed certificate
     * @param truststore a PKCS12 truststore file holding only the certificate
     */
    public record Ca(String name, KeyPair keys, X509Certificate certificate, Path truststore) {
    }

    private static KeyPair keyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path store(Path file, PrivateKey key, Certificate... chain) {
        try {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("member", key, PASSWORD.toCharArray(), chain);
            try (OutputStream out = Files.newOutputStream(file)) {
                keys.store(out, PASSWORD.toCharArray());
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate certificate(String subject, PublicKey key, String issuer, PrivateKey issuerKey,
            Instant notBefore, Instant notAfter, boolean ca) {
        try {
            byte[] algorithm = sequence(oid(ECDSA_WITH_SHA256));
            ByteArrayOutputStream tbs = new ByteArrayOutputStream();
            tbs.write(tlv(0xA0, integer(BigInteger.TWO))); // v3
            tbs.write(integer(new BigInteger(64, RANDOM).add(BigInteger.ONE)));
            tbs.write(algorithm);
            tbs.write(name(issuer));
            tbs.write(sequence(time(notBefore), time(notAfter)));
            tbs.write(name(subject));
            tbs.write(key.getEncoded()); // SubjectPublicKeyInfo, already DER
            if (ca) {
                byte[] basicConstraints = sequence(oid(BASIC_CONSTRAINTS), tlv(0x01, new byte[] {(byte) 0xFF}),
                        tlv(0x04, sequence(tlv(0x01, new byte[] {(byte) 0xFF}))));
                tbs.write(tlv(0xA3, sequence(basicConstraints)));
            }
            byte[] toBeSigned = tlv(0x30, tbs.toByteArray());
            Signature signer = Signature.getInstance(SIGNATURE);
            signer.initSign(issuerKey);
            signer.update(toBeSigned);
            byte[] signature = signer.sign();
            byte[] bits = new byte[signature.length + 1]; // leading 0: no unused bits
            System.arraycopy(signature, 0, bits, 1, signature.length);
            byte[] der = sequence(toBeSigned, algorithm, tlv(0x03, bits));
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] name(String commonName) throws IOException {
        byte[] attribute = sequence(oid(COMMON_NAME), tlv(0x0C, commonName.getBytes(StandardCharsets.UTF_8)));
        return sequence(tlv(0x31, attribute));
    }

    private static byte[] time(Instant instant) {
        return tlv(0x17, UTC_TIME.format(instant).getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] integer(BigInteger value) {
        return tlv(0x02, value.toByteArray());
    }

    private static byte[] oid(String dotted) throws IOException {
        String[] parts = dotted.split("\\.");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(Integer.parseInt(parts[0]) * 40 + Integer.parseInt(parts[1]));
        for (int i = 2; i < parts.length; i++) {
            long value = Long.parseLong(parts[i]);
            byte[] base128 = new byte[10];
            int n = 0;
            do {
                base128[n++] = (byte) (value & 0x7F);
                value >>>= 7;
            } while (value != 0);
            for (int j = n - 1; j >= 0; j--) {
                out.write(base128[j] | (j > 0 ? 0x80 : 0));
            }
        }
        return tlv(0x06, out.toByteArray());
    }

    private static byte[] sequence(byte[]... parts) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.write(part);
        }
        return tlv(0x30, out.toByteArray());
    }

    private static byte[] tlv(int tag, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(value.length + 6);
        out.write(tag);
        int length = value.length;
        if (length < 0x80) {
            out.write(length);
        } else {
            int bytes = (32 - Integer.numberOfLeadingZeros(length) + 7) / 8;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(length >>> (8 * i));
            }
        }
        out.write(value, 0, value.length);
        return out.toByteArray();
    }
}
