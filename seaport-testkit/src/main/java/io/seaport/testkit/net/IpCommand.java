package io.seaport.testkit.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs short administrative commands ({@code ip ...}) and returns their output; a command that
 * fails or hangs is an {@link IllegalStateException} quoting the command and its output.
 */
final class IpCommand {
    private static final Logger LOG = LoggerFactory.getLogger(IpCommand.class);
    private static final long TIMEOUT_SECONDS = 30;

    private IpCommand() {
    }

    /** The outcome of one command: its exit code and its merged stdout and stderr. */
    record Result(List<String> command, int exitCode, String output) {
        boolean ok() {
            return exitCode == 0;
        }
    }

    /** Returns the output of {@code command}, which must exit with 0 within 30 s. */
    static String run(String... command) {
        Result result = attempt(command);
        if (!result.ok()) {
            throw new IllegalStateException("command " + result.command() + " exited with " + result.exitCode()
                    + ": " + result.output().strip());
        }
        return result.output();
    }

    /** Returns the outcome of {@code command}, whatever its exit code. */
    static Result attempt(String... command) {
        List<String> words = List.of(command);
        LOG.debug("running {}", words);
        Process process;
        try {
            process = new ProcessBuilder(words).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + words, e);
        }
        try {
            process.getOutputStream().close();
            // The outputs are a few lines: reading to the end before waiting cannot block on a full pipe.
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("command " + words + " did not finish in " + TIMEOUT_SECONDS + " s");
            }
            return new Result(words, process.exitValue(), output);
        } catch (IOException e) {
            process.destroyForcibly();
            throw new UncheckedIOException("cannot read the output of " + words, e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + words, e);
        }
    }
}
