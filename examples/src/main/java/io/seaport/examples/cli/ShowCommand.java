package io.seaport.examples.cli;

import io.seaport.Role;
import io.seaport.RoleRange;
import io.seaport.Seaport;
import io.seaport.Service;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code seaport show}: prints the port map, or the services of the given roles, as a table or JSON. */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Prints the port map: role, version, address, health, member, age of every service, "
                + "or only of the given roles.")
final class ShowCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ClusterOptions clusterOptions;

    @Parameters(paramLabel = "RANGE", arity = "0..*", converter = Converters.RangeText.class,
            description = "Roles or ranges to show, such as web or web@1.x (default: every service).")
    private List<String> ranges = List.of();

    @Option(names = "--json", description = "Print a JSON array instead of a table.")
    private boolean json;

    ShowCommand() {
    }

    @Override
    public Integer call() {
        Seaport.Builder builder = clusterOptions.builder(null);
        clusterOptions.requireListeningPeer(builder.toConfig());
        List<Service> services;
        try (Seaport seaport = builder.join()) {
            Map<String, Service> byId = new LinkedHashMap<>();
            if (ranges.isEmpty()) {
                seaport.services().forEach(service -> byId.put(service.id(), service));
            }
            List<Service> all = ranges.isEmpty() ? List.of() : seaport.services();
            for (String range : ranges) {
                RoleRange parsed = RoleRange.parse(range);
                // Every health, unlike query: show is the operator's view.
                for (Service service : all) {
                    if (parsed.matches(Role.parse(service.roleAtVersion()))) {
                        byId.putIfAbsent(service.id(), service);
                    }
                }
            }
            services = new ArrayList<>(byId.values());
        }
        // Within one role the registry's order holds (highest version first); roles by name.
        services.sort(Comparator.comparing(Service::role));
        print(spec, services, json);
        if (services.isEmpty() && !json) {
            SeaportCommand.err(spec, ranges.isEmpty() ? "no services in cluster '" + builder.toConfig().cluster()
                    + "'" : "no services match " + String.join(", ", ranges));
        }
        return 0;
    }

    static void print(CommandSpec spec, List<Service> services, boolean json) {
        if (json) {
            SeaportCommand.out(spec, Json.array(services));
        } else if (!services.isEmpty()) {
            SeaportCommand.out(spec, ServiceTable.format(services, Instant.now()));
        }
    }
}
