package io.seaport.proxy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@link BackendMain} in its own JVM, launched with this JVM's class path; stderr goes to a
 * file under {@code target/it-logs}. Written here because the shared launcher (io.seaport.testkit)
 * was not available when this test was written.
 */
final class BackendProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final CompletableFuture<Integer> ready = new CompletableFuture<>();
    private final Path log;

    private BackendProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
        Thread reader = new Thread(this::readStdout, "test-backend-" + name + "-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    static BackendProcess launch(String cluster, int base, String role, String name) throws IOException {
        Path logs = Path.of("target", "it-logs");
        Files.createDirectories(logs);
        Path log = logs.resolve("backend-" + name + ".log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Djava.net.preferIPv4Stack=true",
                "-cp", System.getProperty("java.class.path"),
                BackendMain.class.getName(), cluster, String.valueOf(base), role, name));
        Process process = new ProcessBuilder(command)
                .redirectError(log.toFile())
                .start();
        return new BackendProcess(name, process, log);
    }

    private void readStdout() {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("READY ")) {
                    ready.complete(Integer.parseInt(line.substring(line.lastIndexOf(' ') + 1)));
                }
            }
            ready.completeExceptionally(new IllegalStateException(name + " exited before it was ready; see " + log));
        } catch (IOException e) {
            ready.completeExceptionally(e);
        }
    }

    /** Waits until the member has joined and registered; returns the echo server's port. */
    int awaitReady() throws Exception {
        return ready.get(60, TimeUnit.SECONDS);
    }

    String name() {
        return name;
    }

    /** Kills the JVM with SIGKILL and waits until it is gone. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws IOException {
        if (process.isAlive()) {
            process.getOutputStream().close(); // asks it to leave cleanly
            try {
                if (!process.waitFor(15, TimeUnit.SECONDS)) {
                    kill();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                kill();
            }
        }
    }

    @Override
    public String toString() {
        return name + (process.isAlive() ? " (alive, pid " + process.pid() + ")" : " (exited)");
    }
}
