package io.seaport.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.seaport.Service;
import io.seaport.ServiceEvent;
import io.seaport.testkit.Await;
import io.seaport.testkit.JavaProcess;
import io.seaport.testkit.JavaProcesses;
import io.seaport.testkit.MemberProcess;
import io.seaport.testkit.TestPorts;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code seaport register} as a real process, watched from a member JVM. */
final class CliRegisterIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @RegisterExtension
    final JavaProcesses processes = new JavaProcesses();

    @Test
    void register_listeningPort_publishedUntilSigterm() throws IOException {
        String cluster = Cli.cluster("register-port");
        int base = TestPorts.clusterBasePort();
        MemberProcess member = MemberProcess.launcher(cluster, base).label("member").start(processes);
        MemberProcess.Watch watch = member.watch("couchdb");
        try (ServerSocket listening = new ServerSocket()) {
            listening.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = listening.getLocalPort();

            JavaProcess register = processes.start(Cli.seaport(cluster, base,
                    "register", "couchdb@3.2.2", "--port", Integer.toString(port), "--meta", "tier=db"));
            register.awaitLine("registered couchdb@3\\.2\\.2 at 127\\.0\\.0\\.1:" + port + " in cluster '"
                    + Pattern.quote(cluster) + "' as .* \\(Ctrl-C to free it\\)", TIMEOUT);
            watch.awaitEvent("couchdb registered", e -> e instanceof ServiceEvent.Registered
                    && e.service().port() == port && e.service().metadata().equals(Map.of("tier", "db")),
                    TIMEOUT);

            Cli.terminate(register);

            watch.awaitEvent("couchdb freed at once (not after failure detection)",
                    e -> e instanceof ServiceEvent.Freed f && f.reason() == ServiceEvent.Reason.FREED,
                    TIMEOUT);
            assertThat(register.awaitExit(TIMEOUT)).isEqualTo(143);
            assertThat(register.stdout()).contains("freed couchdb@3.2.2");
            Cli.assertNoErrors(register);
        }
    }

    @Test
    void register_command_publishesRestartsAfterExitAndStopsChildOnSigterm() {
        String cluster = Cli.cluster("register-cmd");
        int base = TestPorts.clusterBasePort();
        MemberProcess member = MemberProcess.launcher(cluster, base).label("member").start(processes);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        JavaProcess register = processes.start(Cli.seaport(cluster, base, "register", "tiny@1.0.0", "--",
                java, "-Xmx32m", "-XX:TieredStopAtLevel=1", "-cp", JavaProcess.testClassPath(),
                TinyHttpMain.class.getName(), "{port}", "hello"));

        String started = register.awaitLine("seaport: started pid \\d+ on port \\d+: .*", TIMEOUT);
        register.awaitLine("serving \\d+", TIMEOUT); // the child's own stdout, passed through
        register.awaitLine("seaport: registered tiny@1\\.0\\.0 at 127\\.0\\.0\\.1:\\d+", TIMEOUT);
        Service first = awaitOne(member, "tiny", "");
        String body = Http.get(first.address(), "/");

        assertThat(body).isEqualTo("hello pid=" + pid(started) + " env=" + first.port());
        assertThat(first.port()).isEqualTo(port(started));

        Http.get(first.address(), "/exit"); // the child exits with 3: freed, restarted after 1 s
        register.awaitLine("seaport: command exited with status 3 after .* s; freed tiny@1\\.0\\.0; restarting in 1\\.0 s",
                TIMEOUT);
        String restarted = register.awaitLine("seaport: started pid \\d+ on port \\d+: .*", TIMEOUT);
        register.awaitLine("seaport: registered tiny@1\\.0\\.0 at .*", TIMEOUT);
        Service second = awaitOne(member, "tiny", first.id());
        assertThat(Http.get(second.address(), "/")).startsWith("hello pid=" + pid(restarted) + " ");

        Cli.terminate(register);

        assertThat(register.awaitExit(TIMEOUT)).isEqualTo(143);
        Await.until("the child to be stopped with its supervisor", TIMEOUT,
                () -> ProcessHandle.of(pid(restarted)).map(ProcessHandle::isAlive).orElse(false) == Boolean.FALSE,
                () -> register.tail(20));
        Await.until("tiny to be freed", TIMEOUT, () -> member.query("tiny").isEmpty(),
                () -> member.describe("tiny"));
        Cli.assertNoErrors(register);
    }

    @Test
    void register_publishWhenStarted_publishesCommandThatNeverListensAndStopsIt() {
        String cluster = Cli.cluster("register-started");
        int base = TestPorts.clusterBasePort();
        MemberProcess member = MemberProcess.launcher(cluster, base).label("member").start(processes);
        JavaProcess register = processes.start(Cli.seaport(cluster, base, "register", "worker@2",
                "--publish-when", "started", "--meta", "kind=batch", "--", "sleep", "600"));

        String started = register.awaitLine("seaport: started pid \\d+ on port \\d+: sleep 600", TIMEOUT);
        register.awaitLine("seaport: registered worker@2\\.0\\.0 at 127\\.0\\.0\\.1:" + port(started), TIMEOUT);
        Service worker = awaitOne(member, "worker", "");
        assertThat(worker.metadata()).isEqualTo(Map.of("kind", "batch"));

        Cli.terminate(register);

        assertThat(register.awaitExit(TIMEOUT)).isEqualTo(143);
        Await.until("sleep to be stopped with its supervisor", TIMEOUT,
                () -> ProcessHandle.of(pid(started)).map(ProcessHandle::isAlive).orElse(false) == Boolean.FALSE,
                () -> register.tail(20));
        Await.until("worker to be freed", TIMEOUT, () -> member.query("worker").isEmpty(),
                () -> member.describe("worker"));
        Cli.assertNoErrors(register);
    }

    @Test
    void register_commandThatDoesNotExist_exits2WithOneLine() {
        String cluster = Cli.cluster("register-missing");
        int base = TestPorts.clusterBasePort();

        JavaProcess register = processes.start(Cli.seaport(cluster, base, "register", "x@1", "--",
                "/nonexistent/seaport-test-program", "{port}"));

        assertThat(register.awaitExit(TIMEOUT)).as(register.tail(20)).isEqualTo(2);
        assertThat(register.stderr().get(0))
                .startsWith("seaport register: cannot run /nonexistent/seaport-test-program: ");
        assertThat(register.stderr()).anyMatch(line -> line.startsWith("Usage: seaport register"))
                .noneMatch(line -> line.contains("Exception") || line.startsWith("\tat "));
    }

    private static Service awaitOne(MemberProcess member, String role, String notId) {
        Await.until("one " + role + " service, not " + notId, TIMEOUT, () -> {
            List<Service> services = member.query(role);
            return services.size() == 1 && !services.get(0).id().equals(notId);
        }, () -> member.describe(role));
        return member.query(role).get(0);
    }

    private static long pid(String startedLine) {
        Matcher m = Pattern.compile("started pid (\\d+) on port (\\d+)").matcher(startedLine);
        assertThat(m.find()).as(startedLine).isTrue();
        return Long.parseLong(m.group(1));
    }

    private static int port(String startedLine) {
        Matcher m = Pattern.compile("started pid (\\d+) on port (\\d+)").matcher(startedLine);
        assertThat(m.find()).as(startedLine).isTrue();
        return Integer.parseInt(m.group(2));
    }
}
