package io.seaport.examples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code seaport keygen}: makes the PKCS12 files for TLS between members, in either mode. Files are
 * readable by their owner only; an existing file is never overwritten.
 */
@Command(name = "keygen", mixinStandardHelpOptions = true,
        description = "Makes TLS keys for the cluster transport (PKCS12, EC P-256, owner-only files).",
        subcommands = {KeygenCommand.Shared.class, KeygenCommand.Ca.class, KeygenCommand.Member.class,
            KeygenCommand.Trust.class},
        footer = {"%nShared-key mode: 'seaport keygen shared --out cluster.p12', copy cluster.p12 and its password "
                + "file to every member, join with --tls-keystore cluster.p12 --tls-password-file cluster.p12.password.",
            "CA mode: 'seaport keygen ca --out ca.p12 --truststore truststore.p12' once (keep ca.p12 off the members), "
                + "then 'seaport keygen member --ca ca.p12 --name NAME --out NAME.p12' per member; join with "
                + "--tls-keystore NAME.p12 --tls-password-file ca.p12.password --tls-truststore truststore.p12.",
            "Key rotation: 'seaport keygen trust --truststore rollover.p12 --add OLD.p12 --add NEW.p12' makes a "
                + "truststore trusting both; see the README's Security section for the three rolling restarts."})
final class KeygenCommand implements Callable<Integer> {
    /** The variable that may hold the password, as for joining. */
    static final String PASSWORD_VARIABLE = "SEAPORT_TLS_PASSWORD";
    private static final int DEFAULT_DAYS = 825;

    @Spec
    private CommandSpec spec;

    KeygenCommand() {
    }

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing mode: shared, ca, member or trust");
    }

    /** The options every mode shares. */
    static final class Common {
        @Option(names = "--password-file", paramLabel = "FILE",
                description = "File whose first line is the password of the files made (default: "
                        + PASSWORD_VARIABLE + ", else a new random password written to OUT.password).")
        Path passwordFile;

        @Option(names = "--days", paramLabel = "DAYS", defaultValue = "" + DEFAULT_DAYS,
                description = "Certificate validity in days (default: ${DEFAULT-VALUE}).")
        int days;

        /** Returns the password from the file or the variable, or null if neither is given. */
        char[] givenPassword(CommandSpec spec) {
            if (passwordFile != null) {
                return readPassword(spec, passwordFile);
            }
            String variable = System.getenv(PASSWORD_VARIABLE);
            return variable == null || variable.isEmpty() ? null : variable.toCharArray();
        }
    }

    /** {@code seaport keygen shared}. */
    @Command(name = "shared", mixinStandardHelpOptions = true,
            description = "Makes one key with a self-signed certificate: whoever holds the file can join.")
    static final class Shared implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @picocli.CommandLine.Mixin
        private Common common = new Common();

        @Option(names = "--out", paramLabel = "FILE", required = true, description = "The PKCS12 file to create.")
        private Path out;

        @Option(names = "--name", paramLabel = "NAME", defaultValue = "seaport-cluster",
                description = "The certificate's common name (default: ${DEFAULT-VALUE}).")
        private String name;

        @Override
        public Integer call() {
            char[] password = passwordOrNew(spec, common, out);
            run(spec, () -> new KeyMaterial(password, common.days).sharedKey(out, name));
            PrintWriter printed = spec.commandLine().getOut();
            printed.println("wrote " + out + " (shared key, CN=" + name + ", " + common.days + " days)");
            printed.println("join with: --tls-keystore " + out + " --tls-password-file " + passwordHint(common, out));
            printed.flush();
            return 0;
        }
    }

    /** {@code seaport keygen ca}. */
    @Command(name = "ca", mixinStandardHelpOptions = true,
            description = "Makes a cluster CA (keep its file off the members) and the members' truststore.")
    static final class Ca implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @picocli.CommandLine.Mixin
        private Common common = new Common();

        @Option(names = "--out", paramLabel = "FILE", required = true, description = "The CA's PKCS12 file to create.")
        private Path out;

        @Option(names = "--truststore", paramLabel = "FILE", required = true,
                description = "The truststore to create, holding only the CA's certificate; every member gets it.")
        private Path truststore;

        @Option(names = "--name", paramLabel = "NAME", defaultValue = "seaport-cluster-ca",
                description = "The CA's common name (default: ${DEFAULT-VALUE}).")
        private String name;

        @Override
        public Integer call() {
            char[] password = passwordOrNew(spec, common, out);
            run(spec, () -> new KeyMaterial(password, common.days).ca(out, truststore, name));
            PrintWriter printed = spec.commandLine().getOut();
            printed.println("wrote " + out + " (CA key, CN=" + name + ") and " + truststore + " (its certificate)");
            printed.println("next: seaport keygen member --ca " + out + " --name NAME --out NAME.p12");
            printed.flush();
            return 0;
        }
    }

    /** {@code seaport keygen member}. */
    @Command(name = "member", mixinStandardHelpOptions = true,
            description = "Makes a member key signed by the cluster CA, with the same password as the CA.")
    static final class Member implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @picocli.CommandLine.Mixin
        private Common common = new Common();

        @Option(names = "--ca", paramLabel = "FILE", required = true, description = "The CA's PKCS12 file.")
        private Path ca;

        @Option(names = "--name", paramLabel = "NAME", required = true, description = "The member's common name.")
        private String name;

        @Option(names = "--out", paramLabel = "FILE", required = true, description = "The PKCS12 file to create.")
        private Path out;

        @Override
        public Integer call() {
            char[] password = common.givenPassword(spec);
            Path caPassword = passwordFileOf(ca);
            if (password == null) {
                if (!Files.isRegularFile(caPassword)) {
                    throw new ParameterException(spec.commandLine(), "no password: pass --password-file (the CA's), set "
                            + PASSWORD_VARIABLE + ", or keep '" + caPassword + "' next to the CA");
                }
                password = readPassword(spec, caPassword);
            }
            char[] chosen = password;
            run(spec, () -> new KeyMaterial(chosen, common.days).memberKey(out, ca, name));
            PrintWriter printed = spec.commandLine().getOut();
            printed.println("wrote " + out + " (CN=" + name + ", signed by " + ca + ")");
            printed.flush();
            return 0;
        }
    }

    /** {@code seaport keygen trust}. */
    @Command(name = "trust", mixinStandardHelpOptions = true,
            description = {"Creates or updates a truststore: adds or removes the trust anchors of key files "
                    + "(a shared key's certificate, a CA's certificate, a member key's CA), or lists them.",
                "For key rotation: trust old and new during the rollover, then remove the old."})
    static final class Trust implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @Option(names = "--truststore", paramLabel = "FILE", required = true,
                description = "The truststore to create or update (replaced atomically, owner-only).")
        private Path truststore;

        @Option(names = "--add", paramLabel = "FILE", description = "A PKCS12 file whose anchors to trust (repeatable).")
        private List<Path> add = new ArrayList<>();

        @Option(names = "--remove", paramLabel = "FILE",
                description = "A PKCS12 file whose anchors to stop trusting (repeatable).")
        private List<Path> remove = new ArrayList<>();

        @Option(names = "--password-file", paramLabel = "FILE",
                description = "File whose first line is the truststore's password (default: " + PASSWORD_VARIABLE
                        + ", else TRUSTSTORE.password, else a new random one written there). Files added or "
                        + "removed are read with it, or with FILE.password beside them.")
        private Path passwordFile;

        @Override
        public Integer call() {
            char[] password = password();
            PrintWriter printed = spec.commandLine().getOut();
            List<X509Certificate> anchors;
            if (add.isEmpty() && remove.isEmpty()) {
                anchors = new ArrayList<>();
                run(spec, () -> anchors.addAll(KeyMaterial.anchorsOf(truststore, password)));
                printed.println(truststore + " trusts " + anchors.size() + " certificate(s):");
            } else {
                anchors = new ArrayList<>();
                run(spec, () -> anchors.addAll(new KeyMaterial(password, DEFAULT_DAYS).trust(truststore, add, remove)));
                printed.println("wrote " + truststore + ": it trusts " + anchors.size() + " certificate(s):");
            }
            for (X509Certificate anchor : anchors) {
                printed.println("  " + anchor.getSubjectX500Principal().getName() + "  SHA-256 "
                        + KeyMaterial.fingerprint(anchor).substring(0, 16) + "...  valid until "
                        + anchor.getNotAfter().toInstant());
            }
            printed.flush();
            return 0;
        }

        private char[] password() {
            if (passwordFile != null) {
                return readPassword(spec, passwordFile);
            }
            String variable = System.getenv(PASSWORD_VARIABLE);
            if (variable != null && !variable.isEmpty()) {
                return variable.toCharArray();
            }
            Path beside = passwordFileOf(truststore);
            if (Files.isRegularFile(beside)) {
                return readPassword(spec, beside);
            }
            if (Files.exists(truststore) || add.isEmpty()) {
                throw new ParameterException(spec.commandLine(), "no password for '" + truststore + "': pass "
                        + "--password-file, set " + PASSWORD_VARIABLE + ", or keep '" + beside + "' next to it");
            }
            char[] fresh = KeyMaterial.randomPassword();
            run(spec, () -> KeyMaterial.writePassword(beside, fresh));
            spec.commandLine().getOut().println("wrote " + beside + " (a new random password)");
            return fresh;
        }
    }

    private static char[] passwordOrNew(CommandSpec spec, Common common, Path out) {
        char[] given = common.givenPassword(spec);
        if (given != null) {
            return given;
        }
        char[] fresh = KeyMaterial.randomPassword();
        run(spec, () -> KeyMaterial.writePassword(passwordFileOf(out), fresh));
        spec.commandLine().getOut().println("wrote " + passwordFileOf(out) + " (a new random password)");
        return fresh;
    }

    private static String passwordHint(Common common, Path out) {
        return common.passwordFile != null ? common.passwordFile.toString() : passwordFileOf(out).toString();
    }

    /** Returns where a generated password of {@code keystore} is written: {@code keystore.password}. */
    static Path passwordFileOf(Path keystore) {
        return keystore.resolveSibling(keystore.getFileName() + ".password");
    }

    /** Returns the first line of {@code file}, or a usage error naming it. */
    static char[] readPassword(CommandSpec spec, Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (lines.isEmpty() || lines.get(0).isEmpty()) {
                throw new ParameterException(spec.commandLine(), "password file '" + file + "' is empty");
            }
            return lines.get(0).toCharArray();
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "cannot read password file '" + file + "': " + e.getMessage());
        }
    }

    private static void run(CommandSpec spec, Runnable action) {
        try {
            action.run();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), Errors.oneLine(e.getMessage()));
        } catch (UncheckedIOException | IllegalStateException e) {
            throw new IllegalStateException(Errors.oneLine(e.getMessage()), e);
        }
    }
}
