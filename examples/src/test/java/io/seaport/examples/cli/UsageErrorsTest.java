package io.seaport.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.seaport.testkit.TestPorts;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The command line's contract for mistakes, checked in this JVM without joining anything: one
 * line naming the problem, then the usage, on stderr, and exit status 2. {@code CliIT} checks the
 * same on real processes.
 */
final class UsageErrorsTest {

    private record Run(int status, String out, String err) {
        String firstErrLine() {
            return err.lines().findFirst().orElse("");
        }
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = SeaportCommand.commandLine()
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(args);
        return new Run(status, out.toString(), err.toString());
    }

    @Test
    void execute_unknownCommand_exits2WithSuggestion() {
        Run run = run("shwo");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.firstErrLine()).isEqualTo("seaport: unknown command 'shwo' (did you mean show?)");
        assertThat(run.err()).contains("Usage: seaport").doesNotContain("Exception");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void execute_noCommand_exits2() {
        Run run = run();

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.firstErrLine()).startsWith("seaport: missing command: choose one of show, query");
    }

    @Test
    void execute_badRange_exits2QuotingIt() {
        Run run = run("query", "web@>=banana", "--cluster", "c");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.firstErrLine()).startsWith("seaport query: ").contains("'web@>=banana'");
        assertThat(run.err()).contains("Usage: seaport query");
    }

    @Test
    void execute_bridgePeersWithoutSite_exits2NamingIt() {
        Run run = run("query", "web", "--cluster", "c", "--bridge-peers", "10.1.0.5:7700");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.firstErrLine()).startsWith("seaport query: ").contains("peers [10.1.0.5:7700]")
                .contains("no site");
        assertThat(run.err()).doesNotContain("Exception");
    }

    @Test
    void execute_badRole_exits2QuotingIt() {
        Run run = run("register", "@1.0", "--port", "8080", "--cluster", "c");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.firstErrLine()).contains("invalid role '@1.0'");
    }

    @Test
    void execute_portOutOfRange_exits2() {
        Run run = run("register", "web@1.0", "--port", "70000", "--cluster", "c");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.firstErrLine()).contains("'70000' is not a port: expected a number in 1..65535");
    }

    @Test
    void execute_missingRange_exits2() {
        Run run = run("query", "--cluster", "c");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.firstErrLine()).isEqualTo("seaport query: Missing required parameter: 'RANGE'");
    }

    @Test
    void execute_badPeerSyntax_exits2QuotingIt() {
        Run run = run("show", "web", "--cluster", "c", "--peers", "127.0.0.1:notaport");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.firstErrLine()).isEqualTo("seaport show: invalid peer '127.0.0.1:notaport': expected host, "
                + "host:port, [ipv6]:port or host[port] with a port in 1..65535");
    }

    @Test
    void execute_defaultDiscoveryAndNoMemberOnThisHost_exits2NamingTheDirectory() {
        String cluster = "UsageErrorsTest-nobody-" + UUID.randomUUID();

        Run run = run("show", "web", "--cluster", cluster);

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.firstErrLine()).startsWith("seaport show: no Seaport member of cluster '" + cluster
                + "' runs on this host (nothing in ").contains(cluster)
                .endsWith("): start one, or point --peers/--bind-port at a running member");
    }

    @Test
    void execute_noMemberAtPeers_exits2NamingWhereItLooked() {
        int base = TestPorts.clusterBasePort(); // free right now: nobody listens there

        Run run = run("show", "web", "--cluster", "c", "--bind-port", Integer.toString(base),
                "--peers", "127.0.0.1:" + base);

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.firstErrLine()).isEqualTo("seaport show: no Seaport member of cluster 'c' is listening at 127.0.0.1:"
                + base + ".." + (base + 10) + ": start one, or point --peers/--bind-port at a running member");
    }

    @Test
    void execute_registerWithPortAndCommand_exits2() {
        Run run = run("register", "web", "--port", "8080", "--cluster", "c", "--", "true");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.firstErrLine()).isEqualTo("seaport register: give either --port PORT or -- COMMAND, not both");
    }

    @Test
    void execute_registerWithNeitherPortNorCommand_exits2() {
        Run run = run("register", "web", "--cluster", "c");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.firstErrLine()).startsWith("seaport register: missing --port PORT or -- COMMAND");
    }

    @Test
    void execute_badMetadata_exits2() {
        Run run = run("register", "web", "--port", "8080", "--cluster", "c", "--meta", "novalue");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.firstErrLine()).contains("KEY=VALUE", "novalue");
    }

    @Test
    void execute_help_printsUsageToStdoutAndExits0() {
        Run run = run("register", "--help");

        assertThat(run.status()).isZero();
        assertThat(run.out()).contains("Usage: seaport register", "{port}", "SEAPORT_PORT");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void execute_version_printsVersionAndExits0() {
        Run run = run("--version");

        assertThat(run.status()).isZero();
        assertThat(run.out()).startsWith("seaport ").contains("Java ");
    }

    @Test
    void register_badCheck_exits2QuotingIt() {
        Run bogus = run("register", "web", "--port", "8080", "--check", "bogus", "--cluster", "c");
        Run path = run("register", "web", "--port", "8080", "--check", "http:health", "--cluster", "c");

        assertThat(bogus.status()).isEqualTo(2);
        assertThat(bogus.firstErrLine()).contains("'bogus'").contains("tcp, http:/PATH");
        assertThat(path.status()).isEqualTo(2);
        assertThat(path.firstErrLine()).contains("'health'").contains("starting with '/'");
        assertThat(bogus.err() + path.err()).doesNotContain("Exception");
    }

    @Test
    void register_checkIntervalTooShort_exits2BeforeJoining() {
        Run run = run("register", "web", "--port", "8080", "--check", "tcp", "--check-interval", "0.001",
                "--cluster", "c");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.firstErrLine()).startsWith("seaport register: invalid --check-interval: ")
                .contains("at least 10 ms");
    }
}
