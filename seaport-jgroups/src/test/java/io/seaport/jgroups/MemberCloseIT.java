package io.seaport.jgroups;

import static io.seaport.testkit.Events.freed;
import static io.seaport.testkit.Events.reason;
import static io.seaport.testkit.Events.registered;
import static org.assertj.core.api.Assertions.assertThat;

import io.seaport.Service;
import io.seaport.ServiceEvent;
import io.seaport.ServiceEvent.Reason;
import io.seaport.testkit.JavaProcesses;
import io.seaport.testkit.MemberProcess;
import io.seaport.testkit.MemberProcess.Timed;
import io.seaport.testkit.MemberProcess.Watch;
import io.seaport.testkit.ProcessCluster;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A member that closes tells the others at once instead of leaving them to failure detection. */
final class MemberCloseIT {
    private static final Logger LOG = LoggerFactory.getLogger(MemberCloseIT.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** Far below failure detection of a silent member (~9 s), far above a multicast (~1 ms). */
    private static final Duration WELL_BEFORE_FAILURE_DETECTION = Duration.ofSeconds(5);

    @RegisterExtension
    final JavaProcesses processes = new JavaProcesses();

    @Test
    void close_ofMember_othersSeeFreedWellBeforeFailureDetection() {
        ProcessCluster cluster = new ProcessCluster(processes, "MemberCloseIT", "leaving");
        List<MemberProcess> members = cluster.start("a", "b", "leaver");
        MemberProcess leaver = members.get(2);
        Service echo = leaver.serviceEcho("leaving@1.0.0");
        Service assumed = leaver.register("leaving@1.1.0", 4301);
        List<Watch> watches = List.of(members.get(0).watch("leaving"), members.get(1).watch("leaving"));
        for (Watch watch : watches) {
            watch.awaitEvent("Registered " + echo.id(), registered(echo.id()), TIMEOUT);
            watch.awaitEvent("Registered " + assumed.id(), registered(assumed.id()), TIMEOUT);
        }

        long closedAt = System.nanoTime();
        leaver.closeSeaport();

        long last = closedAt;
        for (Watch watch : watches) {
            for (Service service : List.of(echo, assumed)) {
                Timed<ServiceEvent> event = watch.awaitEvent("Freed " + service.id(), freed(service.id()), TIMEOUT);
                assertThat(reason(event.value())).as("reason for %s", service.id()).isEqualTo(Reason.FREED);
                last = Math.max(last, event.nanoTime());
            }
        }
        Duration seen = Duration.ofNanos(last - closedAt);
        assertThat(seen).isLessThan(WELL_BEFORE_FAILURE_DETECTION);
        for (MemberProcess member : members.subList(0, 2)) {
            assertThat(member.query("leaving")).as("%s's services", member).isEmpty();
        }
        assertThat(leaver.process().isAlive()).isTrue();
        LOG.info("MEASURED close() sent -> Freed(FREED) on every other member: {} ms", seen.toMillis());
    }
}
