package io.seaport.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.seaport.testkit.JavaProcess;
import io.seaport.testkit.JavaProcesses;
import io.seaport.testkit.MemberProcess;
import io.seaport.testkit.TestPorts;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code seaport proxy} as a real process: a request through it reaches a member's service. */
final class CliProxyIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @RegisterExtension
    final JavaProcesses processes = new JavaProcesses();

    @Test
    void proxy_anyPort_forwardsRequestToMatchingServiceUntilSigterm() {
        String cluster = Cli.cluster("proxy");
        int base = TestPorts.clusterBasePort();
        MemberProcess member = MemberProcess.launcher(cluster, base).label("member").start(processes);
        member.serviceHttp("couchdb@3.2.2", "relax");
        member.serviceHttp("couchdb@2.0.0", "too-old");
        JavaProcess proxy = processes.start(Cli.seaport(cluster, base, "proxy", "couchdb@3.x", "--port", "0"));
        String forwarding = proxy.awaitLine("forwarding 127\\.0\\.0\\.1:\\d+ to couchdb@3\\.x in cluster '.*' "
                + "\\(Ctrl-C to stop\\)", TIMEOUT);
        String address = forwarding.split(" ")[1];

        String first = Http.get(address, "/");
        String second = Http.get(address, "/");

        assertThat(first).isEqualTo("relax");
        assertThat(second).isEqualTo("relax");
        Cli.terminate(proxy);
        assertThat(proxy.awaitExit(TIMEOUT)).isEqualTo(143);
        Cli.assertNoErrors(proxy);
    }
}
