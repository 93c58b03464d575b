package io.seaport.jgroups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seaport.Service;
import io.seaport.testkit.Await;
import io.seaport.testkit.JavaProcesses;
import io.seaport.testkit.MemberProcess;
import io.seaport.testkit.ProcessCluster;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 11's first reproduction, across JVMs: a registration one member's API accepts must never
 * cost that member its place in the other members' replicas.
 */
final class RegistrationLimitsIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @RegisterExtension
    final JavaProcesses processes = new JavaProcesses();

    @Test
    void register_versionBeyondTheLimit_refusedAndAJoinerStillSeesTheOwnersOtherServices() {
        ProcessCluster cluster = new ProcessCluster(processes, "RegistrationLimitsIT", "plain", "web");
        MemberProcess owner = cluster.start("owner");
        Service plain = owner.register("plain@1.0.0", 4101);

        assertThatThrownBy(() -> owner.register("web@1.0.0-" + "a".repeat(300), 4102))
                .hasMessageContaining("at most 255");
        MemberProcess joiner = cluster.start("joiner");

        Await.until("the joiner sees the owner's plain@1.0.0", TIMEOUT, () -> joiner.query("plain").contains(plain),
                cluster::describe);
        assertThat(joiner.query("web")).isEmpty();
        assertThat(owner.query("plain")).containsExactly(plain);
    }
}
