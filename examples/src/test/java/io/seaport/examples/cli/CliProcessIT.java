package io.seaport.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.seaport.testkit.JavaProcess;
import io.seaport.testkit.JavaProcesses;
import io.seaport.testkit.TestPorts;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The command line as a user meets it, in real processes: the demo end to end, help and version,
 * and mistakes that exit 2 with one line and the usage, never a stack trace.
 */
final class CliProcessIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @RegisterExtension
    final JavaProcesses processes = new JavaProcesses();

    @Test
    void demo_freshCluster_clientGetsBeepBoopFromServerStartedAfterIt() {
        int base = TestPorts.clusterBasePort();

        JavaProcess demo = processes.start(Cli.plain("demo", "--bind-port", Integer.toString(base),
                "--peers", "127.0.0.1:" + base));

        assertThat(demo.awaitExit(TIMEOUT)).as(demo.tail(30)).isZero();
        assertThat(demo.stdout()).hasSize(5);
        assertThat(demo.stdout().get(0)).matches("client: joined cluster 'seaport-demo-[0-9a-f]{8}' as .*");
        assertThat(demo.stdout().get(1)).isEqualTo("client: get(\"http server\"): nothing offers it yet, waiting");
        assertThat(demo.stdout().get(2)).matches("server: joined as .*, serving \"http server\" on 127\\.0\\.0\\.1:\\d+");
        assertThat(demo.stdout().get(3)).matches("client: found http server@0\\.0\\.0 at 127\\.0\\.0\\.1:\\d+");
        assertThat(demo.stdout().get(4)).matches("client: GET http://127\\.0\\.0\\.1:\\d+/ -> beep boop");
        Cli.assertNoErrors(demo);
    }

    @Test
    void help_andVersion_exit0OnStdout() {
        JavaProcess help = processes.start(Cli.plain("--help"));
        JavaProcess version = processes.start(Cli.plain("--version"));
        JavaProcess watchHelp = processes.start(Cli.plain("watch", "--help"));

        assertThat(help.awaitExit(TIMEOUT)).isZero();
        assertThat(help.stdout()).contains("Usage: seaport [-hV] COMMAND")
                .anyMatch(l -> l.startsWith("  show ")).anyMatch(l -> l.startsWith("  register "));
        assertThat(version.awaitExit(TIMEOUT)).isZero();
        assertThat(version.stdout().get(0)).matches("seaport \\d+\\.\\d+\\.\\d+.*");
        assertThat(watchHelp.awaitExit(TIMEOUT)).isZero();
        assertThat(watchHelp.stdout().get(0)).startsWith("Usage: seaport watch");
        assertThat(help.stderr()).isEmpty();
    }

    @Test
    void proxy_portInUse_exits1WithOneLine() throws IOException {
        int base = TestPorts.clusterBasePort();
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));

            JavaProcess proxy = processes.start(Cli.seaport(Cli.cluster("proxy-in-use"), base,
                    "proxy", "web", "--port", Integer.toString(taken.getLocalPort())));

            assertThat(proxy.awaitExit(TIMEOUT)).as(proxy.tail(30)).isEqualTo(1);
            assertThat(proxy.stdout()).isEmpty();
            assertThat(proxy.stderr()).as(proxy.tail(30)).hasSize(1);
            assertThat(proxy.stderr().get(0)).startsWith("seaport proxy: error: ")
                    .contains(Integer.toString(taken.getLocalPort()));
        }
    }

    @Test
    void mistakes_eachExit2WithOneLineAndUsageAndNoStackTrace() {
        int base = TestPorts.clusterBasePort(); // nobody listens there
        String[][] mistakes = {
            {"frobnicate"},
            {"query", "web@>=banana", "--cluster", "c"},
            {"register", "web@1", "--port", "0", "--cluster", "c"},
            {"query", "--cluster", "c"},
            {"show", "web", "--cluster", "c", "--peers", "127.0.0.1:notaport"},
            {"show", "web", "--cluster", "c", "--bind-port", Integer.toString(base), "--peers", "127.0.0.1:" + base},
        };
        String[] firstLines = {
            "seaport: unknown command 'frobnicate'",
            "seaport query: Invalid value for positional parameter at index 0 (RANGE): invalid range 'web@>=banana'",
            "seaport register: Invalid value for option '--port': '0' is not a port: expected a number in 1..65535",
            "seaport query: Missing required parameter: 'RANGE'",
            "seaport show: invalid peer '127.0.0.1:notaport'",
            "seaport show: no Seaport member of cluster 'c' is listening at 127.0.0.1:" + base,
        };
        JavaProcess[] runs = new JavaProcess[mistakes.length];
        for (int i = 0; i < mistakes.length; i++) {
            runs[i] = processes.start(Cli.plain(mistakes[i]));
        }

        for (int i = 0; i < mistakes.length; i++) {
            JavaProcess run = runs[i];
            assertThat(run.awaitExit(TIMEOUT)).as(run.tail(30)).isEqualTo(2);
            assertThat(run.stdout()).as(run.tail(30)).isEmpty();
            assertThat(run.stderr().get(0)).as(run.tail(30)).startsWith(firstLines[i]);
            assertThat(run.stderr().get(1)).as(run.tail(30)).startsWith("Usage: seaport");
            assertThat(run.stderr()).as(run.tail(30))
                    .noneMatch(line -> line.contains("Exception") || line.startsWith("\tat "));
        }
    }
}
