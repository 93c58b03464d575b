package io.seaport.examples.cli;

import io.seaport.HealthCheck;
import io.seaport.Registration;
import io.seaport.Seaport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code seaport register}: keeps a service registered while it runs, either one that already
 * listens ({@code --port}) or a command it runs on an allocated port ({@code -- CMD ARGS...}).
 */
@Command(name = "register", mixinStandardHelpOptions = true,
        customSynopsis = {
            "seaport register [OPTIONS] ROLE --port PORT [--host HOST] [--meta K=V]... [--check CHECK]",
            "       seaport register [OPTIONS] ROLE [--meta K=V]... [--check CHECK] -- COMMAND [ARGS...]"
        },
        description = {
            "Registers ROLE until stopped (Ctrl-C or SIGTERM), then frees it.",
            "With --port: a service that already listens on PORT of this host.",
            "With -- COMMAND: allocates a port and runs COMMAND with it ({port} in ARGS is replaced by "
                    + "the port; PORT, SEAPORT_PORT and SEAPORT_ROLE are set in its environment), registers it "
                    + "once the port accepts connections, frees it when the command exits, restarts the command "
                    + "after 1 s, 2 s, 4 s ... up to 30 s, and stops the command when stopped itself.",
            "While registered, a --check runs every --check-interval; a service failing it is left out of "
                    + "queries until it passes again. When stopped, it is first marked draining for --drain "
                    + "seconds (no new clients), then freed."
        })
final class RegisterCommand implements Callable<Integer> {
    private static final Duration GRACE = Duration.ofSeconds(10);

    @Spec
    private CommandSpec spec;

    @Mixin
    private ClusterOptions clusterOptions;

    @Parameters(index = "0", paramLabel = "ROLE", converter = Converters.RoleText.class,
            description = "The role to register, such as web@1.2.0 or 'http server'.")
    private String role;

    @Parameters(index = "1..*", paramLabel = "COMMAND", arity = "0..*",
            description = "The command to run after --, with its arguments.")
    private List<String> command;

    @Option(names = "--port", paramLabel = "PORT", converter = Converters.Port.class,
            description = "The port the service already listens on.")
    private Integer port;

    @Option(names = "--host", paramLabel = "HOST",
            description = "The host peers are told to connect to (default: seaport.host / SEAPORT_HOST, "
                    + "else the bind address).")
    private String host;

    @Option(names = "--meta", paramLabel = "KEY=VALUE",
            description = "Metadata published with the service; repeatable.")
    private Map<String, String> metadata;

    @Option(names = "--publish-when", paramLabel = "WHEN", defaultValue = "listening",
            description = "With a command: publish when its port is 'listening' (default) or as soon as it has 'started'.")
    private Supervisor.PublishWhen publishWhen;

    @Option(names = "--check", paramLabel = "CHECK", converter = Converters.CheckText.class,
            description = "Health check: tcp (connect to the port), http:/PATH (GET it, 2xx passes) or none. "
                    + "Default: tcp with a command that publishes when listening, else none.")
    private String check;

    @Option(names = "--check-interval", paramLabel = "SECONDS", converter = Converters.Seconds.class,
            defaultValue = "1", description = "Time between two probes of --check (default: ${DEFAULT-VALUE} s).")
    private Duration checkInterval;

    @Option(names = "--drain", paramLabel = "SECONDS", converter = Converters.Seconds.class,
            defaultValue = "1", description = "When stopped, how long the service stays registered as draining "
                    + "before it is freed (default: ${DEFAULT-VALUE} s).")
    private Duration drain;

    RegisterCommand() {
    }

    /** Returns the check to attach, or null for none. */
    private HealthCheck healthCheck(boolean runs) {
        String kind = check != null ? check
                : runs && publishWhen == Supervisor.PublishWhen.LISTENING ? "tcp" : "none";
        try {
            return switch (kind) {
                case "none" -> null;
                case "tcp" -> HealthCheck.tcp(checkInterval);
                default -> HealthCheck.http(kind, checkInterval);
            };
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "invalid --check-interval: " + e.getMessage());
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        boolean runs = command != null && !command.isEmpty();
        if (runs == (port != null)) {
            throw new ParameterException(spec.commandLine(), runs
                    ? "give either --port PORT or -- COMMAND, not both"
                    : "missing --port PORT or -- COMMAND: say where the service listens, or what to run");
        }
        Seaport.Builder builder = clusterOptions.builder(null);
        if (host != null) {
            try {
                builder.host(host);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), Errors.oneLine(e.getMessage()));
            }
        }
        String probeHost = builder.toConfig().effectiveHost();
        HealthCheck healthCheck = healthCheck(runs);
        Map<String, String> meta = metadata == null ? Map.of() : new LinkedHashMap<>(metadata);
        Seaport seaport = builder.join();
        try {
            return runs ? supervise(seaport, meta, probeHost, healthCheck)
                    : registerListening(seaport, meta, probeHost, healthCheck);
        } finally {
            seaport.close(); // reached only on failure or after the shutdown hook began
        }
    }

    private int registerListening(Seaport seaport, Map<String, String> meta, String probeHost,
                                  HealthCheck healthCheck) {
        Registration registration = seaport.register(role, port, meta);
        if (healthCheck != null) {
            registration.check(healthCheck);
        }
        if (!accepts(probeHost, port)) {
            SeaportCommand.err(spec, "note: nothing accepts connections at " + registration.service().address()
                    + " yet; registered anyway");
        }
        SeaportCommand.out(spec, "registered " + registration.service().roleAtVersion() + " at "
                + registration.service().address() + " in cluster '" + seaport.cluster() + "' as "
                + seaport.member() + " (Ctrl-C to free it)" + (healthCheck == null ? "" : "; check: " + healthCheck));
        UntilStopped.await(() -> {
            registration.drain(drain);
            seaport.close();
            SeaportCommand.out(spec, "freed " + registration.service().roleAtVersion());
        });
        return 0;
    }

    private int supervise(Seaport seaport, Map<String, String> meta, String probeHost, HealthCheck healthCheck)
            throws InterruptedException {
        Supervisor supervisor = new Supervisor(seaport, role, meta, command, publishWhen, probeHost,
                line -> SeaportCommand.out(spec, "seaport: " + line), healthCheck, drain);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            supervisor.stop(GRACE);
            seaport.close();
        }, "seaport-cli-shutdown"));
        try {
            supervisor.run();
        } catch (UncheckedIOException e) {
            // The program could not be started at all: a mistake in the command line.
            throw new ParameterException(spec.commandLine(), Errors.oneLine(e.getMessage()));
        }
        return 0;
    }

    private static boolean accepts(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 1000);
            return true;
        } catch (IOException e) {
            return false; // reported as a note: a sidecar may register before its service listens
        }
    }
}
