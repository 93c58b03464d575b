package io.seaport.examples.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code seaport} command line: shows, queries and watches the port map of a cluster,
 * registers services, proxies to them and runs the demo.
 *
 * <p>Exit status: 0 on success, 2 for a user's mistake (unknown command, bad role, range, port or
 * peer, missing argument, nobody at the given peers): one line and the usage on stderr; 1 for any
 * other failure, with one line on stderr. Logging goes to stderr at level {@code warn} unless
 * {@code -Dorg.slf4j.simpleLogger.defaultLogLevel} says otherwise.
 */
@Command(
        name = "seaport",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        synopsisSubcommandLabel = "COMMAND",
        description = "Shows, queries and watches a Seaport cluster's port map; registers and proxies services.",
        subcommands = {
            ShowCommand.class,
            QueryCommand.class,
            WatchCommand.class,
            RegisterCommand.class,
            ProxyCommand.class,
            DemoCommand.class,
            KeygenCommand.class,
            CommandLine.HelpCommand.class
        },
        footer = {
            "%nCluster options (--cluster, --env, --peers, --bind, --bind-port, --site, --bridge-port, "
                    + "--bridge-peers) default to the system properties seaport.* and the environment variables "
                    + "SEAPORT_* that Seaport.Builder reads.",
            "Exit status: 0 ok, 1 failure, 2 usage error. Run 'seaport COMMAND --help' for a command's options."
        })
public final class SeaportCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    SeaportCommand() {
    }

    /**
     * Runs the command line and exits with its status.
     *
     * @param args the command line arguments
     */
    public static void main(String[] args) {
        // Quiet by default: warnings and errors only, to stderr. JGroups is off unless asked for:
        // a short-lived member's close often logs "failed sending graceful close ... Socket
        // closed" at ERROR, which is noise on a terminal; failures that matter reach the command
        // as exceptions. -Dorg.slf4j.simpleLogger.log.org.jgroups=warn brings it back.
        defaultProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        defaultProperty("org.slf4j.simpleLogger.log.org.jgroups", "off");
        System.exit(commandLine().execute(args));
    }

    private static void defaultProperty(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    /**
     * Returns the command line with Seaport's error handling: one line and the usage for mistakes.
     *
     * @return a new command line
     */
    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new SeaportCommand());
        commandLine.setCaseInsensitiveEnumValuesAllowed(true); // --publish-when listening
        commandLine.setParameterExceptionHandler(Errors::handleParameterException);
        commandLine.setExecutionExceptionHandler(Errors::handleExecutionException);
        return commandLine;
    }

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing command: choose one of "
                + String.join(", ", spec.subcommands().keySet()));
    }

    /** Prints a line to stdout, flushed, for output a user or a script reads as it happens. */
    static void out(CommandSpec spec, String line) {
        PrintWriter out = spec.commandLine().getOut();
        out.println(line);
        out.flush();
    }

    /** Prints a line to stderr, flushed, for notes that are not the command's output. */
    static void err(CommandSpec spec, String line) {
        PrintWriter err = spec.commandLine().getErr();
        err.println(line);
        err.flush();
    }
}
