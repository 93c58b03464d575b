package io.seaport.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The child JVMs of one test: every process started here is killed when the test ends, pass or
 * fail, and teardown fails the test if one of them (or a process it started) is still alive.
 *
 * <p>Use it as a JUnit 5 extension on an instance field, so that each test method gets its own:
 *
 * <pre>{@code
 * @RegisterExtension final JavaProcesses processes = new JavaProcesses();
 * }</pre>
 *
 * <p>or as a plain {@link AutoCloseable} in try-with-resources. When the test failed, teardown
 * logs (SLF4J, logger {@code io.seaport.testkit.JavaProcesses}) every {@link #onFailure
 * registered description} and the output tail of every process before killing them; when it
 * passed, it logs the tails at debug level (turn on with
 * {@code -Dorg.slf4j.simpleLogger.log.io.seaport.testkit.JavaProcesses=debug}). A JVM
 * shutdown hook also kills whatever is left if the test JVM exits without teardown.
 *
 * <p>Thread-safe.
 */
public final class JavaProcesses implements AfterEachCallback, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JavaProcesses.class);
    private static final Set<JavaProcess> EVERY_LIVE_PROCESS = ConcurrentHashMap.newKeySet();

    static {
        Thread hook = new Thread(() -> EVERY_LIVE_PROCESS.forEach(JavaProcess::close), "java-processes-reaper");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    private final List<JavaProcess> processes = new ArrayList<>();
    private final List<Supplier<String>> descriptions = new ArrayList<>();

    /** Creates an empty registry. */
    public JavaProcesses() {
    }

    /**
     * Returns a started child JVM that this registry will kill in teardown.
     *
     * @param builder the child's settings
     * @return the running process
     */
    public JavaProcess start(JavaProcess.Builder builder) {
        JavaProcess process = builder.start();
        add(process);
        return process;
    }

    /**
     * Returns {@code process}, now owned by this registry (killed in teardown).
     *
     * @param process a process started elsewhere
     * @return the same process
     */
    public synchronized JavaProcess add(JavaProcess process) {
        processes.add(process);
        EVERY_LIVE_PROCESS.add(process);
        return process;
    }

    /**
     * Registers a description (for example, every member's view and query results) that is
     * logged if the test fails, before the processes are killed.
     *
     * @param description evaluated only on failure; it must not wait long
     */
    public synchronized void onFailure(Supplier<String> description) {
        descriptions.add(description);
    }

    /**
     * Returns the processes started so far, oldest first.
     *
     * @return a snapshot
     */
    public synchronized List<JavaProcess> processes() {
        return List.copyOf(processes);
    }

    /**
     * Returns the output tails of every process, for a failure message.
     *
     * @param lines how many lines of each stream
     * @return a multi-line text
     */
    public String tails(int lines) {
        StringBuilder text = new StringBuilder();
        for (JavaProcess process : processes()) {
            text.append(process.describeState()).append('\n').append(process.tail(lines));
        }
        return text.toString();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Optional<Throwable> failure = context.getExecutionException();
        if (failure.isPresent()) {
            logState(context.getDisplayName());
        } else if (LOG.isDebugEnabled()) {
            LOG.debug("test '{}' passed; output of its processes:\n{}", context.getDisplayName(), tails(200));
        }
        close();
    }

    /**
     * Kills every process (thawing none: SIGKILL ends frozen ones too) and waits for them.
     *
     * @throws AssertionError if a process, or one of its descendants, is still alive afterwards
     */
    @Override
    public void close() {
        List<JavaProcess> all;
        synchronized (this) {
            all = List.copyOf(processes);
            processes.clear();
            descriptions.clear();
        }
        List<String> survivors = new ArrayList<>();
        for (JavaProcess process : all) {
            List<ProcessHandle> descendants = ProcessHandle.of(process.pid())
                    .map(h -> h.descendants().toList())
                    .orElse(List.of());
            process.close();
            EVERY_LIVE_PROCESS.remove(process);
            descendants.forEach(JavaProcesses::destroyAndWait);
            if (process.isAlive()) {
                survivors.add(process.describeState());
            }
            descendants.stream().filter(ProcessHandle::isAlive)
                    .forEach(h -> survivors.add("descendant pid " + h.pid() + " of " + process.name()));
        }
        if (!survivors.isEmpty()) {
            throw new AssertionError("processes still alive after teardown: " + survivors);
        }
    }

    private static void destroyAndWait(ProcessHandle handle) {
        handle.destroyForcibly();
        try {
            handle.onExit().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while killing pid " + handle.pid(), e);
        } catch (ExecutionException | TimeoutException e) {
            LOG.error("pid {} did not exit within 10 s of SIGKILL", handle.pid(), e);
        }
    }

    private void logState(String test) {
        List<Supplier<String>> toDescribe;
        synchronized (this) {
            toDescribe = List.copyOf(descriptions);
        }
        StringBuilder text = new StringBuilder("test '" + test + "' failed; state of its processes:\n");
        for (Supplier<String> description : toDescribe) {
            try {
                text.append(description.get()).append('\n');
            } catch (RuntimeException | AssertionError e) {
                text.append("(description failed: ").append(e).append(")\n");
            }
        }
        text.append(tails(60));
        LOG.error("{}", text);
    }
}
