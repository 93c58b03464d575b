package io.seaport.testkit.net;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Assumptions;

/**
 * A real DNS server (dnsmasq) inside one host of a {@link TestNetwork}, answering only for the
 * names it is given (no upstream, no /etc/hosts), listening only on that host's address, port 53
 * of its namespace. Like a Kubernetes headless service, a name can have several A records.
 *
 * <pre>{@code
 * TestDns.assumeAvailable();
 * try (TestDns dns = TestDns.start(network.host(1), Map.of("seaport.test", List.of("10.213.7.1", "10.213.7.2")))) {
 *     ... members with -Dseaport.dns.query=seaport.test -Dseaport.dns.server=dns.address()
 * }
 * }</pre>
 *
 * <p>Needs the {@code dnsmasq} program (Debian package {@code dnsmasq-base}, which installs no
 * service); {@link #assumeAvailable()} skips the test with a message where it is missing.
 * {@link #close()} kills it and removes its hosts file. Thread-safe.
 */
public final class TestDns implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final TestHost host;
    private final Process process;
    private final Path directory;
    private final List<String> output = new CopyOnWriteArrayList<>();

    private TestDns(TestHost host, Process process, Path directory) {
        this.host = host;
        this.process = process;
        this.directory = directory;
    }

    /** Skips the calling test unless namespaces can be built and {@code dnsmasq} is installed. */
    public static void assumeAvailable() {
        TestNetwork.assumeSupported();
        Optional<Path> program = program();
        Assumptions.assumeTrue(program.isPresent(),
                "skipped: no dnsmasq program (install the Debian package dnsmasq-base; .ci/run does)");
    }

    private static Optional<Path> program() {
        for (String dir : List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/local/sbin")) {
            Path candidate = Path.of(dir, "dnsmasq");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * Returns a DNS server running in {@code host}'s namespace on its address, port 53, that
     * answers {@code records} (name to its IPv4 addresses) and nothing else.
     *
     * @param host where it runs and listens
     * @param records the A records
     * @return the started server
     * @throws IllegalStateException if it does not start within 30 s, with its output
     */
    public static TestDns start(TestHost host, Map<String, List<String>> records) {
        Path program = program().orElseThrow(() -> new IllegalStateException("no dnsmasq program"));
        Path directory;
        try {
            directory = Files.createTempDirectory("seaport-dns-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
            StringBuilder hosts = new StringBuilder();
            records.forEach((name, addresses) -> addresses.forEach(a -> hosts.append(a).append(' ').append(name)
                    .append('\n')));
            Files.writeString(directory.resolve("hosts"), hosts.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the DNS records", e);
        }
        List<String> command = new ArrayList<>(host.commandPrefix());
        command.addAll(List.of(program.toString(),
                "--keep-in-foreground", "--log-facility=-", "--conf-file=/dev/null", "--pid-file",
                "--no-resolv", "--no-hosts", "--addn-hosts=" + directory.resolve("hosts"),
                "--listen-address=" + host.address(), "--bind-interfaces", "--port=53", "--user=root",
                "--local-ttl=1", "--log-queries"));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
        TestDns dns = new TestDns(host, process, directory);
        dns.awaitStarted(records.size());
        return dns;
    }

    private void awaitStarted(int names) {
        CompletableFuture<Void> started = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    output.add(line);
                    if (line.contains("read " + directory.resolve("hosts"))) {
                        started.complete(null);
                    }
                }
            } catch (IOException e) {
                started.completeExceptionally(e);
            }
            started.completeExceptionally(new IllegalStateException("dnsmasq exited"));
        }, "test-dns-" + host.name());
        reader.setDaemon(true);
        reader.start();
        try {
            started.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            close();
            throw new IllegalStateException("dnsmasq did not serve " + names + " names within " + START_TIMEOUT
                    + ": " + String.join("\n", output), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * Returns the server's address for {@code seaport.dns.server}.
     *
     * @return the host's address (port 53)
     */
    public String address() {
        return host.address();
    }

    /**
     * Returns the lines dnsmasq printed, such as the queries it answered.
     *
     * @return a snapshot of its output
     */
    public List<String> output() {
        return List.copyOf(output);
    }

    /** Stops the server and removes its files. Idempotent. */
    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Files.deleteIfExists(directory.resolve("hosts"));
            Files.deleteIfExists(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + directory, e);
        }
    }
}
