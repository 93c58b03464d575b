package io.seaport.jgroups;

import static io.seaport.testkit.Events.freed;
import static io.seaport.testkit.Events.reason;
import static io.seaport.testkit.Events.registered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seaport.Service;
import io.seaport.ServiceEvent;
import io.seaport.testkit.JavaProcesses;
import io.seaport.testkit.MemberProcess;
import io.seaport.testkit.ProcessCluster;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The test kit's member JVM and its command protocol, end to end, on a one-member cluster of this provider. */
final class MemberProcessIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @RegisterExtension
    final JavaProcesses processes = new JavaProcesses();

    @Test
    void commands_onOneMember_answerWithParsedServicesAndEvents() throws IOException {
        ProcessCluster cluster = new ProcessCluster(processes, "MemberProcessIT", "kit");
        MemberProcess member = cluster.configure(l -> l.environment("staging")).start("solo");
        MemberProcess.Watch watch = member.watch("kit");
        int get = member.get("kit@^2");

        Service echo = member.serviceEcho("kit@2.1.0");
        Service assumed = member.register("kit@1.0.0", 4501, Map.of("zone", "a b", "path", "/x?y=z"));
        List<Service> got = member.awaitGot(get, TIMEOUT).value();
        List<Service> queried = member.query("kit");
        List<Service> otherEnvironment = member.query("default", "kit");
        Service other = member.register("other@1.0.0", 4502);
        List<Service> services = member.services("staging");
        List<Service> servicesOfDefault = member.services("default");
        String environment = member.environment();
        member.free(other.id());
        member.free(assumed.id());
        ServiceEvent freedEvent = watch.awaitEvent("Freed " + assumed.id(), freed(assumed.id()), TIMEOUT).value();

        assertThat(echo.environment()).isEqualTo("staging");
        assertThat(echo.member()).isEqualTo(member.member());
        assertThat(assumed.metadata()).containsExactlyInAnyOrderEntriesOf(Map.of("zone", "a b", "path", "/x?y=z"));
        assertThat(got).containsExactly(echo);
        assertThat(queried).containsExactly(echo, assumed);
        assertThat(otherEnvironment).isEmpty();
        assertThat(services).containsExactlyInAnyOrder(echo, assumed, other);
        assertThat(servicesOfDefault).isEmpty();
        assertThat(environment).isEqualTo("staging");
        assertThat(watch.awaitEvent("Registered echo", registered(echo.id()), TIMEOUT).value().service())
                .isEqualTo(echo);
        assertThat(reason(freedEvent)).isEqualTo(ServiceEvent.Reason.FREED);
        assertThat(member.query("kit")).containsExactly(echo);
        assertThat(echoWithHalfClose(echo.port(), "hello, echo")).isEqualTo("hello, echo");
    }

    @Test
    void service_withBadRole_failsQuotingTheMembersMessageAndTheMemberStaysUsable() {
        ProcessCluster cluster = new ProcessCluster(processes, "MemberProcessIT-bad", "kit");
        MemberProcess member = cluster.start("solo");

        assertThatThrownBy(() -> member.serviceEcho("kit@not a version"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("IllegalArgumentException")
                .hasMessageContaining("not a version");
        assertThatThrownBy(() -> member.free("no-such-id"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'no-such-id'");
        assertThat(member.query("kit")).isEmpty();
    }

    private static String echoWithHalfClose(int port, String text) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(text.getBytes(StandardCharsets.UTF_8));
            socket.shutdownOutput();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
