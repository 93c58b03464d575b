package io.seaport.benchmarks;

import io.seaport.spi.SeaportConfig;
import io.seaport.testkit.net.TestHost;
import io.seaport.testkit.net.TestNetwork;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Returns how a cluster spread over hosts scales: H simulated hosts, each a Linux network
 * namespace of a {@link TestNetwork} (a private bridged subnet that exists only inside the
 * namespaces), one member JVM per host (two for the 32-member figure), each member configured as
 * on a real network: bound to its host's address at the default transport port, every host's
 * address as explicit peers (TCPPING; no multicast). The figures are {@link ScaleScenarios}'
 * (same method, same texts) in a section of their own.
 *
 * <p>Layouts: 8 and 16 hosts with one member each, then 16 hosts with two each ({@code --quick}:
 * the first two), or those given with {@code --hosts}, such as {@code 2,4x2}. Needs root and
 * iproute2's {@code ip}: {@link RunAll} skips the part with a note where
 * {@link TestNetwork#unsupportedReason()} says it cannot build namespaces. Each layout's network is
 * removed after its figures, also when they fail (and by TestNetwork's shutdown hook if the JVM
 * ends first).
 *
 * <p>Run alone with {@code benchmarks/run --only hosts}.
 */
final class HostsScenarios {
    static final String SECTION = "scale (namespace hosts, explicit peers)";
    static final List<Layout> FULL = List.of(new Layout(8, 1), new Layout(16, 1), new Layout(16, 2));
    static final List<Layout> QUICK = FULL.subList(0, 2);

    private final List<Layout> layouts;

    /** Returns scenarios for {@code layouts}. */
    HostsScenarios(List<Layout> layouts) {
        this.layouts = List.copyOf(layouts);
    }

    /** Returns the figures of every layout (a failing layout is logged and becomes a FAILED figure). */
    List<Figure> run(boolean quick) {
        ScaleScenarios scale = new ScaleScenarios(quick, SECTION);
        for (Layout layout : layouts) {
            String label = layout.label();
            TestNetwork network;
            try {
                network = TestNetwork.create(layout.hosts());
            } catch (RuntimeException e) {
                scale.failed(label, e);
                continue;
            }
            try (network) {
                scale.measure("hosts" + layout, label, layout.members(), new NamespaceHosts(network));
            }
        }
        return scale.figures();
    }

    /**
     * How many hosts and member JVMs per host: written {@code H} or {@code HxM}.
     *
     * @param hosts how many hosts (namespaces), 1..250
     * @param perHost member JVMs on each host, 1..10 (each takes the next port of the transport's span)
     */
    record Layout(int hosts, int perHost) {
        private static final Pattern TEXT = Pattern.compile("(\\d{1,3})(?:x(\\d{1,2}))?");

        Layout {
            if (hosts < 1 || hosts > 250 || perHost < 1 || perHost > SeaportConfig.TRANSPORT_PORT_SPAN) {
                throw new IllegalArgumentException("hosts must be 1..250 and members per host 1.."
                        + SeaportConfig.TRANSPORT_PORT_SPAN + ", were " + hosts + " and " + perHost);
            }
        }

        /**
         * Returns the layouts in {@code text}, such as {@code 8,16,16x2}.
         *
         * @throws IllegalArgumentException quoting {@code text} if an entry is not {@code H} or {@code HxM}
         */
        static List<Layout> parseAll(String text) {
            List<Layout> layouts = new ArrayList<>();
            for (String entry : text.split(",", -1)) {
                Matcher matcher = TEXT.matcher(entry.strip());
                if (!matcher.matches()) {
                    throw new IllegalArgumentException("--hosts takes layouts like 8,16,16x2 (hosts, or hosts x "
                            + "members per host), was '" + text + "'");
                }
                layouts.add(new Layout(Integer.parseInt(matcher.group(1)),
                        matcher.group(2) == null ? 1 : Integer.parseInt(matcher.group(2))));
            }
            return layouts;
        }

        int members() {
            return hosts * perHost;
        }

        /** Returns the start of each figure's name, such as {@code 32 members on 16 hosts (2 per host)}. */
        String label() {
            return members() + " members on " + hosts + " hosts" + (perHost == 1 ? "" : " (" + perHost + " per host)");
        }

        @Override
        public String toString() {
            return hosts + "x" + perHost;
        }
    }

    /**
     * Member {@code i} runs on host {@code i mod H} (so a host's second member is member H + i),
     * bound to the host's address at the default transport port (a second member on the host
     * takes the next port), with every host's address as its peers.
     */
    private static final class NamespaceHosts implements ScaleScenarios.Placement {
        private final List<TestHost> hosts;
        private final String peers;

        NamespaceHosts(TestNetwork network) {
            this.hosts = network.hosts();
            List<String> addresses = new ArrayList<>();
            for (TestHost host : hosts) {
                addresses.add(host.address() + ":" + SeaportConfig.DEFAULT_BIND_PORT);
            }
            this.peers = String.join(",", addresses);
        }

        private TestHost host(int index) {
            return hosts.get(index % hosts.size());
        }

        @Override
        public MemberHandle start(String name, int index) {
            return MemberHandle.start(name, host(index).commandPrefix(), ScaleScenarios.JVM_OPTIONS);
        }

        @Override
        public List<Object> join(String cluster, int index) {
            return List.of("pjoin", cluster, host(index).address(), SeaportConfig.DEFAULT_BIND_PORT, peers);
        }

        @Override
        public List<Object> warmJoin(String cluster, String range, int n) {
            return List.of("pjoin2", cluster, host(0).address(), SeaportConfig.DEFAULT_BIND_PORT, peers, range, n);
        }
    }
}
