package io.seaport.jgroups.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.seaport.testkit.Invariants;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Random kills, restarts, freezes and link cuts among five hosts while services register and
 * free, then a check that every live replica equals exactly the registrations of the live
 * members. The seed is logged; rerun one with {@code -Dseaport.chaos.seed=SEED} (and
 * {@code -Dseaport.chaos.seconds=N} to change the 60 s length).
 */
final class ChaosIT {
    private static final Logger LOG = LoggerFactory.getLogger(ChaosIT.class);
    private static final int MAX_STEPS = 400;
    private static final int MIN_LIVE = 2;
    private static final int MAX_CUT = 2;
    /** Longer than a merge round (MERGE3 max interval): a stale snapshot or a late ghost would show. */
    private static final Duration STABLE_FOR = Duration.ofSeconds(8);

    /** What one step of the schedule does, with its relative weight. */
    private enum Action {
        REGISTER(30), FREE(20), KILL(7), RESTART(12), FREEZE(7), THAW(8), CUT(7), RESTORE(9);

        final int weight;

        Action(int weight) {
            this.weight = weight;
        }
    }

    @RegisterExtension
    final HostCluster hosts = new HostCluster();

    @Test
    void chaos_randomFaultsAmongFiveHosts_everyLiveReplicaEqualsTheLiveMembersRegistrations() {
        long seed = Long.getLong("seaport.chaos.seed", new Random().nextLong());
        Duration length = Duration.ofSeconds(Long.getLong("seaport.chaos.seconds", 60));
        LOG.info("chaos seed {} for {} s (rerun: -Dseaport.chaos.seed={})", seed, length.toSeconds(), seed);
        Random random = new Random(seed);
        List<Node> nodes = hosts.start("chaos", 5);
        Map<Action, Integer> done = new EnumMap<>(Action.class);

        long end = System.nanoTime() + length.toNanos();
        for (int step = 0; step < MAX_STEPS && System.nanoTime() < end; step++) {
            Action action = pick(random);
            if (apply(action, nodes, random)) {
                done.merge(action, 1, Integer::sum);
            }
            pace(200 + random.nextInt(1800)); // some faults outlast failure detection, some do not
        }
        long lastFault = healEverything(nodes);
        List<Node> live = nodes.stream().filter(Node::isRunning).toList();
        long converged = hosts.awaitConverged("every live replica equal to the live members' registrations", live, live);
        String stable = hosts.checkStaysConverged(live, live, STABLE_FOR);
        // The registry's invariants as each member itself lists them (every role, no shared host:port).
        new Invariants().awaitHold(live.stream().map(Node::member).toList(), hosts::describe);

        assertThat(live).hasSizeGreaterThanOrEqualTo(MIN_LIVE);
        assertThat(stable).as("replicas that changed after converging (a late ghost or a late loss)").isEmpty();
        LOG.info("chaos seed {}: steps {}; {} live members with {} services; converged {} ms after the last fault",
                seed, done, live.size(), HostCluster.expected(live).size(), HostCluster.millis(converged - lastFault));
    }

    private static Action pick(Random random) {
        int total = 0;
        for (Action action : Action.values()) {
            total += action.weight;
        }
        int roll = random.nextInt(total);
        for (Action action : Action.values()) {
            roll -= action.weight;
            if (roll < 0) {
                return action;
            }
        }
        throw new IllegalStateException("weights do not add up");
    }

    /** Returns whether the action applied (it is skipped when nothing fits, such as a thaw with nothing frozen). */
    private boolean apply(Action action, List<Node> nodes, Random random) {
        long alive = nodes.stream().filter(n -> n.state() != Node.State.DEAD).count();
        long frozen = nodes.stream().filter(n -> n.state() == Node.State.FROZEN).count();
        long cut = nodes.stream().filter(n -> !n.host().isLinkUp()).count();
        Node node = switch (action) {
            case REGISTER -> any(nodes, random, Node::isRunning);
            case FREE -> any(nodes, random, n -> n.isRunning() && !n.registered().isEmpty());
            case KILL -> alive > MIN_LIVE ? any(nodes, random, n -> n.state() != Node.State.DEAD) : null;
            case RESTART -> any(nodes, random, n -> n.state() == Node.State.DEAD);
            case FREEZE -> frozen == 0 && alive - frozen > MIN_LIVE ? any(nodes, random, Node::isRunning) : null;
            case THAW -> any(nodes, random, n -> n.state() == Node.State.FROZEN);
            case CUT -> cut < MAX_CUT ? any(nodes, random, n -> n.host().isLinkUp() && n.state() != Node.State.DEAD) : null;
            case RESTORE -> any(nodes, random, n -> !n.host().isLinkUp());
        };
        if (node == null) {
            return false;
        }
        LOG.info("chaos: {} {}", action, node);
        switch (action) {
            case REGISTER -> node.register();
            case FREE -> {
                List<String> ids = new ArrayList<>(node.registered().keySet());
                node.free(ids.get(random.nextInt(ids.size())));
            }
            case KILL -> node.kill();
            case RESTART -> hosts.restart(node);
            case FREEZE -> node.freeze();
            case THAW -> node.thaw();
            case CUT -> node.host().cut();
            case RESTORE -> node.host().restore();
        }
        return true;
    }

    private static Node any(List<Node> nodes, Random random, Predicate<Node> fits) {
        List<Node> candidates = nodes.stream().filter(fits).toList();
        return candidates.isEmpty() ? null : candidates.get(random.nextInt(candidates.size()));
    }

    /** Returns when the last fault was undone: every frozen member thawed and every link restored. */
    private static long healEverything(List<Node> nodes) {
        for (Node node : nodes) {
            if (node.state() == Node.State.FROZEN) {
                node.thaw();
            }
            if (!node.host().isLinkUp()) {
                node.host().restore();
            }
        }
        LOG.info("chaos: healed; nodes {}", nodes);
        return System.nanoTime();
    }

    private static void pace(int millis) {
        try {
            Thread.sleep(millis); // the schedule's pace between two faults, not a wait for a condition
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted during the chaos run", e);
        }
    }
}
