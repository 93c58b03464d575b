package io.seaport.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the same scenarios against the original seaport 2.0.9 (Node.js, from npm) with
 * {@code benchmarks/node/original.js}, for the "seaport 2.0.9" column of BENCHMARKS.md. The package is
 * installed by {@code benchmarks/run} into {@code benchmarks/target/node} (never committed) when node and
 * npm are present; without them this returns nothing and says why in {@link #notes()}.
 *
 * <p>Run alone with {@code benchmarks/run --only original}; the script by hand with
 * {@code node benchmarks/node/original.js [--quick] [query|throughput|visible|kill...]}.
 */
final class Original {
    private static final Logger LOG = LoggerFactory.getLogger(Original.class);
    static final Path SCRIPT = Path.of("benchmarks", "node", "original.js");
    static final Path INSTALLED = Path.of("benchmarks", "target", "node", "node_modules", "seaport", "package.json");
    private static final long TIMEOUT_MINUTES = 10;

    private final boolean quick;
    private final List<String> notes = new ArrayList<>();

    Original(boolean quick) {
        this.quick = quick;
    }

    /** Returns the original's figures keyed by {@link #key(String, String)}; empty if it cannot run. */
    Map<String, Stats> run() {
        if (!Files.exists(INSTALLED)) {
            notes.add("The seaport 2.0.9 column is left out: seaport is not installed in benchmarks/target/node "
                    + "(`benchmarks/run` installs it with npm when `node` and `npm` are on the PATH; they were not, "
                    + "or the install failed: see its output).");
            return Map.of();
        }
        List<String> command = new ArrayList<>(List.of("node", SCRIPT.toString()));
        if (quick) {
            command.add("--quick");
        }
        Path log = Path.of("benchmarks", "target", "bench-logs", "original.log");
        Map<String, Stats> figures = new LinkedHashMap<>();
        try {
            Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
            process.getOutputStream().close();
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    String[] parts = line.split("\t", -1);
                    if (parts.length == 5 && parts[0].equals("FIGURE")) {
                        List<Double> samples = new ArrayList<>();
                        for (String sample : parts[4].split(",")) {
                            samples.add(Double.parseDouble(sample));
                        }
                        figures.put(key(parts[1], parts[2]), Stats.of(samples));
                    }
                }
            }
            if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                notes.add("The seaport 2.0.9 scenarios did not finish within " + TIMEOUT_MINUTES
                        + " minutes; the column holds what they printed before (" + log + ").");
            } else if (process.exitValue() != 0) {
                notes.add("The seaport 2.0.9 scenarios failed (exit " + process.exitValue() + "); the column holds "
                        + "what they printed before the failure (" + log + ").");
            }
        } catch (IOException e) {
            LOG.error("could not run {}", command, e);
            notes.add("The seaport 2.0.9 column is left out: `" + String.join(" ", command) + "` could not run ("
                    + e.getMessage() + ").");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            notes.add("The seaport 2.0.9 scenarios were interrupted.");
        }
        if (!figures.isEmpty()) {
            notes.add("seaport 2.0.9 column: " + figures.size() + " figures from `node " + SCRIPT + "` (seaport 2.0.9 "
                    + "from npm, one hub process and one process per client, all on 127.0.0.1, TCP_NODELAY set on "
                    + "every socket: stock seaport leaves Nagle on). Its members are the hub plus clients: \"3 members\" "
                    + "is the hub, the writer and an observer; \"5 members\" is the hub, the registrar and 4 watchers. "
                    + "Its `register` returns before anything is sent, so its \"register -> visible\" starts at the "
                    + "call. Its query range is `1.x` (its bundled semver 1.1.4 has no `^`). Ratio: how many times "
                    + "better Seaport for Java's median is (above 1: ahead; below 1: behind).");
        }
        return figures;
    }

    /** Returns the notes about this run (why the column is missing, or how it was made). */
    List<String> notes() {
        return notes;
    }

    /** Returns the key shared by a Java figure and the original's figure it compares with. */
    static String key(String section, String name) {
        return section + ": " + name;
    }
}
