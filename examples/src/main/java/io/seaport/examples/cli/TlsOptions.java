package io.seaport.examples.cli;

import io.seaport.Seaport;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The TLS options of every command that joins a cluster. Left out, {@link Seaport.Builder} reads
 * {@code seaport.tls.*} / {@code SEAPORT_TLS_*} itself. Prefer the password files: a password
 * given on the command line is visible to other users of the machine in the process list.
 */
final class TlsOptions {
    @Option(names = "--tls-keystore", paramLabel = "FILE",
            description = "PKCS12 file with this member's key; turns TLS on (default: seaport.tls.keystore / SEAPORT_TLS_KEYSTORE).")
    private Path keystore;

    @Option(names = "--tls-password-file", paramLabel = "FILE",
            description = "File whose first line is the keystore's password (default: seaport.tls.password / SEAPORT_TLS_PASSWORD).")
    private Path passwordFile;

    @Option(names = "--tls-password", paramLabel = "PASSWORD", arity = "0..1", interactive = true,
            description = "The keystore's password; without a value it is asked for on the terminal.")
    private char[] password;

    @Option(names = "--tls-truststore", paramLabel = "FILE",
            description = "PKCS12 file with the trusted CA certificate (CA mode); without it the keystore's own "
                    + "certificate is the only one trusted (shared-key mode).")
    private Path truststore;

    @Option(names = "--tls-truststore-password-file", paramLabel = "FILE",
            description = "File whose first line is the truststore's password (default: the keystore's).")
    private Path truststorePasswordFile;

    TlsOptions() {
    }

    /**
     * Applies these options to {@code builder}; does nothing if no TLS option was given.
     *
     * @param builder the builder
     * @param spec the command, for usage errors
     * @throws ParameterException if the options are incomplete or a file cannot be read
     * @throws IllegalArgumentException if the builder refuses a file
     */
    void applyTo(Seaport.Builder builder, CommandSpec spec) {
        if (keystore == null) {
            if (passwordFile != null || password != null || truststore != null || truststorePasswordFile != null) {
                throw new ParameterException(spec.commandLine(), "TLS options need --tls-keystore FILE");
            }
            return;
        }
        char[] keyPassword = password != null ? password
                : passwordFile != null ? KeygenCommand.readPassword(spec, passwordFile) : passwordFromEnvironment();
        if (keyPassword == null) {
            throw new ParameterException(spec.commandLine(), "--tls-keystore '" + keystore
                    + "' needs its password: --tls-password-file FILE, --tls-password, or " + KeygenCommand.PASSWORD_VARIABLE);
        }
        if (truststore == null) {
            builder.tls(keystore, keyPassword);
        } else {
            char[] trustPassword = truststorePasswordFile != null
                    ? KeygenCommand.readPassword(spec, truststorePasswordFile) : keyPassword;
            builder.tls(keystore, keyPassword, truststore, trustPassword);
        }
    }

    private static char[] passwordFromEnvironment() {
        String property = System.getProperty("seaport.tls.password");
        String value = property != null ? property : System.getenv(KeygenCommand.PASSWORD_VARIABLE);
        return value == null || value.isEmpty() ? null : value.toCharArray();
    }
}
