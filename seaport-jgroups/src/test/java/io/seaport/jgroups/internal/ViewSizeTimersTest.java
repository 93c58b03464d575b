package io.seaport.jgroups.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.seaport.Seaport;
import io.seaport.testkit.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.jgroups.protocols.FD_ALL3;
import org.jgroups.protocols.MERGE3;
import org.jgroups.protocols.VERIFY_SUSPECT2;
import org.jgroups.stack.ProtocolStack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Failure detection and merge timers follow the view's size: a cluster of 17 default members
 * stretches every member's timers to twice the base, with the heartbeat tasks running again, still
 * replicates, and when one leaves the 16 return to the base timers.
 */
final class ViewSizeTimersTest {
    private static final Duration CONVERGE = Duration.ofSeconds(90);

    private final List<Seaport> members = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeMembers() {
        members.forEach(Seaport::close);
    }

    @Test
    void factor_isOneUpTo16Members_andGrowsByOneFor16More() {
        assertThat(ViewSizeTimers.factor(1)).isEqualTo(1);
        assertThat(ViewSizeTimers.factor(16)).isEqualTo(1);
        assertThat(ViewSizeTimers.factor(17)).isEqualTo(2);
        assertThat(ViewSizeTimers.factor(32)).isEqualTo(2);
        assertThat(ViewSizeTimers.factor(64)).isEqualTo(4);
        assertThat(ViewSizeTimers.fdTimeout(64)).isEqualTo(12_000);
        assertThat(ViewSizeTimers.fdInterval(64)).isEqualTo(4_000);
    }

    @Test
    void seventeenMembers_stretchTheirTimers_andSixteenReturnToTheBase() throws Exception {
        String cluster = "ViewSizeTimersTest-" + UUID.randomUUID();
        ExecutorService joins = Executors.newFixedThreadPool(4);
        List<Seaport> all = new ArrayList<>();
        try {
            List<Future<Seaport>> joined = new ArrayList<>();
            for (int i = 0; i < 17; i++) {
                int port = 42_000 + i;
                joined.add(joins.submit(() -> {
                    Seaport member = Seaport.builder().cluster(cluster).join();
                    members.add(member);
                    member.register("sized@1.0.0", port);
                    return member;
                }));
            }
            for (Future<Seaport> future : joined) {
                all.add(future.get());
            }
        } finally {
            joins.shutdownNow();
        }
        awaitTimers(all, 17, 2);
        Await.until("every member holds all 17 services", CONVERGE,
                () -> all.stream().allMatch(m -> m.query("sized@1").size() == 17), () -> counts(all));

        all.remove(0).close();
        awaitTimers(all, 16, 1);
        Await.until("every member holds the 16 services left", CONVERGE,
                () -> all.stream().allMatch(m -> m.query("sized@1").size() == 16), () -> counts(all));
    }

    private static void awaitTimers(List<Seaport> all, int size, int factor) {
        Await.until("every member in a view of " + size + " with timers " + factor + "x the base", CONVERGE,
                () -> all.stream().allMatch(m -> hasTimers(m, size, factor)),
                () -> all.stream().map(ViewSizeTimersTest::describe).collect(Collectors.joining("\n")));
    }

    private static boolean hasTimers(Seaport member, int size, int factor) {
        JGroupsSeaport seaport = (JGroupsSeaport) member;
        ProtocolStack stack = seaport.channel().getProtocolStack();
        FD_ALL3 fd = stack.findProtocol(FD_ALL3.class);
        MERGE3 merge = stack.findProtocol(MERGE3.class);
        VERIFY_SUSPECT2 verify = stack.findProtocol(VERIFY_SUSPECT2.class);
        return seaport.channel().getView().size() == size
                && fd.getInterval() == 1_000L * factor && fd.getTimeout() == 3_000L * factor && fd.isRunning()
                && verify.getTimeout() == 500L * factor
                && merge.getMinInterval() == 500L * factor && merge.getMaxInterval() == 2_000L * factor;
    }

    private static String describe(Seaport member) {
        JGroupsSeaport seaport = (JGroupsSeaport) member;
        ProtocolStack stack = seaport.channel().getProtocolStack();
        FD_ALL3 fd = stack.findProtocol(FD_ALL3.class);
        MERGE3 merge = stack.findProtocol(MERGE3.class);
        VERIFY_SUSPECT2 verify = stack.findProtocol(VERIFY_SUSPECT2.class);
        return seaport.memberName() + ": view " + seaport.channel().getView().size() + ", FD_ALL3 "
                + fd.getInterval() + "/" + fd.getTimeout() + " ms running " + fd.isRunning() + ", VERIFY_SUSPECT2 "
                + verify.getTimeout() + " ms, MERGE3 " + merge.getMinInterval() + "-" + merge.getMaxInterval() + " ms";
    }

    private static String counts(List<Seaport> all) {
        return all.stream().map(m -> Integer.toString(m.query("sized@1").size())).collect(Collectors.joining(" "));
    }
}
