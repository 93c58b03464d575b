package io.seaport.examples.cli;

import io.seaport.Seaport;
import io.seaport.spi.PeerAddress;
import io.seaport.spi.SeaportConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The options that say which cluster a command joins. An option left out is read by
 * {@link Seaport.Builder} from its system property or environment variable, then defaulted.
 */
final class ClusterOptions {
    /** How long a probe of one peer port may take; loopback answers at once. */
    private static final int PROBE_TIMEOUT_MILLIS = 300;

    @Spec(Spec.Target.MIXEE)
    private CommandSpec spec;

    @Option(names = "--cluster", paramLabel = "NAME",
            description = "Cluster to join (default: seaport.cluster / SEAPORT_CLUSTER).")
    private String cluster;

    @Option(names = "--env", paramLabel = "NAME",
            description = "Environment to use (default: seaport.environment / SEAPORT_ENVIRONMENT, else 'default').")
    private String environment;

    @Option(names = "--peers", paramLabel = "HOST[:PORT]", split = ",",
            description = "Members to contact, comma-separated; HOST:PORT probes PORT..PORT+10 "
                    + "(default: seaport.peers / SEAPORT_PEERS, else the members of this host, found in "
                    + "the discovery directory).")
    private List<String> peers;

    @Option(names = "--bind", paramLabel = "ADDRESS",
            description = "Address the cluster transport binds to (default: seaport.bind / SEAPORT_BIND, else 127.0.0.1).")
    private String bind;

    @Option(names = "--bind-port", paramLabel = "PORT", converter = Converters.Port.class,
            description = "First transport port, the span is PORT..PORT+10 "
                    + "(default: seaport.bind.port / SEAPORT_BIND_PORT, else 7800 with --peers, else any free port).")
    private Integer bindPort;

    @Option(names = "--site", paramLabel = "NAME",
            description = "Site (data centre) of this cluster, bridged to other sites "
                    + "(default: seaport.site / SEAPORT_SITE, else not bridged).")
    private String site;

    @Option(names = "--bridge-port", paramLabel = "PORT", converter = Converters.Port.class,
            description = "First port of the bridge between sites, the span is PORT..PORT+10 "
                    + "(default: seaport.bridge.port / SEAPORT_BRIDGE_PORT, else 7700).")
    private Integer bridgePort;

    @Option(names = "--bridge-peers", paramLabel = "HOST[:PORT]", split = ",",
            description = "Site master candidates of every site, comma-separated; makes this member one "
                    + "(default: seaport.bridge.peers / SEAPORT_BRIDGE_PEERS, else none).")
    private List<String> bridgePeers;

    @Mixin
    private TlsOptions tls = new TlsOptions();

    ClusterOptions() {
    }

    /**
     * Returns a builder with these options applied; a bad value is a usage error.
     *
     * @param defaultCluster the cluster to join unless {@code --cluster} is given (it wins over
     *     {@code seaport.cluster} and {@code SEAPORT_CLUSTER}), or null to take those or require one
     * @return the builder
     */
    Seaport.Builder builder(String defaultCluster) {
        Seaport.Builder builder = Seaport.builder();
        try {
            if (cluster != null) {
                builder.cluster(cluster);
            }
            if (environment != null) {
                builder.environment(environment);
            }
            if (peers != null) {
                builder.peers(peers.toArray(String[]::new));
            }
            if (bind != null) {
                builder.bindAddress(bind);
            }
            if (bindPort != null) {
                builder.bindPort(bindPort);
            }
            if (site != null) {
                builder.site(site);
            }
            if (bridgePort != null) {
                builder.bridgePort(bridgePort);
            }
            if (bridgePeers != null) {
                builder.bridgePeers(bridgePeers.toArray(String[]::new));
            }
            tls.applyTo(builder, spec);
            if (cluster == null && defaultCluster != null) {
                builder.cluster(defaultCluster);
            }
            builder.toConfig(); // reads and checks the properties and variables now
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), Errors.oneLine(e.getMessage()));
        } catch (IllegalStateException e) {
            throw new ParameterException(spec.commandLine(),
                    "no cluster given: pass --cluster NAME, or set SEAPORT_CLUSTER or -Dseaport.cluster");
        }
        return builder;
    }

    /**
     * Checks that some process listens at one of the peer ports, so that a command that only reads
     * the map does not report an empty cluster when the user pointed at the wrong place.
     *
     * @param config the settings the command joins with
     * @throws ParameterException if no peer port accepts a connection
     */
    void requireListeningPeer(SeaportConfig config) {
        String missing = missingPeer(config);
        if (missing != null) {
            throw new ParameterException(spec.commandLine(), missing);
        }
    }

    /**
     * Returns why no member can be found at the peers, or null if some port there accepts connections.
     *
     * @param config the settings the command joins with
     * @return a one-line explanation, or null
     */
    String missingPeer(SeaportConfig config) {
        if (config.stack().isPresent()) {
            return null; // a custom stack discovers members its own way
        }
        if (config.peers().isEmpty() && config.bindPort().isEmpty()) {
            return missingInDirectory(config);
        }
        List<PeerAddress> candidates = config.peers().isEmpty()
                ? List.of(new PeerAddress(config.effectiveBindAddress(), config.effectiveBindPort()))
                : config.peers();
        List<String> tried = new ArrayList<>();
        for (PeerAddress peer : candidates) {
            int first = peer.portOr(config.effectiveBindPort());
            int last = Math.min(65535, first + SeaportConfig.TRANSPORT_PORT_SPAN);
            tried.add(new PeerAddress(peer.host(), first) + ".." + last);
            for (int port = first; port <= last; port++) {
                if (accepts(peer.host(), port)) {
                    return null;
                }
            }
        }
        return "no Seaport member of cluster '" + config.cluster() + "' is listening at " + String.join(", ", tried)
                + ": start one, or point --peers/--bind-port at a running member";
    }

    /**
     * With the default discovery, members of this host list themselves in a directory of the
     * user's (the JGroups provider's {@code DirectoryPing}: {@code seaport.discovery.dir}, else
     * {@code seaport-<user>} in the temporary directory; one subdirectory per cluster, hashed when
     * the name is not a plain file name, which then is not checked here).
     */
    private static String missingInDirectory(SeaportConfig config) {
        String configured = System.getProperty("seaport.discovery.dir", System.getenv("SEAPORT_DISCOVERY_DIR"));
        Path root = configured != null && !configured.isBlank() ? Path.of(configured)
                : Path.of(System.getProperty("java.io.tmpdir"), "seaport-" + System.getProperty("user.name"));
        if (!config.cluster().matches("[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}")) {
            return null;
        }
        Path directory = root.resolve(config.cluster());
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.list")) {
            if (files.iterator().hasNext()) {
                return null;
            }
        } catch (IOException e) {
            // no directory: nobody of this cluster ever ran on this host
        }
        return "no Seaport member of cluster '" + config.cluster() + "' runs on this host (nothing in " + directory
                + "): start one, or point --peers/--bind-port at a running member";
    }

    private static boolean accepts(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), PROBE_TIMEOUT_MILLIS);
            return true;
        } catch (IOException e) {
            return false; // nothing listens there: try the next port
        }
    }
}
