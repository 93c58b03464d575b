package io.seaport.jgroups.internal;

import io.seaport.Registration;
import io.seaport.Seaport;
import io.seaport.Service;
import io.seaport.testkit.Await;
import io.seaport.testkit.LocalCluster;
import io.seaport.testkit.LocalClusters;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.jgroups.Address;
import org.jgroups.BytesMessage;
import org.jgroups.protocols.DISCARD;
import org.jgroups.protocols.TCP;
import org.jgroups.stack.ProtocolStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A seeded random walk over what can happen to a cluster in one JVM, checked against a model at
 * every quiet point. Steps: register, service (allocated port), free, close a member, crash one
 * (its channel closed, no FREE sent), restart (a new member joins), partition the live members in
 * two (DISCARD above the transport; sometimes until the views split, sometimes only a moment of
 * lost messages), heal, and bursts of hostile input from a member that holds the cluster's key:
 * forged owner incarnations, other members' entry ids (under their role and under another),
 * frees of other members' ids, entries at a foreign host, empty snapshots, garbage and truncated
 * messages. A hostile burst always ends with the liar retracting (an empty snapshot in its forged
 * incarnation), so the model stays simple: every live member's replica equals the registrations
 * the live honest members hold, and the cluster's {@link io.seaport.testkit.Invariants} hold.
 *
 * <p>The seed is logged and printed on failure; replay with {@code -Dseaport.model.seed=SEED}. It
 * runs {@code -Dseaport.model.steps} steps (default {@value #DEFAULT_STEPS}) but stops early after
 * {@code -Dseaport.model.seconds} (default {@value #DEFAULT_SECONDS}; 0 for no limit) so that
 * {@code ./mvnw verify} stays bounded on a loaded machine; a replay with the same seed takes the
 * same steps (the timing of the cluster underneath may differ). Partitions and member changes
 * (close, crash) cost seconds each, so a run makes at most {@code 2 + steps / 1000} partitions
 * and {@code 3 + steps / 250} member changes; the other steps take milliseconds.
 *
 * <pre>
 * ./mvnw -B -ntp -pl seaport-jgroups -am test -Dtest=RandomizedModelTest -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dseaport.model.seed=SEED -Dseaport.model.steps=10000 -Dseaport.model.seconds=0
 * </pre>
 */
final class RandomizedModelTest {
    private static final Logger LOG = LoggerFactory.getLogger(RandomizedModelTest.class);
    private static final int DEFAULT_STEPS = 1_500;
    private static final int DEFAULT_SECONDS = 50;
    private static final int MEMBERS = 4;
    private static final int MIN_LIVE_HONEST = 2;
    private static final int FIRST_REGISTERED_PORT = 30_000; // above the allocator's default range
    private static final Duration QUIET_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration SPLIT_TIMEOUT = Duration.ofSeconds(30);
    private static final List<String> ROLES = List.of("web", "db", "cache", "queue worker");

    @RegisterExtension
    final LocalClusters clusters = new LocalClusters();

    /** What one step does, with its weight. */
    private enum Action {
        REGISTER(30), SERVICE(6), FREE(22), CLOSE(2), CRASH(2), RESTART(4), PARTITION(2), HEAL(2), HOSTILE(4);

        final int weight;

        Action(int weight) {
            this.weight = weight;
        }
    }

    /** One member of the walk and what the model says it holds. */
    private static final class Slot {
        final String label;
        final JGroupsSeaport seaport;
        final DISCARD discard;
        final boolean hostile;
        final Map<String, Registration> registrations = new LinkedHashMap<>();
        boolean live = true;

        Slot(String label, JGroupsSeaport seaport, DISCARD discard, boolean hostile) {
            this.label = label;
            this.seaport = seaport;
            this.discard = discard;
            this.hostile = hostile;
        }

        Address address() {
            return seaport.channel().getAddress();
        }

        @Override
        public String toString() {
            return label + "(" + seaport.memberName() + ")";
        }
    }

    private LocalCluster cluster;
    private Random random;
    private final List<Slot> slots = new ArrayList<>();
    private final Deque<String> recent = new ArrayDeque<>();
    private final Map<Action, Integer> done = new EnumMap<>(Action.class);
    private int nextPort = FIRST_REGISTERED_PORT;
    private long forgedIncarnation = Long.MAX_VALUE / 2;
    private boolean partitioned;
    /** Partitions and member changes cost seconds each (failure detection, merges): a run has a few. */
    private int partitionsLeft;
    private int membershipChangesLeft;
    private int quietPoints;
    private int step;

    @Test
    void randomSteps_atEveryQuietPoint_everyReplicaEqualsTheModel() throws Exception {
        long seed = Long.getLong("seaport.model.seed", new SecureRandom().nextLong());
        int steps = Integer.getInteger("seaport.model.steps", DEFAULT_STEPS);
        long seconds = Long.getLong("seaport.model.seconds", DEFAULT_SECONDS);
        LOG.info("model seed {}, {} steps (replay: -Dseaport.model.seed={})", seed, steps, seed);
        random = new Random(seed);
        partitionsLeft = 2 + steps / 1_000;
        membershipChangesLeft = 3 + steps / 250;
        long begin = System.nanoTime();
        try {
            cluster = clusters.start("RandomizedModelTest", 0);
            for (int i = 0; i < MEMBERS; i++) {
                join(i == MEMBERS - 1);
            }
            int untilQuiet = 1 + random.nextInt(40);
            for (step = 1; step <= steps; step++) {
                if (seconds > 0 && System.nanoTime() - begin > Duration.ofSeconds(seconds).toNanos()) {
                    LOG.info("model seed {}: stopping after {} of {} steps: the {} s budget is spent", seed,
                            step - 1, steps, seconds);
                    break;
                }
                Action action = pick();
                long stepBegin = System.nanoTime();
                boolean applied = apply(action);
                slow("step " + step + " " + action, stepBegin);
                if (applied) {
                    done.merge(action, 1, Integer::sum);
                }
                untilQuiet--;
                if (!partitioned && (applied && action == Action.HEAL || untilQuiet <= 0)) {
                    long quietBegin = System.nanoTime();
                    awaitModel();
                    slow("quiet point after step " + step, quietBegin);
                    untilQuiet = 1 + random.nextInt(40);
                }
            }
            step = -1;
            heal();
            awaitModel();
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("model seed " + seed + " failed at step " + step + " (replay: "
                    + "-Dseaport.model.seed=" + seed + "); last steps:\n  " + String.join("\n  ", recent)
                    + "\n" + e.getMessage(), e);
        }
        LOG.info("model seed {}: {} quiet points checked in {} ms; steps {}", seed, quietPoints,
                Duration.ofNanos(System.nanoTime() - begin).toMillis(), done);
    }

    // ---- steps

    private Action pick() {
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

    /** Returns whether the action applied (it is skipped when nothing fits). */
    private boolean apply(Action action) throws Exception {
        long honestLive = slots.stream().filter(s -> s.live && !s.hostile).count();
        switch (action) {
            case REGISTER -> {
                Slot slot = any(s -> s.live && !s.hostile);
                if (slot == null) {
                    return false;
                }
                String role = ROLES.get(random.nextInt(ROLES.size())) + "@1." + random.nextInt(3) + "." + random.nextInt(3);
                int port = nextPort++;
                Map<String, String> metadata = random.nextInt(4) == 0 ? Map.of("step", Integer.toString(step)) : Map.of();
                Registration registration = slot.seaport.register(role, port, metadata);
                slot.registrations.put(registration.service().id(), registration);
                note(slot + " register " + role + " :" + port + " -> " + registration.service().id());
            }
            case SERVICE -> {
                Slot slot = partitioned ? null : any(s -> s.live && !s.hostile);
                if (slot == null) {
                    return false;
                }
                String role = ROLES.get(random.nextInt(ROLES.size())) + "@2.0.0";
                Registration registration = slot.seaport.service(role, port -> { });
                slot.registrations.put(registration.service().id(), registration);
                note(slot + " service " + role + " -> :" + registration.port() + " " + registration.service().id());
            }
            case FREE -> {
                Slot slot = any(s -> s.live && !s.registrations.isEmpty());
                if (slot == null) {
                    return false;
                }
                List<String> ids = new ArrayList<>(slot.registrations.keySet());
                String id = ids.get(random.nextInt(ids.size()));
                slot.registrations.remove(id).close();
                note(slot + " free " + id);
            }
            case CLOSE -> {
                Slot slot = honestLive > MIN_LIVE_HONEST && membershipChangesLeft-- > 0
                        ? any(s -> s.live && !s.hostile) : null;
                if (slot == null) {
                    return false;
                }
                slot.seaport.close();
                gone(slot);
                note(slot + " close");
            }
            case CRASH -> {
                Slot slot = honestLive > MIN_LIVE_HONEST && membershipChangesLeft-- > 0
                        ? any(s -> s.live && !s.hostile) : null;
                if (slot == null) {
                    return false;
                }
                slot.seaport.channel().close(); // leaves without sending FREE: what peers see of a crash
                cluster.crashed(slot.seaport);
                gone(slot);
                note(slot + " crash");
            }
            case RESTART -> {
                if (partitioned || honestLive >= MEMBERS - 1) {
                    return false;
                }
                Slot slot = join(false);
                note(slot + " joined");
            }
            case PARTITION -> {
                List<Slot> live = slots.stream().filter(s -> s.live).toList();
                if (partitioned || live.size() < 2 || partitionsLeft == 0) {
                    return false;
                }
                partitionsLeft--;
                partition(live);
            }
            case HEAL -> {
                if (!partitioned) {
                    return false;
                }
                heal();
            }
            case HOSTILE -> {
                Slot liar = any(s -> s.live && s.hostile);
                if (liar == null) {
                    return false;
                }
                hostileBurst(liar);
            }
        }
        return true;
    }

    private Slot join(boolean hostile) throws Exception {
        JGroupsSeaport seaport = (JGroupsSeaport) cluster.add();
        DISCARD discard = new DISCARD();
        discard.setAddress(seaport.channel().getAddress());
        seaport.channel().getProtocolStack().insertProtocol(discard, ProtocolStack.Position.ABOVE, TCP.class);
        Slot slot = new Slot((hostile ? "liar" : "m") + slots.size(), seaport, discard, hostile);
        slots.add(slot);
        return slot;
    }

    private void gone(Slot slot) {
        slot.live = false;
        slot.registrations.clear();
    }

    private void partition(List<Slot> live) {
        List<Slot> sideA = new ArrayList<>();
        List<Slot> sideB = new ArrayList<>();
        for (Slot slot : live) {
            (random.nextBoolean() ? sideA : sideB).add(slot);
        }
        if (sideA.isEmpty()) {
            sideA.add(sideB.remove(0));
        } else if (sideB.isEmpty()) {
            sideB.add(sideA.remove(0));
        }
        Address[] a = sideA.stream().map(Slot::address).toArray(Address[]::new);
        Address[] b = sideB.stream().map(Slot::address).toArray(Address[]::new);
        sideA.forEach(s -> s.discard.addIgnoredMembers(b));
        sideB.forEach(s -> s.discard.addIgnoredMembers(a));
        partitioned = true;
        boolean untilSplit = random.nextInt(3) == 0;
        note("partition " + sideA + " | " + sideB + (untilSplit ? " until the views split" : ""));
        if (untilSplit) {
            Await.until("the views split", SPLIT_TIMEOUT, () -> live.stream()
                    .allMatch(s -> s.seaport.channel().getView().size() == (sideA.contains(s) ? a.length : b.length)),
                    this::describe);
        }
    }

    private void heal() {
        if (!partitioned) {
            return;
        }
        slots.stream().filter(s -> s.live).forEach(s -> s.discard.resetIgnoredMembers());
        partitioned = false;
        note("heal");
    }

    /**
     * Sends crafted messages from {@code liar} (a member holding the key), then retracts them: an
     * empty snapshot in the forged incarnation, so what it published through them is gone.
     */
    private void hostileBurst(Slot liar) throws Exception {
        long incarnation = ++forgedIncarnation;
        String name = liar.seaport.memberName();
        WireMessage.Owner[] owner = new WireMessage.Owner[1];
        long[] seq = {0};
        Supplier<WireMessage.Owner> next = () -> owner[0] = new WireMessage.Owner(incarnation,
                ++seq[0], name, "127.0.0.1");
        List<Service> victims = slots.stream().filter(s -> s.live && !s.hostile)
                .flatMap(s -> s.registrations.values().stream().map(Registration::service)).toList();
        List<String> kinds = new ArrayList<>();
        int messages = 1 + random.nextInt(6);
        for (int i = 0; i < messages; i++) {
            Service victim = victims.isEmpty() ? null : victims.get(random.nextInt(victims.size()));
            String id = victim != null ? victim.id() : "01ARZ3NDEKTSV4RRFFQ69G5FAV";
            String role = victim != null && random.nextBoolean() ? victim.role() : "evil";
            String version = victim != null ? victim.version() : "6.6.6";
            switch (random.nextInt(7)) {
                case 0 -> { // another member's id, at the liar's own host, under its role or another
                    kinds.add("put of " + id + " as " + role);
                    send(liar, new WireMessage.Put(next.get(), new Entry(id, "default", role, version, "127.0.0.1",
                            nextPort++, Map.of(), true, false)));
                }
                case 1 -> { // an entry at a foreign host: refused
                    kinds.add("put at a foreign host");
                    send(liar, new WireMessage.Put(next.get(), new Entry(id, "default", role, version, "10.6.6.6",
                            6666, Map.of(), true, false)));
                }
                case 2 -> { // frees of other members' ids
                    kinds.add("free of " + id);
                    send(liar, new WireMessage.Free(next.get(), List.of(id)));
                }
                case 3 -> { // a snapshot holding another member's entry
                    kinds.add("snapshot with " + id);
                    send(liar, new WireMessage.Snapshot(next.get(), List.of(new Entry(id, "default", role, version,
                            "127.0.0.1", nextPort++, Map.of(), true, random.nextBoolean()))));
                }
                case 4 -> { // a stale incarnation: ignored
                    kinds.add("stale put");
                    send(liar, new WireMessage.Put(new WireMessage.Owner(1, 1, name, "127.0.0.1"), new Entry(id,
                            "default", "stale", "1.0.0", "127.0.0.1", nextPort++, Map.of(), true, false)));
                }
                case 5 -> { // garbage
                    kinds.add("garbage");
                    byte[] garbage = new byte[1 + random.nextInt(64)];
                    random.nextBytes(garbage);
                    liar.seaport.channel().send(new BytesMessage(null, garbage));
                }
                default -> { // a valid message cut short
                    kinds.add("truncated put");
                    byte[] bytes = WireCodec.encodeUnchecked(new WireMessage.Put(next.get(), new Entry(id, "default",
                            "cut", "1.0.0", "127.0.0.1", nextPort++, Map.of(), true, false)));
                    liar.seaport.channel().send(new BytesMessage(null, Arrays.copyOf(bytes,
                            random.nextInt(bytes.length))));
                }
            }
        }
        send(liar, new WireMessage.Snapshot(next.get(), List.of())); // the retraction
        note(liar + " hostile: " + kinds + ", then retracts (incarnation " + incarnation + ")");
    }

    private static void send(Slot liar, WireMessage message) throws Exception {
        liar.seaport.channel().send(new BytesMessage(null, WireCodec.encodeUnchecked(message)));
    }

    /** Logs what took long, to see where a run's time goes. */
    private static void slow(String what, long since) {
        long millis = Duration.ofNanos(System.nanoTime() - since).toMillis();
        if (millis >= 300) {
            LOG.info("model: {} took {} ms", what, millis);
        }
    }

    private Slot any(Predicate<Slot> fits) {
        List<Slot> candidates = slots.stream().filter(fits).toList();
        return candidates.isEmpty() ? null : candidates.get(random.nextInt(candidates.size()));
    }

    private void note(String what) {
        LOG.debug("model step {}: {}", step, what);
        recent.addLast(step + ": " + what);
        if (recent.size() > 40) {
            recent.removeFirst();
        }
    }

    // ---- the model

    /** Waits until every live member holds exactly the model's services and the invariants hold. */
    private void awaitModel() {
        quietPoints++;
        Set<Service> expected = new LinkedHashSet<>();
        slots.stream().filter(s -> s.live).forEach(s -> s.registrations.values()
                .forEach(r -> expected.add(r.service())));
        List<Slot> live = slots.stream().filter(s -> s.live).toList();
        Set<Address> members = live.stream().map(Slot::address).collect(Collectors.toSet());
        Await.until("one view of the " + live.size() + " live members, and every live replica equal to the model ("
                + expected.size() + " services)", QUIET_TIMEOUT,
                () -> live.stream().allMatch(s -> new HashSet<>(s.seaport.channel().getView().getMembers())
                        .equals(members) && matches(s, expected)), () -> diff(live, expected));
        cluster.checkInvariants();
    }

    private static boolean matches(Slot slot, Set<Service> expected) {
        List<Service> held = slot.seaport.services("default");
        return held.size() == expected.size() && new HashSet<>(held).equals(expected);
    }

    private String diff(List<Slot> live, Set<Service> expected) {
        StringBuilder out = new StringBuilder("model: ").append(expected.size()).append(" services");
        for (Slot slot : live) {
            List<Service> held = slot.seaport.services("default");
            Set<Service> missing = new LinkedHashSet<>(expected);
            held.forEach(missing::remove);
            List<Service> extra = held.stream().filter(s -> !expected.contains(s)).toList();
            out.append("\n  ").append(slot).append(": holds ").append(held.size()).append(", lacks ")
                    .append(brief(missing)).append(", has too much ").append(brief(extra));
        }
        return out.append('\n').append(describe()).toString();
    }

    private static String brief(Collection<Service> services) {
        return services.stream().map(s -> s.roleAtVersion() + " " + s.address() + " " + s.id() + " (" + s.member()
                + ")").collect(Collectors.joining(", ", "[", "]"));
    }

    private String describe() {
        return slots.stream().map(s -> s + (s.live ? "" : " gone") + " view " + (s.live
                ? s.seaport.channel().getView() : "-")).collect(Collectors.joining("\n  ", "slots:\n  ", "\n"))
                + cluster.describe();
    }
}
