package io.seaport.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.seaport.testkit.JavaProcess;
import java.util.ArrayList;
import java.util.List;

/** Starts the {@code seaport} command line in a JVM of its own, as a user's shell would. */
final class Cli {
    private Cli() {
    }

    /** Returns a builder for {@code seaport ARGS...}, joining the given test cluster. */
    static JavaProcess.Builder seaport(String cluster, int basePort, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        // Cluster options go before a "--" that ends the options (register -- COMMAND).
        int end = all.indexOf("--");
        all.addAll(end < 0 ? all.size() : end, List.of("--cluster", cluster,
                "--bind-port", Integer.toString(basePort), "--peers", "127.0.0.1:" + basePort));
        return plain(all.toArray(String[]::new));
    }

    /** Returns a builder for {@code seaport ARGS...} with exactly these arguments. */
    static JavaProcess.Builder plain(String... args) {
        return JavaProcess.builder(SeaportCommand.class)
                .name("seaport" + (args.length > 0 ? "-" + args[0] : ""))
                .args(args);
    }

    /**
     * Asserts that a command's stderr has no error, exception or stack trace. Warnings may
     * appear on a loaded machine (a slow allocator answer) and are allowed.
     */
    static void assertNoErrors(JavaProcess process) {
        assertThat(process.stderr()).as(process.tail(30)).noneMatch(line -> line.contains("Exception")
                || line.contains(" ERROR ") || line.startsWith("\tat "));
    }

    /** Sends SIGTERM, as {@code kill PID} or a service manager stopping it would. */
    static void terminate(JavaProcess process) {
        ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroy);
    }

    /** Returns a unique cluster name for one test. */
    static String cluster(String test) {
        return test + "-" + Long.toHexString(Double.doubleToLongBits(Math.random())).substring(0, 6);
    }
}
