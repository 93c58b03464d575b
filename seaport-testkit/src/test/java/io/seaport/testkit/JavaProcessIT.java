package io.seaport.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

final class JavaProcessIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    void start_withArgsAndProperty_childSeesThemAndAnswersStdin() {
        try (JavaProcesses processes = new JavaProcesses()) {
            JavaProcess child = processes.start(JavaProcess.builder(LinesMain.class).name("lines")
                    .args("one", "two").systemProperty("kit.greeting", "hello"));

            String started = child.awaitLine("^started ", TIMEOUT);
            child.send("ping");
            child.send("err to stderr");
            child.send("pong");
            String pong = child.awaitLine("^echo PONG$", TIMEOUT);
            String ping = child.awaitLine("^echo PING$", TIMEOUT);

            assertThat(started).isEqualTo("started one two greeting=hello");
            assertThat(pong).isEqualTo("echo PONG");
            assertThat(ping).isEqualTo("echo PING");
            Await.until("the stderr line", () -> child.stderr().contains("to stderr"), () -> child.tail(20));
            assertThat(child.stdout()).containsExactly("started one two greeting=hello", "echo PING", "echo PONG");
        }
    }

    @Test
    void awaitLine_afterExitWithoutIt_failsAtOnceWithTail() {
        try (JavaProcesses processes = new JavaProcesses()) {
            JavaProcess child = processes.start(JavaProcess.builder(LinesMain.class).name("exiting"));
            child.awaitLine("^started", TIMEOUT);

            child.send("exit 3");
            int code = child.awaitExit(TIMEOUT);

            assertThat(code).isEqualTo(3);
            long start = System.nanoTime();
            assertThatThrownBy(() -> child.awaitLine("never printed", TIMEOUT))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("ended its stdout")
                    .hasMessageContaining("started");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        }
    }

    @Test
    void freeze_thenThaw_stopsAndResumesTheProcess() throws IOException {
        try (JavaProcesses processes = new JavaProcesses()) {
            JavaProcess child = processes.start(JavaProcess.builder(LinesMain.class).name("frozen"));
            child.awaitLine("^started", TIMEOUT);

            child.freeze();
            Await.until("state T (stopped)", () -> state(child) == 'T', () -> "state " + state(child));
            child.send("while frozen");
            child.thaw();

            assertThat(child.awaitLine("^echo WHILE FROZEN$", TIMEOUT)).isNotNull();
            assertThat(state(child)).isNotEqualTo('T');
        }
    }

    @Test
    void kill_ofFrozenProcess_leavesNothingAlive() {
        JavaProcesses processes = new JavaProcesses();
        JavaProcess child = processes.start(JavaProcess.builder(LinesMain.class).name("killed"));
        child.awaitLine("^started", TIMEOUT);
        child.freeze();

        child.kill();
        processes.close();

        assertThat(child.isAlive()).isFalse();
        assertThat(ProcessHandle.of(child.pid()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }

    @Test
    void command_ofNonJavaProgram_runsItWithArgsAndEnvironment() {
        try (JavaProcesses processes = new JavaProcesses()) {
            JavaProcess child = processes.start(JavaProcess.command("sh", "-c", "echo \"$0 $KIT_VAR\"; exit 4")
                    .args("first").environment("KIT_VAR", "from-env"));

            int code = child.awaitExit(TIMEOUT);

            assertThat(code).isEqualTo(4);
            assertThat(child.stdout()).containsExactly("first from-env");
            assertThat(child.name()).isEqualTo("sh");
        }
    }

    private static char state(JavaProcess process) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2);
        } catch (IOException e) {
            throw new AssertionError("cannot read the state of " + process, e);
        }
    }
}
