package io.seaport.examples.cli;

import io.seaport.Seaport;
import io.seaport.Service;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code seaport query}: prints the services matching one range, highest version first. */
@Command(name = "query", mixinStandardHelpOptions = true,
        description = "Prints the services that match RANGE, highest version first. "
                + "Exits 1 if none matches (after --wait, if given).")
final class QueryCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ClusterOptions clusterOptions;

    @Parameters(index = "0", paramLabel = "RANGE", converter = Converters.RangeText.class,
            description = "A role name or name@range, such as web, web@1.x, web@^1.2 or 'web@>=2'.")
    private String range;

    @Option(names = "--json", description = "Print a JSON array instead of a table.")
    private boolean json;

    @Option(names = "--wait", paramLabel = "SECONDS", converter = Converters.Seconds.class,
            description = "Wait up to SECONDS for a first match instead of answering at once.")
    private Duration wait;

    QueryCommand() {
    }

    @Override
    public Integer call() throws InterruptedException, ExecutionException {
        Seaport.Builder builder = clusterOptions.builder(null);
        if (wait == null) {
            clusterOptions.requireListeningPeer(builder.toConfig());
        }
        List<Service> services;
        try (Seaport seaport = builder.join()) {
            services = wait == null ? seaport.query(range) : await(seaport);
        }
        if (services.isEmpty()) {
            if (json) {
                SeaportCommand.out(spec, "[]");
            }
            SeaportCommand.err(spec, spec.qualifiedName() + ": no service matches '" + range + "'"
                    + (wait == null ? "" : " after waiting " + wait.toMillis() / 1000.0 + " s"));
            return 1;
        }
        ShowCommand.print(spec, services, json);
        return 0;
    }

    private List<Service> await(Seaport seaport) throws InterruptedException, ExecutionException {
        CompletableFuture<List<Service>> future = seaport.get(range);
        if (!future.isDone()) {
            SeaportCommand.err(spec, "waiting up to " + wait.toMillis() / 1000.0 + " s for " + range);
        }
        try {
            return future.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(false); // the registry forgets a cancelled get
            return List.of();
        }
    }
}
