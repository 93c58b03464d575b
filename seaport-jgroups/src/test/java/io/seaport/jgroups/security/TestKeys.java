package io.seaport.jgroups.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Makes PKCS12 key material for the TLS tests with the JDK's own keytool (run from
 * {@code java.home/bin}), the way an operator would: a shared self-signed key, a CA with its
 * truststore, and member keys signed by a CA. The password goes to keytool through an
 * environment variable, never on its command line.
 */
final class TestKeys {
    static final String PASSWORD = "test-secret-1";
    private static final String PASSWORD_VARIABLE = "SEAPORT_TEST_STOREPASS";

    private final Path dir;

    TestKeys(Path dir) {
        this.dir = dir;
    }

    /** Returns a new PKCS12 file holding one self-signed EC key, valid {@code days} from {@code start}. */
    Path selfSigned(String name, String start, int days) {
        Path file = dir.resolve(name + ".p12");
        List<String> args = new ArrayList<>(List.of("-genkeypair", "-alias", "member", "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=" + name, "-validity", Integer.toString(days)));
        if (start != null) {
            args.addAll(List.of("-startdate", start));
        }
        keytool(file, args);
        return file;
    }

    /** Returns a new PKCS12 file holding one self-signed EC key valid for a year. */
    Path selfSigned(String name) {
        return selfSigned(name, null, 365);
    }

    /** Returns a CA: its keystore (with the CA key) and a truststore holding only its certificate. */
    Ca ca(String name) {
        Path keystore = dir.resolve(name + "-ca.p12");
        keytool(keystore, List.of("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=" + name, "-validity", "365", "-ext", "bc:c"));
        Path pem = dir.resolve(name + "-ca.pem");
        keytool(keystore, List.of("-exportcert", "-rfc", "-alias", "ca", "-file", pem.toString()));
        Path truststore = dir.resolve(name + "-truststore.p12");
        keytool(truststore, List.of("-importcert", "-noprompt", "-alias", "ca", "-file", pem.toString()));
        return new Ca(keystore, pem, truststore);
    }

    /** Returns a new PKCS12 file holding a member key whose certificate {@code ca} signed, with the chain. */
    Path signedBy(Ca ca, String name) {
        Path file = dir.resolve(name + ".p12");
        keytool(file, List.of("-genkeypair", "-alias", "member", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=" + name, "-validity", "365"));
        Path request = dir.resolve(name + ".csr");
        keytool(file, List.of("-certreq", "-alias", "member", "-file", request.toString()));
        Path reply = dir.resolve(name + ".crt");
        keytool(ca.keystore(), List.of("-gencert", "-alias", "ca", "-rfc", "-validity", "365",
                "-infile", request.toString(), "-outfile", reply.toString()));
        keytool(file, List.of("-importcert", "-noprompt", "-alias", "ca", "-file", ca.certificate().toString()));
        keytool(file, List.of("-importcert", "-noprompt", "-alias", "member", "-file", reply.toString()));
        return file;
    }

    /** A cluster CA: its own keystore, its certificate (PEM) and the truststore members use. */
    record Ca(Path keystore, Path certificate, Path truststore) {
    }

    private static void keytool(Path store, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(args);
        command.addAll(List.of("-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass:env", PASSWORD_VARIABLE));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put(PASSWORD_VARIABLE, PASSWORD);
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + command + "\n" + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running keytool", e);
        }
        if (!Files.exists(store)) {
            throw new IllegalStateException("keytool did not create " + store);
        }
    }
}
