package io.seaport.testkit;

import io.seaport.Seaport;
import io.seaport.Service;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The registry's promise, checked through the public API only: once a cluster is quiet,
 * <ol>
 *   <li>every live member's replica equals the union of the live members' own entries (a
 *       member's own entries are the services its own replica lists under its own
 *       {@link Seaport#member() name}), in every environment of the cluster;</li>
 *   <li>no (host, port) is held by two services of that union.</li>
 * </ol>
 * "Quiet" is awaited: the check passes as soon as both hold, and fails after a deadline with
 * every difference it saw. A closed member (whose {@code member()} throws) is not live.
 * Stateless and thread-safe.
 *
 * <pre>{@code
 * ReplicaInvariants.awaitHold(cluster.members(), Duration.ofSeconds(30));
 * }</pre>
 */
public final class ReplicaInvariants {
    /** The longest a test cluster is given to become quiet after a test. */
    public static final Duration QUIET_TIMEOUT = Duration.ofSeconds(30);

    private ReplicaInvariants() {
    }

    /**
     * Waits until the invariants hold for the live ones of {@code members}.
     *
     * @param members the members of one cluster, closed ones included
     * @param timeout how long the cluster may take to become quiet
     * @throws AssertionError naming every violation seen last, if they do not hold in time
     */
    public static void awaitHold(List<Seaport> members, Duration timeout) {
        String[] last = {""};
        Await.until("the replicas to agree (every live replica = union of the live owners' entries, "
                + "no host:port held twice)", timeout, () -> {
                    last[0] = violations(members);
                    return last[0].isEmpty();
                }, () -> last[0]);
    }

    /**
     * Returns every violation of the invariants now, one per line; empty if they hold.
     *
     * @param members the members of one cluster, closed ones included
     * @return the violations, or an empty string
     */
    public static String violations(List<Seaport> members) {
        Map<Seaport, String> live = new HashMap<>();
        Set<String> environments = new TreeSet<>();
        for (Seaport member : members) {
            try {
                live.put(member, member.member());
                environments.add(member.environment());
            } catch (IllegalStateException closed) {
                // not live
            }
        }
        StringBuilder out = new StringBuilder();
        Map<String, List<Service>> byAddress = new HashMap<>(); // ports are per host, whatever the environment
        for (String environment : environments) {
            Set<Service> union = new LinkedHashSet<>();
            for (Map.Entry<Seaport, String> member : live.entrySet()) {
                for (Service service : services(member.getKey(), environment)) {
                    if (service.member().equals(member.getValue())) {
                        union.add(service);
                    }
                }
            }
            for (Map.Entry<Seaport, String> member : live.entrySet()) {
                Set<Service> replica = new LinkedHashSet<>(services(member.getKey(), environment));
                if (!replica.equals(union)) {
                    Set<Service> missing = new LinkedHashSet<>(union);
                    missing.removeAll(replica);
                    Set<Service> extra = new LinkedHashSet<>(replica);
                    extra.removeAll(union);
                    out.append(member.getValue()).append(" in '").append(environment).append("': missing ")
                            .append(brief(missing)).append(", extra ").append(brief(extra)).append('\n');
                }
            }
            for (Service service : union) {
                byAddress.computeIfAbsent(service.address(), a -> new ArrayList<>()).add(service);
            }
        }
        byAddress.forEach((address, holders) -> {
            if (holders.size() > 1) {
                out.append(address).append(" is held ").append(holders.size()).append(" times: ")
                        .append(brief(holders)).append('\n');
            }
        });
        return out.toString();
    }

    private static List<Service> services(Seaport member, String environment) {
        try {
            return member.services(environment);
        } catch (IllegalStateException closedMeanwhile) {
            return List.of();
        }
    }

    private static String brief(Collection<Service> services) {
        List<String> out = new ArrayList<>();
        for (Service service : services) {
            out.add(service.roleAtVersion() + " " + service.address() + " of " + service.member() + " id "
                    + service.id());
        }
        return out.toString();
    }
}
