package io.seaport.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Returns and drives one {@link BenchMember} JVM: sends commands, waits for answers, collects its
 * asynchronous {@code reached} and {@code ev} lines. Its stderr (logs) goes to a file under
 * {@code benchmarks/target/bench-logs}. {@link #close()} ends the process (forcibly if it hangs).
 */
final class MemberHandle implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MemberHandle.class);
    static final long DEFAULT_TIMEOUT_SECONDS = 180;
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final String name;
    private final Process process;
    private final Path log;
    private final Writer in;
    private final AtomicLong ids = new AtomicLong();
    private final Map<String, CompletableFuture<String>> answers = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Long>> reached = new ConcurrentHashMap<>();
    private final CompletableFuture<String> cold = new CompletableFuture<>();
    private final CompletableFuture<Long> ready = new CompletableFuture<>();
    /** Watch events: {role, micros}. */
    final BlockingQueue<String[]> events = new LinkedBlockingQueue<>();
    /** Wall-clock micros just before the process was started. */
    final long startedMicros;

    private MemberHandle(String name, List<String> args) {
        this(name, List.of(), List.of(), args);
    }

    /**
     * Starts the JVM; {@code commandPrefix} (such as {@code ip netns exec NAMESPACE}, which
     * replaces itself with java) comes before the java command, so the process is the JVM itself.
     */
    private MemberHandle(String name, List<String> commandPrefix, List<String> jvmOptions, List<String> args) {
        this.name = name;
        try {
            Path logs = Path.of("benchmarks", "target", "bench-logs");
            Files.createDirectories(logs);
            log = logs.resolve(name + "-" + SEQUENCE.incrementAndGet() + ".log");
            List<String> command = new ArrayList<>(commandPrefix);
            command.addAll(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Djava.net.preferIPv4Stack=true",
                    "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
            command.addAll(jvmOptions);
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), BenchMember.class.getName()));
            command.addAll(args);
            ProcessBuilder builder = new ProcessBuilder(command).redirectError(log.toFile());
            startedMicros = Micros.now();
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start member " + name, e);
        }
        in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(this::readLines, "bench-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    /** Returns a started member JVM that has not joined anything yet. */
    static MemberHandle start(String name) {
        MemberHandle member = new MemberHandle(name, List.of());
        member.awaitReady();
        return member;
    }

    /** Returns a started member JVM with extra JVM options (such as a small heap) that has not joined anything yet. */
    static MemberHandle start(String name, List<String> jvmOptions) {
        return start(name, List.of(), jvmOptions);
    }

    /**
     * Returns a started member JVM that has not joined anything yet, its command preceded by
     * {@code commandPrefix} (such as a test host's {@code ip netns exec NAMESPACE}).
     */
    static MemberHandle start(String name, List<String> commandPrefix, List<String> jvmOptions) {
        MemberHandle member = new MemberHandle(name, commandPrefix, jvmOptions, List.of());
        member.awaitReady();
        return member;
    }

    /** Returns a member JVM that joins {@code cluster} as it starts and queries {@code range} until it answers. */
    static MemberHandle startCold(String name, String cluster, int basePort, String range) {
        return new MemberHandle(name, List.of("--cold", cluster, Integer.toString(basePort), range));
    }

    /** Returns the {@code cold} line's values: joined micros and first-query micros. */
    long[] awaitCold() {
        String[] words = get(cold, "cold join").split(" ");
        return new long[] {Long.parseLong(words[0]), Long.parseLong(words[1])};
    }

    private void awaitReady() {
        get(ready, "start");
    }

    /** Returns the values of the answer to {@code verb args}, waiting up to the default timeout. */
    String call(String verb, Object... args) {
        String id = Long.toString(ids.incrementAndGet());
        CompletableFuture<String> answer = new CompletableFuture<>();
        answers.put(id, answer);
        send(id, verb, args);
        return get(answer, verb);
    }

    /** Arms an {@code expect}: returns a future of the micros at which {@code range} counts {@code count}. */
    CompletableFuture<Long> expect(String range, int count) {
        return expect(range, count, 1);
    }

    /** Arms an {@code expect} over the {@code spread} roles {@code range} stands for (its {@code *} replaced). */
    CompletableFuture<Long> expect(String range, int count, int spread) {
        String id = Long.toString(ids.incrementAndGet());
        CompletableFuture<Long> when = new CompletableFuture<>();
        reached.put(id, when);
        CompletableFuture<String> answer = new CompletableFuture<>();
        answers.put(id, answer);
        send(id, "expect", range, count, spread);
        get(answer, "expect");
        return when;
    }

    /** Returns {@code when}'s micros, waiting up to the default timeout. */
    long await(CompletableFuture<Long> when, String what) {
        return get(when, what);
    }

    /** Returns the process id. */
    long pid() {
        return process.pid();
    }

    /** Kills the process with SIGKILL. */
    void kill() {
        process.destroyForcibly();
    }

    /** Sends {@code signal} (such as STOP or CONT) to the process with /bin/kill. */
    void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private synchronized void send(String id, String verb, Object... args) {
        StringBuilder line = new StringBuilder(id).append(' ').append(verb);
        for (Object arg : args) {
            line.append(' ').append(arg);
        }
        try {
            in.write(line.append('\n').toString());
            in.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("member " + name + " is gone (log " + log + ")", e);
        }
    }

    private <T> T get(CompletableFuture<T> future, String what) {
        try {
            return future.get(DEFAULT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("member " + name + ": no answer to '" + what + "' within "
                    + DEFAULT_TIMEOUT_SECONDS + " s (log " + log + ")", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("member " + name + ": '" + what + "' failed: "
                    + e.getCause().getMessage() + " (log " + log + ")", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private void readLines() {
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                dispatch(line);
            }
        } catch (IOException e) {
            LOG.debug("member {}: stdout closed", name, e);
        }
        IllegalStateException gone = new IllegalStateException("member " + name + " exited (log " + log + ")");
        answers.values().forEach(f -> f.completeExceptionally(gone));
        reached.values().forEach(f -> f.completeExceptionally(gone));
        cold.completeExceptionally(gone);
        ready.completeExceptionally(gone);
    }

    private void dispatch(String line) {
        String[] words = line.split(" ", 3);
        if (words[0].equals("ev") && words.length == 3) {
            // "ev <role> <micros>": the role has no spaces in the harness's use.
            events.add(new String[] {words[1], words[2]});
        } else if (words[0].equals("cold")) {
            cold.complete(line.substring(5));
        } else if (words[0].equals("ready")) {
            ready.complete(Long.parseLong(words[1]));
        } else if (words.length >= 2 && words[1].equals("reached")) {
            CompletableFuture<Long> when = reached.remove(words[0]);
            if (when != null) {
                when.complete(Long.parseLong(words[2].trim()));
            }
        } else if (words.length >= 2 && words[1].equals("ok")) {
            CompletableFuture<String> answer = answers.remove(words[0]);
            if (answer != null) {
                answer.complete(words.length == 3 ? words[2] : "");
            }
        } else if (words.length >= 2 && words[1].equals("err")) {
            CompletableFuture<String> answer = answers.remove(words[0]);
            if (answer != null) {
                answer.completeExceptionally(new IllegalStateException(words.length == 3 ? words[2] : "error"));
            }
        } else {
            LOG.warn("member {}: unexpected line '{}'", name, line);
        }
    }

    /** Ends the process: {@code exit}, then SIGKILL if it has not ended within 10 s. */
    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                send("0", "exit");
            } catch (UncheckedIOException e) {
                LOG.debug("member {}: stdin already closed", name, e);
            }
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    LOG.warn("member {} did not exit within 10 s; killing it", name);
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
