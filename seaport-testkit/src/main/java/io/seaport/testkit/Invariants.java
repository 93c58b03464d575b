package io.seaport.testkit;

import io.seaport.Seaport;
import io.seaport.Service;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The registry's promise, checked from the outside once a cluster is quiet: every live member
 * holds the same, true map.
 *
 * <ol>
 *   <li><b>Replicas agree with the owners.</b> For every environment of a live member, every live
 *       member's {@code services(environment)} equals, as a set and without repeats, the union of
 *       the live owners' own entries. An owner's own entries are the services whose
 *       {@link Service#member()} is that owner, as the owner itself lists them. So a service of a
 *       member that left, or one that its owner no longer lists, is a violation wherever it shows,
 *       and so is a live owner's service that some member lacks.</li>
 *   <li><b>No (host, port) is held twice.</b> No two services that live members list are at one
 *       {@code host:port} (in any of the environments checked), whatever their owners or roles:
 *       the registry reconciles such a conflict when it can (the younger registration, if
 *       {@code service()} made it, moves to a fresh port) and otherwise reports it to both owners
 *       and keeps both (a port the user chose with {@code register()}, or one {@code allocate()}
 *       handed out). A test that makes such a conflict on purpose opts out with
 *       {@link #allowSharedPorts(String)}, giving its reason.</li>
 * </ol>
 *
 * <p>Reservations ({@code allocate()} before {@code ready()}) are not visible through the API and
 * are not checked. Only the published map is.
 *
 * <p>{@link #violations(List)} is the rule itself, on replicas already read;
 * {@link #awaitHold(Supplier, Supplier)} polls until it holds (the cluster is quiet) or fails after
 * {@link #timeout(Duration) a deadline} with every member's replica and what it lacks or has too
 * much. Not thread-safe; configure it, then use it from one thread.
 */
public final class Invariants {
    /** How long {@link #awaitHold} waits for a quiet cluster by default: generous, for a loaded machine. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private Duration timeout = DEFAULT_TIMEOUT;
    private String sharedPortsReason;
    private final Set<String> environments = new TreeSet<>();

    /** Creates a check of both rules, with the default timeout. */
    public Invariants() {
        // configured with the methods below
    }

    /**
     * One live member's replica, as read through the public API.
     *
     * @param label how the test names the member, for messages
     * @param member the member's name ({@code Seaport.member()})
     * @param environment the member's own environment
     * @param services what {@code services(environment)} returned, for each environment read
     * @param description how the member describes itself (its view), for messages
     */
    public record Replica(String label, String member, String environment, Map<String, List<Service>> services,
                          String description) {
        /**
         * Checks every component and copies the services.
         *
         * @param label how the test names the member
         * @param member the member's name
         * @param environment its own environment
         * @param services its services by environment
         * @param description its self-description
         */
        public Replica {
            Objects.requireNonNull(label, "label");
            Objects.requireNonNull(member, "member");
            Objects.requireNonNull(environment, "environment");
            services = Map.copyOf(services);
            Objects.requireNonNull(description, "description");
        }

        /** Returns this member's own entries: what it lists in its environment with itself as owner. */
        List<Service> own() {
            return services.getOrDefault(environment, List.of()).stream().filter(s -> s.member().equals(member))
                    .toList();
        }
    }

    /**
     * Lets two services be at one {@code host:port}: for a test that {@code register()}s one port
     * twice on purpose.
     *
     * @param reason why the test ends with a shared port, quoted in reports
     * @return this check
     */
    public Invariants allowSharedPorts(String reason) {
        this.sharedPortsReason = requireReason(reason);
        return this;
    }

    /**
     * Adds environments to read besides the live members' own ones (e.g. where a hostile test
     * injected entries).
     *
     * @param names environment names
     * @return this check
     */
    public Invariants environments(String... names) {
        environments.addAll(List.of(names));
        return this;
    }

    /**
     * Returns the environments to read: those added and those of {@code memberEnvironments}.
     *
     * @param memberEnvironments the live members' own environments
     * @return a sorted set
     */
    public Set<String> environmentsToRead(Set<String> memberEnvironments) {
        Set<String> all = new TreeSet<>(environments);
        all.addAll(memberEnvironments);
        return all;
    }

    /**
     * Sets how long {@link #awaitHold} waits for the cluster to become quiet.
     *
     * @param timeout a positive duration
     * @return this check
     */
    public Invariants timeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
        this.timeout = timeout;
        return this;
    }

    /**
     * Returns the replicas of the live ones of {@code members}, read now through the public API:
     * a member is live unless it is closed (its {@code member()} throws) or in {@code excluded}.
     * Each is labelled {@code member I}, its index in {@code members}.
     *
     * @param members the members of one cluster, closed ones included
     * @param excluded members cut off without being closed (crashed), not live
     * @return one replica per live member
     */
    public List<Replica> read(List<Seaport> members, Collection<Seaport> excluded) {
        Map<Integer, String[]> live = new LinkedHashMap<>();
        for (int i = 0; i < members.size(); i++) {
            Seaport member = members.get(i);
            if (excluded.stream().anyMatch(e -> e == member)) {
                continue;
            }
            try {
                live.put(i, new String[] {member.member(), member.environment()});
            } catch (IllegalStateException closed) {
                // closed: not live
            }
        }
        Set<String> envs = environmentsToRead(live.values().stream().map(n -> n[1]).collect(Collectors.toSet()));
        List<Replica> replicas = new ArrayList<>();
        for (Map.Entry<Integer, String[]> entry : live.entrySet()) {
            Seaport member = members.get(entry.getKey());
            Map<String, List<Service>> services = new LinkedHashMap<>();
            try {
                for (String env : envs) {
                    services.put(env, member.services(env));
                }
            } catch (IllegalStateException closed) {
                continue; // closed while being read
            }
            replicas.add(new Replica("member " + entry.getKey(), entry.getValue()[0], entry.getValue()[1], services,
                    String.valueOf(member)));
        }
        return replicas;
    }

    /**
     * Returns the replicas of the live ones of {@code members} (those not closed), read now.
     *
     * @param members the members of one cluster, closed ones included
     * @return one replica per live member
     */
    public List<Replica> read(List<Seaport> members) {
        return read(members, List.of());
    }

    /**
     * Returns every violation of the rules by {@code replicas}, the live members' replicas read
     * (as nearly as possible) at one moment; empty if they hold.
     *
     * @param replicas one per live member
     * @return one line per violation
     */
    public List<String> violations(List<Replica> replicas) {
        List<String> violations = new ArrayList<>();
        Set<String> envs = environmentsToRead(replicas.stream().map(Replica::environment).collect(Collectors.toSet()));
        for (String env : envs) {
            Set<Service> expected = expected(replicas, env);
            for (Replica replica : replicas) {
                List<Service> held = replica.services().getOrDefault(env, List.of());
                Set<Service> heldSet = new HashSet<>(held);
                if (heldSet.size() != held.size()) {
                    violations.add(replica.label() + " lists a service twice in environment '" + env + "': "
                            + briefs(repeated(held)));
                }
                Set<Service> missing = new LinkedHashSet<>(expected);
                missing.removeAll(heldSet);
                Set<Service> extra = new LinkedHashSet<>(heldSet);
                extra.removeAll(expected);
                if (!missing.isEmpty()) {
                    violations.add(replica.label() + " lacks, in environment '" + env + "', live owners' services "
                            + briefs(missing));
                }
                if (!extra.isEmpty()) {
                    violations.add(replica.label() + " holds, in environment '" + env + "', services no live owner "
                            + "lists as its own " + briefs(extra));
                }
            }
        }
        if (sharedPortsReason == null) {
            sharedPorts(replicas, envs, violations);
        }
        return violations;
    }

    /**
     * Polls {@code read} until {@link #violations} is empty; fails after the timeout.
     *
     * @param read reads the live members' replicas
     * @param describe describes the cluster (every member's view), for the failure message
     * @throws AssertionError if the rules still do not hold at the deadline; the message lists the
     *     violations, every live member's replica and {@code describe}
     */
    public void awaitHold(Supplier<List<Replica>> read, Supplier<String> describe) {
        awaitHold(read, describe, 0);
    }

    /**
     * Polls the replicas of member JVMs (at most every 100 ms: each read is a command per member
     * and environment) until {@link #violations} is empty; fails after the timeout.
     *
     * @param live the live members (running, not frozen, not cut off): each is asked its
     *     environment, then its services in every environment of the live members
     * @param describe describes the cluster, for the failure message
     * @throws AssertionError if the rules still do not hold at the deadline
     */
    public void awaitHold(List<MemberProcess> live, Supplier<String> describe) {
        Set<String> envs = environmentsToRead(live.stream().map(MemberProcess::environment).collect(Collectors.toSet()));
        awaitHold(() -> live.stream().map(m -> m.replica(envs)).toList(), describe, 100);
    }

    private void awaitHold(Supplier<List<Replica>> read, Supplier<String> describe, long pollMillis) {
        long[] lastPoll = {System.nanoTime() - Duration.ofMillis(pollMillis).toNanos()};
        List<List<String>> last = new ArrayList<>(List.of(List.of()));
        List<List<Replica>> lastRead = new ArrayList<>(List.of(List.of()));
        Await.until("the cluster's invariants (every live replica equals the live owners' entries"
                + (sharedPortsReason == null ? "; no host:port held twice" : "") + ")", timeout, () -> {
                    if (System.nanoTime() - lastPoll[0] < Duration.ofMillis(pollMillis).toNanos()) {
                        return false;
                    }
                    lastPoll[0] = System.nanoTime();
                    List<Replica> replicas = read.get();
                    List<String> violations = violations(replicas);
                    last.set(0, violations);
                    lastRead.set(0, replicas);
                    return violations.isEmpty();
                }, () -> report(last.get(0), lastRead.get(0)) + "\n" + describe.get());
    }

    /** Returns the violations and every replica, for a failure message. */
    static String report(List<String> violations, List<Replica> replicas) {
        StringBuilder out = new StringBuilder("violations:");
        violations.forEach(v -> out.append("\n  ").append(v));
        out.append("\nlive members' replicas:");
        for (Replica replica : replicas) {
            out.append("\n  ").append(replica.label()).append(" = ").append(replica.member()).append(" (env '")
                    .append(replica.environment()).append("')");
            new TreeMap<>(replica.services()).forEach((env, services) -> {
                out.append("\n    ").append(env).append(": ").append(services.size()).append(" services");
                services.forEach(s -> out.append("\n      ").append(MemberProcess.brief(s)));
            });
        }
        return out.toString();
    }

    private static Set<Service> expected(List<Replica> replicas, String env) {
        Set<Service> expected = new LinkedHashSet<>();
        for (Replica owner : replicas) {
            if (owner.environment().equals(env)) {
                expected.addAll(owner.own());
            }
        }
        return expected;
    }

    private static void sharedPorts(List<Replica> replicas, Set<String> envs, List<String> violations) {
        // Every service any live member lists, by host:port: the union, so that a duplicate only
        // one member holds (a ghost) is reported too.
        Map<String, Set<Service>> byAddress = new TreeMap<>();
        for (Replica replica : replicas) {
            for (String env : envs) {
                for (Service service : replica.services().getOrDefault(env, List.of())) {
                    byAddress.computeIfAbsent(service.address(), a -> new TreeSet<>(BY_ID)).add(service);
                }
            }
        }
        byAddress.forEach((address, services) -> {
            if (services.size() > 1) {
                violations.add(address + " is held by " + services.size() + " services: " + briefs(services));
            }
        });
    }

    private static final Comparator<Service> BY_ID = Comparator.comparing(Service::id).thenComparing(Service::member)
            .thenComparing(Service::environment).thenComparing(Service::role);

    private static List<Service> repeated(List<Service> held) {
        Set<Service> seen = new HashSet<>();
        return held.stream().filter(s -> !seen.add(s)).toList();
    }

    private static String briefs(Collection<Service> services) {
        return services.stream().map(MemberProcess::brief).collect(Collectors.joining(", ", "[", "]"));
    }

    static String requireReason(String reason) {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("a reason is required, was '" + reason + "'");
        }
        return reason;
    }
}
