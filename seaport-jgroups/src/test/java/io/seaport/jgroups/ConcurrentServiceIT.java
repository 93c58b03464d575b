package io.seaport.jgroups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seaport.Service;
import io.seaport.testkit.Await;
import io.seaport.testkit.JavaProcesses;
import io.seaport.testkit.MemberProcess;
import io.seaport.testkit.ProcessCluster;
import io.seaport.testkit.TestPorts;
import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Several JVMs on one host allocating ports at the same time never get the same one. */
final class ConcurrentServiceIT {
    private static final Logger LOG = LoggerFactory.getLogger(ConcurrentServiceIT.class);
    private static final int MEMBERS = 4;
    private static final int EACH = 25;
    private static final int RANGE = 150;

    @RegisterExtension
    final JavaProcesses processes = new JavaProcesses();

    @Test
    void service_concurrentlyFromFourJvms_handsOutDistinctPortsEachBoundByItsServer() throws IOException {
        int from = TestPorts.freeBlock(RANGE);
        int to = from + RANGE - 1;
        ProcessCluster cluster = new ProcessCluster(processes, "ConcurrentServiceIT", "bulk", "node")
                .configure(launcher -> launcher.portRange(from, to));
        List<MemberProcess> members = cluster.start("a", "b", "c", "d");
        // Under load a joiner may form a cluster of its own until MERGE3 merges it (seen: 1 start in
        // ~5); this test is about allocation within one view, so it waits for the merge first.
        awaitOneCluster(cluster, members);

        long startedAt = System.nanoTime();
        List<CompletableFuture<List<Service>>> calls = new ArrayList<>();
        for (MemberProcess member : members) {
            calls.add(CompletableFuture.supplyAsync(
                    () -> member.serviceHttpMany("bulk@1.0.0", EACH, member.label() + " {port}")));
        }
        List<Service> services = calls.stream().flatMap(c -> c.join().stream()).toList();
        long allocatedIn = System.nanoTime() - startedAt;

        Set<Integer> ports = services.stream().map(Service::port).collect(Collectors.toSet());
        assertThat(services).hasSize(MEMBERS * EACH);
        assertThat(ports).hasSize(MEMBERS * EACH);
        assertThat(ports).allMatch(p -> p >= from && p <= to, "in " + from + ".." + to);
        for (Service service : services) {
            String owner = members.stream().filter(m -> m.member().equals(service.member()))
                    .map(MemberProcess::label).findFirst().orElseThrow();
            assertThat(httpGet(service.port())).as("answer on %s", service.address())
                    .isEqualTo(owner + " " + service.port());
            assertThatThrownBy(() -> bind(service.port())).as("second bind of %s", service.address())
                    .isInstanceOf(BindException.class);
        }
        Set<Service> expected = Set.copyOf(services);
        for (MemberProcess member : members) {
            Await.until(member + " lists all " + expected.size() + " services",
                    () -> Set.copyOf(member.query("bulk")).equals(expected), cluster::describe);
        }
        LOG.info("MEASURED {} concurrent service() calls from {} JVMs (8 threads each) returned in {} ms",
                MEMBERS * EACH, MEMBERS, allocatedIn / 1_000_000);
    }

    private static void awaitOneCluster(ProcessCluster cluster, List<MemberProcess> members) {
        Set<Service> nodes = new HashSet<>();
        for (int i = 0; i < members.size(); i++) {
            nodes.add(members.get(i).register("node@1.0.0", 4401 + i));
        }
        for (MemberProcess member : members) {
            Await.until(member + " lists every member's node", Duration.ofSeconds(60),
                    () -> Set.copyOf(member.query("node")).equals(nodes), cluster::describe);
        }
    }

    private static String httpGet(int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(response).startsWith("HTTP/1.1 200 ");
            return response.substring(response.indexOf("\r\n\r\n") + 4);
        }
    }

    private static void bind(int port) throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        }
    }
}
