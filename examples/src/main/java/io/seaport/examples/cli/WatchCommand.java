package io.seaport.examples.cli;

import io.seaport.Health;
import io.seaport.Seaport;
import io.seaport.Service;
import io.seaport.ServiceEvent;
import io.seaport.Subscription;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code seaport watch}: prints a line per registration and free until stopped. */
@Command(name = "watch", mixinStandardHelpOptions = true,
        description = "Prints one line per service registered or freed, as it happens, until stopped "
                + "(Ctrl-C or SIGTERM). Services present when it starts come first, as registered.")
final class WatchCommand implements Callable<Integer> {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    @Spec
    private CommandSpec spec;

    @Mixin
    private ClusterOptions clusterOptions;

    @Parameters(paramLabel = "RANGE", arity = "0..*", converter = Converters.RangeText.class,
            description = "Roles or ranges to watch, such as web or web@1.x (default: every service).")
    private List<String> ranges = List.of();

    @Option(names = "--json", description = "Print each event as a JSON object on one line.")
    private boolean json;

    WatchCommand() {
    }

    @Override
    public Integer call() {
        Seaport.Builder builder = clusterOptions.builder(null);
        String missing = clusterOptions.missingPeer(builder.toConfig());
        Seaport seaport = builder.join();
        List<Subscription> subscriptions = new ArrayList<>();
        try {
            if (ranges.isEmpty()) {
                subscriptions.add(seaport.watchAll(this::print));
            }
            for (String range : ranges) {
                subscriptions.add(seaport.watch(range, this::print));
            }
        } catch (RuntimeException e) {
            seaport.close();
            throw e;
        }
        SeaportCommand.err(spec, "watching " + (ranges.isEmpty() ? "every service" : String.join(", ", ranges))
                + " in cluster '" + seaport.cluster()
                + "' as " + seaport.member() + " (Ctrl-C to stop)"
                + (missing == null ? "" : "; no other member yet, waiting for one to join"));
        UntilStopped.await(() -> {
            subscriptions.forEach(Subscription::close);
            seaport.close();
        });
        return 0;
    }

    private void print(ServiceEvent event) {
        if (json) {
            SeaportCommand.out(spec, Json.event(event));
            return;
        }
        if (event instanceof ServiceEvent.HealthChanged changed) {
            Service service = event.service();
            SeaportCommand.out(spec, LocalTime.now().format(TIME) + " health " + service.roleAtVersion() + " at "
                    + service.address() + " by " + service.member() + ": "
                    + changed.previous().name().toLowerCase(java.util.Locale.ROOT) + " -> "
                    + ServiceTable.health(service));
            return;
        }
        boolean freed = event instanceof ServiceEvent.Freed;
        boolean left = event instanceof ServiceEvent.Freed f && f.reason() == ServiceEvent.Reason.MEMBER_LEFT;
        Service service = event.service();
        SeaportCommand.out(spec, LocalTime.now().format(TIME) + (freed ? " freed " : " registered ")
                + service.roleAtVersion() + " at " + service.address() + " by " + service.member()
                + (left ? " (member left)" : "")
                + (!freed && service.health() != Health.PASSING ? " (" + ServiceTable.health(service) + ")" : ""));
    }
}
