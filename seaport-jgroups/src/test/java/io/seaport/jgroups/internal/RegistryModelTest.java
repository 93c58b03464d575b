package io.seaport.jgroups.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.seaport.Registration;
import io.seaport.Seaport;
import io.seaport.Service;
import io.seaport.testkit.Await;
import io.seaport.testkit.LocalCluster;
import io.seaport.testkit.LocalClusters;
import io.seaport.testkit.Invariants;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.jgroups.BytesMessage;
import org.jgroups.JChannel;
import org.jgroups.Message;
import org.jgroups.Receiver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A seeded random walk over in-JVM members (register, free, graceful close, crash, restart, and
 * hostile-but-key-holding input), checked against a simple model at quiet points: every live
 * member lists exactly the registrations the model holds, and {@link Invariants} hold.
 *
 * <p>Bounded in {@code ./mvnw verify} ({@value #DEFAULT_STEPS} steps); more on demand, and any
 * failure replays with its seed:
 * {@code -Dseaport.model.steps=2000 -Dseaport.model.seed=1234}. The seed is printed on failure.
 * Partitions are exercised by PartitionTest, not (yet) by this walk.
 */
final class RegistryModelTest {
    private static final int DEFAULT_STEPS = 40;
    private static final int CHECK_EVERY = 10;
    private static final int MAX_MEMBERS = 4;

    @RegisterExtension
    final LocalClusters clusters = new LocalClusters();

    /** What the model expects: the live members and the registrations each holds. */
    private final Map<Seaport, Map<String, Registration>> model = new HashMap<>();
    private int nextPort = 30_000;
    private long hostileSeq;

    @Test
    void randomWalk_atEveryQuietPoint_everyReplicaEqualsTheModel() throws Exception {
        long seed = Long.getLong("seaport.model.seed", ThreadLocalRandom.current().nextLong());
        int steps = Integer.getInteger("seaport.model.steps", DEFAULT_STEPS);
        List<String> trail = new ArrayList<>();
        LocalCluster cluster = clusters.start("RegistryModelTest", 3);
        try (JChannel hostile = hostileMember(cluster)) {
            cluster.members().forEach(m -> model.put(m, new HashMap<>()));
            Random random = new Random(seed);
            for (int step = 1; step <= steps; step++) {
                trail.add(step(cluster, hostile, random));
                if (step % CHECK_EVERY == 0 || step == steps) {
                    checkQuiet(cluster, trail);
                }
            }
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("model walk failed; replay with -Dseaport.model.seed=" + seed
                    + " -Dseaport.model.steps=" + steps + "\nsteps: " + trail, e);
        }
    }

    /**
     * Joins a channel that holds the cluster's key (it is a member of the view) but runs no Seaport:
     * it answers snapshot requests with an empty snapshot and otherwise sends only forged messages.
     */
    private static JChannel hostileMember(LocalCluster cluster) throws Exception {
        JChannel channel = StackFactory.create(cluster.builder().toConfig());
        channel.setName("hostile");
        channel.setReceiver(new Receiver() {
            @Override
            public void receive(Message message) {
                try {
                    if (message.hasArray() && WireCodec.decode(message.getArray(), message.getOffset(),
                            message.getLength()) instanceof WireMessage.SnapshotRequest) {
                        channel.send(new BytesMessage(message.getSrc(), WireCodec.encode(new WireMessage.Snapshot(
                                new WireMessage.Owner(7, 0, "hostile", "127.0.0.1"), List.of()))));
                    }
                } catch (Exception e) {
                    // a hostile member does not care
                }
            }
        });
        channel.connect(cluster.cluster());
        return channel;
    }

    private String step(LocalCluster cluster, JChannel hostile, Random random) {
        List<Seaport> live = new ArrayList<>(model.keySet());
        live.sort((a, b) -> a.member().compareTo(b.member())); // the seed alone decides what happens
        Seaport member = live.get(random.nextInt(live.size()));
        int action = random.nextInt(100);
        if (action < 45 || live.size() == 1 && action >= 60) {
            String role = "r" + random.nextInt(5) + "@1." + random.nextInt(3) + ".0";
            Registration registration = member.register(role, nextPort++);
            model.get(member).put(registration.service().id(), registration);
            return "register " + role + " on " + member.member();
        } else if (action < 70) {
            Map<String, Registration> own = model.get(member);
            if (own.isEmpty()) {
                return "free (nothing on " + member.member() + ")";
            }
            List<String> ids = new ArrayList<>(own.keySet());
            ids.sort(null);
            String id = ids.get(random.nextInt(ids.size()));
            own.remove(id).close();
            return "free " + id + " on " + member.member();
        } else if (action < 80) {
            return sendForged(hostile, live, random);
        } else if (action < 88 && live.size() > 1) {
            String name = member.member();
            model.remove(member);
            member.close();
            return "close " + name;
        } else if (action < 94 && live.size() > 1) {
            String name = member.member();
            model.remove(member);
            ((JGroupsSeaport) member).channel().close(); // peers see what they see of a crash
            member.close(); // what is left of it in this JVM
            return "crash " + name;
        } else if (live.size() < MAX_MEMBERS) {
            Seaport joined = cluster.add();
            model.put(joined, new HashMap<>());
            return "start " + joined.member();
        }
        return "nothing";
    }

    /** Sends what a hostile member holding the key might: others' ids at a foreign host, and frees of them. */
    private String sendForged(JChannel hostile, List<Seaport> live, Random random) {
        List<Service> others = new ArrayList<>();
        for (Seaport member : live) {
            model.get(member).values().forEach(r -> others.add(r.service()));
        }
        others.sort((a, b) -> a.id().compareTo(b.id()));
        if (others.isEmpty()) {
            return "forged (nothing to forge)";
        }
        Service target = others.get(random.nextInt(others.size()));
        WireMessage.Owner owner = new WireMessage.Owner(7, ++hostileSeq, "hostile", "127.0.0.1");
        WireMessage forged = random.nextBoolean()
                ? new WireMessage.Put(owner, new Entry(target.id(), target.environment(), target.role(),
                        target.version(), "10.66.0." + random.nextInt(250), target.port(), Map.of(), true, false))
                : new WireMessage.Free(owner, List.of(target.id()));
        try {
            hostile.send(new BytesMessage(null, WireCodec.encodeUnchecked(forged)));
        } catch (Exception e) {
            throw new AssertionError("the hostile member could not send", e);
        }
        return "forged " + forged.getClass().getSimpleName() + " of " + target.id();
    }

    private void checkQuiet(LocalCluster cluster, List<String> trail) {
        Set<Service> expected = new HashSet<>();
        model.values().forEach(own -> own.values().forEach(r -> expected.add(r.service())));
        Await.until("every live member to list exactly the model's registrations", () -> model.keySet().stream()
                .allMatch(m -> new HashSet<>(m.services()).equals(expected)),
                () -> "expected " + expected + "\n" + cluster.describe());
        Invariants invariants = new Invariants();
        List<Seaport> live = new ArrayList<>(model.keySet());
        invariants.awaitHold(() -> invariants.read(live), cluster::describe);
        assertThat(model.keySet()).isNotEmpty();
        trail.add("(quiet: " + expected.size() + " registrations on " + model.size() + " members)");
    }
}
