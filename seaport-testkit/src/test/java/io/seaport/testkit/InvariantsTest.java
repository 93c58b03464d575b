package io.seaport.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seaport.Health;
import io.seaport.Service;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class InvariantsTest {
    private static final Service A1 = service("01A1", "a", "127.0.0.1", 1001, "member-a");
    private static final Service A2 = service("01A2", "a2", "127.0.0.1", 1002, "member-a");
    private static final Service B1 = service("01B1", "b", "127.0.0.1", 2001, "member-b");

    private static Service service(String id, String role, String host, int port, String member) {
        return new Service(id, role, "1.0.0", host, port, Map.of(), member, "default", Health.PASSING);
    }

    private static Invariants.Replica replica(String member, Service... services) {
        return new Invariants.Replica(member, member, "default", Map.of("default", List.of(services)), member);
    }

    @Test
    void violations_ofAgreeingReplicas_isEmpty() {
        List<Invariants.Replica> replicas = List.of(replica("member-a", A1, A2, B1), replica("member-b", B1, A1, A2));

        assertThat(new Invariants().violations(replicas)).isEmpty();
    }

    @Test
    void violations_ofReplicaMissingALiveOwnersService_namesMemberAndService() {
        List<Invariants.Replica> replicas = List.of(replica("member-a", A1, B1), replica("member-b", B1));

        assertThat(new Invariants().violations(replicas)).singleElement().asString()
                .contains("member-b lacks").contains("01A1");
    }

    @Test
    void violations_ofGhostOfAGoneOwner_isReported() {
        Service ghost = service("01C1", "c", "127.0.0.1", 3001, "member-c");
        List<Invariants.Replica> replicas = List.of(replica("member-a", A1, ghost), replica("member-b", A1));

        assertThat(new Invariants().violations(replicas)).singleElement().asString()
                .contains("member-a holds").contains("01C1");
    }

    @Test
    void violations_ofAServiceTheOwnerNoLongerLists_isReportedOnTheOtherReplica() {
        List<Invariants.Replica> replicas = List.of(replica("member-a", A1), replica("member-b", A1, A2));

        assertThat(new Invariants().violations(replicas)).singleElement().asString()
                .contains("member-b holds").contains("01A2");
    }

    @Test
    void violations_ofChangedCopy_reportsBothTheMissingAndTheWrongOne() {
        Service moved = service("01A1", "a", "127.0.0.1", 9999, "member-a");
        List<Invariants.Replica> replicas = List.of(replica("member-a", A1), replica("member-b", moved));

        assertThat(new Invariants().violations(replicas)).hasSize(2);
    }

    @Test
    void violations_ofServiceListedTwice_isReported() {
        List<Invariants.Replica> replicas = List.of(replica("member-a", A1, A1));

        assertThat(new Invariants().violations(replicas)).singleElement().asString().contains("twice");
    }

    @Test
    void violations_ofOnePortOfTwoMembers_isReportedUnlessAllowed() {
        Service clash = service("01B2", "b2", "127.0.0.1", 1001, "member-b");
        List<Invariants.Replica> replicas = List.of(replica("member-a", A1, clash), replica("member-b", A1, clash));

        assertThat(new Invariants().violations(replicas)).singleElement().asString()
                .contains("127.0.0.1:1001 is held by 2 services");
        assertThat(new Invariants().allowSharedPorts("registered twice on purpose").violations(replicas)).isEmpty();
    }

    @Test
    void violations_ofOnePortOfOneMemberUnderTwoRoles_isReported() {
        Service metrics = service("01A3", "metrics", "127.0.0.1", 1001, "member-a");
        List<Invariants.Replica> replicas = List.of(replica("member-a", A1, metrics), replica("member-b", metrics, A1));

        assertThat(new Invariants().violations(replicas)).singleElement().asString().contains("01A1").contains("01A3");
    }

    @Test
    void violations_perEnvironment_expectOnlyOwnersOfThatEnvironment() {
        Service staging = new Service("01S1", "s", "1.0.0", "127.0.0.1", 4001, Map.of(), "member-s", "staging",
                Health.PASSING);
        Invariants.Replica s = new Invariants.Replica("member-s", "member-s", "staging",
                Map.of("staging", List.of(staging), "default", List.of(A1)), "s");
        Invariants.Replica a = new Invariants.Replica("member-a", "member-a", "default",
                Map.of("staging", List.of(staging), "default", List.of(A1)), "a");

        assertThat(new Invariants().violations(List.of(s, a))).isEmpty();
    }

    @Test
    void awaitHold_neverQuiet_failsWithEveryReplica() {
        List<Invariants.Replica> replicas = List.of(replica("member-a", A1), replica("member-b"));

        assertThatThrownBy(() -> new Invariants().timeout(Duration.ofMillis(50))
                .awaitHold(() -> replicas, () -> "the views"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("member-b lacks")
                .hasMessageContaining("live members' replicas")
                .hasMessageContaining("the views");
    }

    @Test
    void allowSharedPorts_withoutReason_isRefused() {
        assertThatThrownBy(() -> new Invariants().allowSharedPorts(" "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reason");
    }
}
