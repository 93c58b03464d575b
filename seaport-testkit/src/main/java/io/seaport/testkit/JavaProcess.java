package io.seaport.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A child JVM started from a test, running a main class with the test JVM's class path, whose
 * output is captured line by line.
 *
 * <p>Start one with {@link #builder(Class)} (or {@link #builder(String)}), preferably through a
 * {@link JavaProcesses} registry so that it is killed in teardown even when the test fails:
 *
 * <pre>{@code
 * @RegisterExtension final JavaProcesses processes = new JavaProcesses();
 *
 * JavaProcess child = processes.start(JavaProcess.builder(MyMain.class).name("server").args("--port", "0"));
 * String line = child.awaitLine("listening on \\d+", Duration.ofSeconds(30));
 * child.send("stop");
 * assertThat(child.awaitExit(Duration.ofSeconds(30))).isZero();
 * }</pre>
 *
 * <p>The child runs {@code java} from {@code java.home} with {@code -Xmx128m
 * -XX:TieredStopAtLevel=1 -Xshare:auto -XX:+UseSerialGC -Djava.net.preferIPv4Stack=true} (small
 * and quick to start on a 2-core machine), then the builder's JVM options and system properties,
 * the main class and its arguments. Its stdout and stderr are read on daemon threads: every line
 * is kept (up to {@value #MAX_KEPT_LINES} per stream) with the {@link System#nanoTime()} at which it
 * was read, so tests can measure when something was printed.
 *
 * <p><b>Consuming reads.</b> {@link #awaitLine} returns the first stdout line not returned before
 * that matches, and marks it as returned: a request/response protocol can await each response in
 * turn even when other lines (events) are interleaved. {@link #stdout()} and {@link #stderr()}
 * return every line, returned or not.
 *
 * <p>Thread-safe. {@link #close()} kills the process (if alive) and waits for it.
 */
public final class JavaProcess implements AutoCloseable {
    /** How many lines of each stream are kept; older lines are dropped (and counted). */
    public static final int MAX_KEPT_LINES = 200_000;

    private static final Logger LOG = LoggerFactory.getLogger(JavaProcess.class);
    private static final List<String> DEFAULT_JVM_OPTIONS = List.of(
            "-Xmx128m", "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-XX:+UseSerialGC",
            "-Djava.net.preferIPv4Stack=true");

    private final String name;
    private final Process process;
    private final Writer stdin;
    private final CapturedLines out = new CapturedLines(MAX_KEPT_LINES);
    private final CapturedLines err = new CapturedLines(MAX_KEPT_LINES);
    private final Thread outReader;
    private final Thread errReader;
    private final List<String> command;
    private volatile boolean frozen;

    private JavaProcess(String name, Process process, List<String> command) {
        this.name = name;
        this.process = process;
        this.command = command;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.outReader = reader(name + "-stdout", process.getInputStream(), out);
        this.errReader = reader(name + "-stderr", process.getErrorStream(), err);
    }

    /**
     * Returns a builder for a child JVM running {@code mainClass}.
     *
     * @param mainClass a class with a {@code main} method, on the test class path
     * @return a new builder
     */
    public static Builder builder(Class<?> mainClass) {
        return new Builder(mainClass.getName());
    }

    /**
     * Returns a builder for a child JVM running the class named {@code mainClass}.
     *
     * @param mainClass the binary name of a class with a {@code main} method
     * @return a new builder
     */
    public static Builder builder(String mainClass) {
        return new Builder(mainClass);
    }

    /**
     * Returns a builder for any other program (a shell script such as {@code ./seaport}, a
     * native tool): the command runs as given, without the JVM options, class path or main
     * class; {@link Builder#args}, {@link Builder#environment} and {@link Builder#directory}
     * apply, system properties and JVM options are refused.
     *
     * @param program the program and its first arguments
     * @return a new builder
     */
    public static Builder command(String... program) {
        if (program.length == 0) {
            throw new IllegalArgumentException("command must name a program, was empty");
        }
        Builder builder = new Builder(program[0]);
        builder.program = List.of(program);
        builder.name = Path.of(program[0]).getFileName().toString();
        return builder;
    }

    /**
     * Returns the class path handed to children by default: the test JVM's own. Surefire and
     * Failsafe set {@code java.class.path} to the full test class path in their forked JVMs.
     *
     * @return the class path
     */
    public static String testClassPath() {
        return System.getProperty("java.class.path");
    }

    /**
     * Returns the name given at start, used in log lines and failure messages.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Returns the operating-system process id.
     *
     * @return the pid
     */
    public long pid() {
        return process.pid();
    }

    /**
     * Returns whether the process is still running (a frozen process is running).
     *
     * @return true until it exits or is killed
     */
    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Returns whether {@link #freeze()} was called without a later {@link #thaw()}.
     *
     * @return true while frozen
     */
    public boolean isFrozen() {
        return frozen;
    }

    /**
     * Returns the command line the process was started with.
     *
     * @return the command, {@code java} first
     */
    public List<String> command() {
        return command;
    }

    /**
     * Sends one line to the process's stdin and flushes it.
     *
     * @param line the line, without a line terminator
     * @throws UncheckedIOException if the pipe is closed (the process has exited)
     */
    public void send(String line) {
        synchronized (stdin) {
            try {
                stdin.write(line);
                stdin.write('\n');
                stdin.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot send to " + describeState() + ": " + line, e);
            }
        }
    }

    /**
     * Closes the process's stdin, so that it reads end-of-file.
     */
    public void closeStdin() {
        synchronized (stdin) {
            try {
                stdin.close();
            } catch (IOException e) {
                LOG.debug("{}: closing stdin failed", name, e);
            }
        }
    }

    /**
     * Returns the first stdout line not returned before that {@code regex} finds (anywhere in the
     * line), waiting up to {@code timeout}, and marks it as returned.
     *
     * @param regex a {@link Pattern} searched in each line
     * @param timeout how long to wait
     * @return the line
     * @throws AssertionError on timeout, or when the process has exited and printed no such line;
     *     the message holds the output tail
     */
    public String awaitLine(String regex, Duration timeout) {
        Pattern pattern = Pattern.compile(regex);
        return awaitOutputLine(regex, l -> pattern.matcher(l).find(), timeout).text();
    }

    /**
     * Returns the first stdout line not returned before that matches, waiting up to
     * {@code timeout}, and marks it as returned.
     *
     * @param condition the line to wait for
     * @param timeout how long to wait
     * @return the line
     * @throws AssertionError on timeout, or when the process has exited and printed no such line
     */
    public String awaitLine(Predicate<String> condition, Duration timeout) {
        return awaitOutputLine("a matching line", condition, timeout).text();
    }

    /**
     * Returns the first stdout line not returned before that matches, with the time it was read,
     * waiting up to {@code timeout}, and marks it as returned.
     *
     * @param what what is awaited, for the failure message
     * @param condition the line to wait for
     * @param timeout how long to wait
     * @return the line and when it was read
     * @throws AssertionError on timeout, or when the process has exited and printed no such line
     */
    public Line awaitOutputLine(String what, Predicate<String> condition, Duration timeout) {
        Objects.requireNonNull(condition, "condition");
        long deadline = System.nanoTime() + timeout.toNanos();
        out.lock.lock();
        try {
            while (true) {
                Optional<Line> found = out.take(condition);
                if (found.isPresent()) {
                    return found.get();
                }
                if (out.ended) {
                    throw new AssertionError(name + " ended its stdout without printing " + what
                            + "\n" + describeState() + "\n" + tail(40));
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + name
                            + " to print " + what + "\n" + describeState() + "\n" + tail(40));
                }
                out.changed.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + name + " to print " + what, e);
        } finally {
            out.lock.unlock();
        }
    }

    /**
     * Returns, and marks as returned, every stdout line not returned before that matches, without
     * waiting.
     *
     * @param condition which lines
     * @return the lines, oldest first; may be empty
     */
    public List<Line> takeLines(Predicate<String> condition) {
        out.lock.lock();
        try {
            List<Line> taken = new ArrayList<>();
            Optional<Line> next;
            while ((next = out.take(condition)).isPresent()) {
                taken.add(next.get());
            }
            return taken;
        } finally {
            out.lock.unlock();
        }
    }

    /**
     * Returns every stdout line kept so far, returned or not.
     *
     * @return a snapshot, oldest first
     */
    public List<String> stdout() {
        return out.texts();
    }

    /**
     * Returns every stderr line kept so far.
     *
     * @return a snapshot, oldest first
     */
    public List<String> stderr() {
        return err.texts();
    }

    /**
     * Returns the last {@code count} lines of stdout and of stderr, labelled, for failure messages.
     *
     * @param count how many lines of each stream
     * @return a multi-line text
     */
    public String tail(int count) {
        StringBuilder text = new StringBuilder();
        text.append("--- ").append(name).append(" stdout (last ").append(count).append(") ---\n");
        out.tail(count).forEach(l -> text.append(l).append('\n'));
        text.append("--- ").append(name).append(" stderr (last ").append(count).append(") ---\n");
        err.tail(count).forEach(l -> text.append(l).append('\n'));
        return text.toString();
    }

    /**
     * Kills the process with SIGKILL ({@link Process#destroyForcibly()}) and waits until it is gone.
     * A frozen process dies too.
     */
    public void kill() {
        process.destroyForcibly();
        waitFor(Duration.ofSeconds(30));
        frozen = false;
    }

    /**
     * Asks the process to stop with SIGTERM ({@link Process#destroy()}), as {@code kill PID} or a
     * service manager would: its shutdown hooks run. Does not wait; follow with
     * {@link #awaitExit(Duration)}.
     */
    public void terminate() {
        process.destroy();
    }

    /**
     * Stops the process with SIGSTOP: it keeps its sockets but runs no code, like a JVM in a long
     * pause or a host that hangs.
     *
     * @throws IllegalStateException if the process is not alive or the signal cannot be sent
     */
    public void freeze() {
        signal("STOP");
        frozen = true;
    }

    /**
     * Resumes a frozen process with SIGCONT.
     *
     * @throws IllegalStateException if the process is not alive or the signal cannot be sent
     */
    public void thaw() {
        signal("CONT");
        frozen = false;
    }

    /**
     * Waits up to {@code timeout} for the process to exit on its own and returns its exit code.
     *
     * @param timeout how long to wait
     * @return the exit code
     * @throws AssertionError if it is still running after {@code timeout}
     */
    public int awaitExit(Duration timeout) {
        if (!waitFor(timeout)) {
            throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + name
                    + " to exit\n" + describeState() + "\n" + tail(40));
        }
        joinReaders();
        return process.exitValue();
    }

    /**
     * Kills the process if it is still alive (thawing it first if frozen) and waits for it and its
     * output readers. Idempotent.
     */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
        if (!waitFor(Duration.ofSeconds(30))) {
            LOG.error("{} (pid {}) is still alive 30 s after SIGKILL", name, pid());
        }
        frozen = false;
        closeStdin();
        joinReaders();
    }

    /**
     * Returns a one-line description: name, pid, and whether it is running, frozen or exited.
     *
     * @return the description
     */
    public String describeState() {
        String state;
        if (process.isAlive()) {
            state = frozen ? "frozen" : "running";
        } else {
            state = "exited with " + process.exitValue();
        }
        return name + " (pid " + pid() + ", " + state + ")";
    }

    @Override
    public String toString() {
        return describeState();
    }

    private boolean waitFor(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + name + " to exit", e);
        }
    }

    private void joinReaders() {
        try {
            outReader.join(5_000);
            errReader.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + name + "'s output", e);
        }
    }

    private void signal(String signal) {
        if (!process.isAlive()) {
            throw new IllegalStateException("cannot send SIG" + signal + " to " + describeState());
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid()))
                    .redirectErrorStream(true)
                    .start();
            String output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!kill.waitFor(30, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + pid() + " failed: " + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run kill -" + signal + " " + pid(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending SIG" + signal + " to " + name, e);
        }
    }

    private static Thread reader(String threadName, InputStream stream, CapturedLines output) {
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    output.add(new Line(line, System.nanoTime()));
                }
            } catch (IOException e) {
                // The pipe breaks when the process is killed mid-line; what was read is kept.
                LOG.debug("{}: reading stopped", threadName, e);
            } finally {
                output.end();
            }
        }, threadName);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /**
     * A line the child printed, with the {@link System#nanoTime()} at which the test JVM
     * read it.
     *
     * @param text the line, without its terminator
     * @param nanoTime when it was read
     */
    public record Line(String text, long nanoTime) {
    }

    /** The settings of a child JVM; not thread-safe. */
    public static final class Builder {
        private final String mainClass;
        private String name;
        private String classPath = testClassPath();
        private final List<String> jvmOptions = new ArrayList<>();
        private final Map<String, String> systemProperties = new LinkedHashMap<>();
        private final List<String> args = new ArrayList<>();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private Path directory;
        private List<String> program;
        private final List<String> commandPrefix = new ArrayList<>();

        private Builder(String mainClass) {
            if (mainClass == null || mainClass.isBlank()) {
                throw new IllegalArgumentException("main class must be a class name, was '" + mainClass + "'");
            }
            this.mainClass = mainClass;
            this.name = mainClass.substring(mainClass.lastIndexOf('.') + 1);
        }

        /**
         * Sets the name used in log lines, thread names and failure messages.
         *
         * @param processName a short label such as {@code member-a}
         * @return this builder
         */
        public Builder name(String processName) {
            this.name = Objects.requireNonNull(processName, "name");
            return this;
        }

        /**
         * Appends arguments for the main method.
         *
         * @param arguments the arguments
         * @return this builder
         */
        public Builder args(String... arguments) {
            args.addAll(Arrays.asList(arguments));
            return this;
        }

        /**
         * Appends arguments for the main method.
         *
         * @param arguments the arguments
         * @return this builder
         */
        public Builder args(List<String> arguments) {
            args.addAll(arguments);
            return this;
        }

        /**
         * Sets a system property of the child ({@code -Dkey=value}).
         *
         * @param key the property
         * @param value its value
         * @return this builder
         */
        public Builder systemProperty(String key, String value) {
            systemProperties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * Appends JVM options, placed after the defaults so that they win (e.g. {@code -Xmx256m}).
         *
         * @param options the options
         * @return this builder
         */
        public Builder jvmOptions(String... options) {
            jvmOptions.addAll(Arrays.asList(options));
            return this;
        }

        /**
         * Sets an environment variable of the child (added to the test JVM's environment).
         *
         * @param key the variable
         * @param value its value
         * @return this builder
         */
        public Builder environment(String key, String value) {
            environment.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * Replaces the class path, which is {@link #testClassPath()} by default.
         *
         * @param path a class path in the platform's syntax
         * @return this builder
         */
        public Builder classPath(String path) {
            this.classPath = Objects.requireNonNull(path, "class path");
            return this;
        }

        /**
         * Sets the working directory; by default the test JVM's.
         *
         * @param workingDirectory the directory
         * @return this builder
         */
        public Builder directory(Path workingDirectory) {
            this.directory = Objects.requireNonNull(workingDirectory, "directory");
            return this;
        }

        /**
         * Sets words put before {@code java} (or the program) on the command line, such as {@code ip netns exec NS}
         * to run the JVM in another network namespace. The prefix must end by exec'ing the rest of
         * the command, so that the started process is the JVM and signals reach it.
         *
         * @param words the prefix; empty (the default) for none
         * @return this builder
         */
        public Builder commandPrefix(List<String> words) {
            commandPrefix.clear();
            commandPrefix.addAll(List.copyOf(words));
            return this;
        }

        /**
         * Returns the command line this builder would run.
         *
         * @return the command: the {@linkplain #commandPrefix prefix}, then {@code java} (or the program)
         */
        public List<String> command() {
            if (program != null) {
                if (!jvmOptions.isEmpty() || !systemProperties.isEmpty()) {
                    throw new IllegalStateException("JVM options and system properties apply only to Java main"
                            + " classes, not to the command " + program);
                }
                List<String> command = new ArrayList<>(commandPrefix);
                command.addAll(program);
                command.addAll(args);
                return List.copyOf(command);
            }
            List<String> command = new ArrayList<>(commandPrefix);
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(DEFAULT_JVM_OPTIONS);
            command.addAll(jvmOptions);
            systemProperties.forEach((k, v) -> command.add("-D" + k + "=" + v));
            command.add("-cp");
            command.add(classPath);
            command.add(mainClass);
            command.addAll(args);
            return List.copyOf(command);
        }

        /**
         * Starts the child JVM. Prefer {@link JavaProcesses#start(Builder)}, which also kills it in
         * teardown.
         *
         * @return the running process
         * @throws UncheckedIOException if {@code java} cannot be started
         */
        public JavaProcess start() {
            List<String> command = command();
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().putAll(environment);
            if (directory != null) {
                builder.directory(directory.toFile());
            }
            try {
                JavaProcess process = new JavaProcess(name, builder.start(), command);
                LOG.info("started {} (pid {}): {} {}", name, process.pid(), program != null ? program : mainClass, args);
                return process;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + name + ": " + command, e);
            }
        }
    }
}
