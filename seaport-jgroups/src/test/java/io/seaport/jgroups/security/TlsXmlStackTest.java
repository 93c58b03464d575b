package io.seaport.jgroups.security;

import io.seaport.testkit.TestKeys;
import static org.assertj.core.api.Assertions.assertThat;

import io.seaport.Seaport;
import io.seaport.testkit.Await;
import io.seaport.testkit.TestKeys;
import io.seaport.testkit.TestPorts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS settings apply to the TCP transport of a user's JGroups XML stack too. */
final class TlsXmlStackTest {
    @TempDir
    Path dir;
    private final List<Seaport> members = new ArrayList<>();

    @AfterEach
    void closeMembers() {
        members.forEach(Seaport::close);
    }

    @Test
    void join_xmlStackWithTls_membersReplicate() throws IOException {
        int base = TestPorts.clusterBasePort();
        Path stack = Files.writeString(dir.resolve("tcp-loopback.xml"), xml(base), StandardCharsets.UTF_8);
        Path shared = new TestKeys(dir).selfSigned("xml-shared");
        String cluster = "TlsXmlStackTest-" + UUID.randomUUID();
        for (int i = 0; i < 2; i++) {
            members.add(Seaport.builder().cluster(cluster).config(stack.toString())
                    .tls(shared, TestKeys.PASSWORD.toCharArray()).join());
        }

        members.get(0).register("xml@1.0.0", 8000);

        Await.until("the second member sees the first's service", () -> members.get(1).query("xml").size() == 1,
                () -> members.get(1).query("xml").toString());
        assertThat(members.get(1).query("xml").get(0).member()).isEqualTo(members.get(0).member());
    }

    /** Returns a loopback-only TCP stack for the cluster at {@code base}: no UDP, no multicast, no diagnostics. */
    private static String xml(int base) {
        return """
                <config xmlns="urn:org:jgroups">
                  <TCP bind_addr="127.0.0.1" bind_port="%d" port_range="10" tcp_nodelay="true"
                       diag.enabled="false" use_virtual_threads="false"/>
                  <TCPPING initial_hosts="127.0.0.1[%d]" port_range="10"/>
                  <MERGE3 min_interval="1000" max_interval="3000"/>
                  <FD_SOCK2 bind_addr="127.0.0.1"/>
                  <FD_ALL3 timeout="3000" interval="1000"/>
                  <VERIFY_SUSPECT2 timeout="500"/>
                  <pbcast.NAKACK2/>
                  <UNICAST3/>
                  <pbcast.STABLE/>
                  <pbcast.GMS join_timeout="1000" print_local_addr="false"/>
                  <UFC/>
                  <MFC/>
                  <FRAG4/>
                </config>
                """.formatted(base, base);
    }
}
