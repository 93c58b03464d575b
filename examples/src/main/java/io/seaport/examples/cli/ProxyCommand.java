package io.seaport.examples.cli;

import io.seaport.Seaport;
import io.seaport.proxy.Balancing;
import io.seaport.proxy.SeaportProxy;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code seaport proxy}: forwards a local port to the services matching a range until stopped. */
@Command(name = "proxy", mixinStandardHelpOptions = true,
        description = "Forwards connections to a local port to the live services that match RANGE, "
                + "until stopped (Ctrl-C or SIGTERM). Prints where it listens.")
final class ProxyCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ClusterOptions clusterOptions;

    @Parameters(index = "0", paramLabel = "RANGE", converter = Converters.RangeText.class,
            description = "The services to forward to, such as couchdb@3.x.")
    private String range;

    @Option(names = "--port", paramLabel = "PORT", required = true, converter = Converters.ListenPort.class,
            description = "The local port to listen on; 0 picks a free one.")
    private int port;

    @Option(names = "--listen", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "The address to listen on (default: ${DEFAULT-VALUE}, this machine only).")
    private String listen;

    @Option(names = "--balancing", paramLabel = "HOW", defaultValue = "round_robin",
            description = "How each connection picks a service: round_robin (default), random or first.")
    private Balancing balancing;

    @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "10", converter = Converters.Seconds.class,
            description = "How long a connection waits for a matching service when none is live (default: 10).")
    private Duration wait;

    ProxyCommand() {
    }

    @Override
    public Integer call() {
        Seaport.Builder builder = clusterOptions.builder(null);
        String missing = clusterOptions.missingPeer(builder.toConfig());
        Seaport seaport = builder.join();
        SeaportProxy proxy;
        try {
            SeaportProxy.Builder proxyBuilder = SeaportProxy.builder(seaport).range(range).port(port)
                    .balancing(balancing).waitTimeout(wait);
            try {
                proxyBuilder.bindAddress(listen);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), Errors.oneLine(e.getMessage()));
            }
            proxy = proxyBuilder.build();
        } catch (RuntimeException e) {
            seaport.close();
            throw e;
        }
        String where = proxy.bindAddress().getHostAddress() + ":" + proxy.port();
        SeaportCommand.out(spec, "forwarding " + where + " to " + range + " in cluster '" + seaport.cluster()
                + "' (Ctrl-C to stop)");
        if (missing != null) {
            SeaportCommand.err(spec, "note: no other member is running yet; connections wait up to "
                    + wait.toMillis() / 1000.0 + " s for " + range);
        }
        UntilStopped.await(() -> {
            proxy.close();
            seaport.close();
        });
        return 0;
    }
}
