package io.seaport.examples.cli;

import java.io.PrintWriter;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Turns failures into the command line's contract: a user's mistake prints one line and the
 * usage to stderr and exits 2; any other failure prints one line and exits 1. Never a stack trace
 * on the terminal: the full failure goes to the log at debug level.
 */
final class Errors {
    private static final Logger LOG = LoggerFactory.getLogger(Errors.class);

    private Errors() {
    }

    static int handleParameterException(ParameterException ex, String[] args) {
        CommandLine commandLine = ex.getCommandLine();
        PrintWriter err = commandLine.getErr();
        err.println(commandLine.getCommandSpec().qualifiedName() + ": " + describe(ex));
        commandLine.usage(err, commandLine.getColorScheme());
        err.flush();
        return CommandLine.ExitCode.USAGE;
    }

    static int handleExecutionException(Exception ex, CommandLine commandLine, ParseResult parseResult) {
        PrintWriter err = commandLine.getErr();
        String command = commandLine.getCommandSpec().qualifiedName();
        if (ex instanceof IllegalArgumentException) {
            // The registry refused an argument (a role, a range, a port): the user's mistake.
            err.println(command + ": " + oneLine(ex.getMessage()));
            commandLine.usage(err, commandLine.getColorScheme());
            err.flush();
            return CommandLine.ExitCode.USAGE;
        }
        LOG.debug("{} failed", command, ex);
        err.println(command + ": error: " + causeChain(ex));
        err.flush();
        return CommandLine.ExitCode.SOFTWARE;
    }

    private static String describe(ParameterException ex) {
        if (ex instanceof UnmatchedArgumentException unmatched && unmatched.isUnknownOption()) {
            return oneLine(ex.getMessage());
        }
        if (ex instanceof UnmatchedArgumentException unmatched
                && !ex.getCommandLine().getSubcommands().isEmpty()
                && !unmatched.getUnmatched().isEmpty()) {
            String first = unmatched.getUnmatched().get(0);
            List<String> suggestions = unmatched.getSuggestions();
            return "unknown command '" + first + "'"
                    + (suggestions.isEmpty() ? "" : " (did you mean " + String.join(" or ", suggestions) + "?)");
        }
        return oneLine(ex.getMessage());
    }

    /** Returns the message of {@code e} and of its causes, joined on one line. */
    static String causeChain(Throwable e) {
        StringBuilder line = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
            if (line.indexOf(message) < 0) { // causes often repeat their wrapper's text
                line.append(line.length() == 0 ? "" : ": ").append(message);
            }
        }
        return oneLine(line.toString());
    }

    static String oneLine(String message) {
        return message == null ? "" : message.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
