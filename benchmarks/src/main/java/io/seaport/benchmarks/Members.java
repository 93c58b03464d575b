package io.seaport.benchmarks;

import io.seaport.testkit.TestPorts;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Returns a set of member JVMs of one benchmark cluster (its own name and port block on
 * 127.0.0.1) and closes them all at the end.
 */
final class Members implements AutoCloseable {
    final String cluster;
    final int basePort;
    private final List<MemberHandle> all = new ArrayList<>();

    Members(String prefix) {
        cluster = BenchClusters.name(prefix);
        basePort = TestPorts.clusterBasePort();
    }

    /** Returns {@code n} new member JVMs (started in parallel), each joined in turn. */
    List<MemberHandle> startJoined(String name, int n) {
        List<CompletableFuture<MemberHandle>> starting = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String memberName = name + i;
            starting.add(CompletableFuture.supplyAsync(() -> MemberHandle.start(memberName)));
        }
        List<MemberHandle> started = new ArrayList<>();
        for (CompletableFuture<MemberHandle> future : starting) {
            MemberHandle member = future.join();
            add(member);
            started.add(member);
        }
        for (MemberHandle member : started) {
            member.call("join", cluster, basePort);
        }
        return started;
    }

    /** Returns one new member JVM, joined. */
    MemberHandle startJoined(String name) {
        return startJoined(name, 1).get(0);
    }

    /** Returns {@code member} after noting it for {@link #close()}. */
    MemberHandle add(MemberHandle member) {
        synchronized (all) {
            all.add(member);
        }
        return member;
    }

    /** Ends every member JVM, last started first. */
    @Override
    public void close() {
        List<MemberHandle> copy;
        synchronized (all) {
            copy = new ArrayList<>(all);
        }
        for (int i = copy.size() - 1; i >= 0; i--) {
            copy.get(i).close();
        }
    }
}
