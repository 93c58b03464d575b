package io.seaport.jgroups.faults;

import io.seaport.Service;
import io.seaport.testkit.MemberProcess;
import io.seaport.testkit.net.TestHost;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One host of a {@link HostCluster} and the member JVM currently running on it (if any), with
 * the registrations that member holds: the test's record of what the registry must show.
 *
 * <p>Not thread-safe: a test drives its nodes from one thread.
 */
final class Node {
    /** What the member JVM on the host is doing. */
    enum State { RUNNING, FROZEN, DEAD }

    static final String ROLE = "svc@1.0.0";
    static final String RANGE = "svc";

    private final TestHost host;
    private final Map<String, Service> registered = new LinkedHashMap<>();
    private MemberProcess member;
    private State state = State.DEAD;
    private int incarnation;

    Node(TestHost host) {
        this.host = host;
    }

    TestHost host() {
        return host;
    }

    String label() {
        return host.name() + "#" + incarnation;
    }

    MemberProcess member() {
        return member;
    }

    State state() {
        return state;
    }

    boolean isRunning() {
        return state == State.RUNNING;
    }

    /** Returns the live registrations of the current member, by id. */
    Map<String, Service> registered() {
        return Map.copyOf(registered);
    }

    void started(MemberProcess process) {
        member = process;
        state = State.RUNNING;
    }

    int nextIncarnation() {
        return ++incarnation;
    }

    /** Returns a new service of the member: a real echo server on an allocated port. */
    Service register() {
        Service service = member.serviceEcho(ROLE);
        registered.put(service.id(), service);
        return service;
    }

    /** Frees one of the member's services. */
    void free(String id) {
        member.free(id);
        registered.remove(id);
    }

    /** Kills the member with SIGKILL; its registrations are gone with it. */
    void kill() {
        member.kill();
        registered.clear();
        state = State.DEAD;
    }

    void freeze() {
        member.freeze();
        state = State.FROZEN;
    }

    void thaw() {
        member.thaw();
        state = State.RUNNING;
    }

    @Override
    public String toString() {
        return label() + " " + state + (host.isLinkUp() ? "" : " (cut)")
                + (member == null ? "" : " member=" + member.member());
    }
}
