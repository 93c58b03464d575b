package io.seaport.benchmarks;

/** Adds the fixed method paragraphs and notes to the report. */
final class Notes {
    private Notes() {
    }

    static void add(Report report) {
        report.method("role and range parsing", "JMH, average time per call of `Role.parse`, `RoleRange.parse` and "
                + "`RoleRange.matchesVersion` (seaport-api SPI, semver4j underneath). The provider caches parsed "
                + "texts, so `query` and the replica do not pay this per call.");
        report.method("get completion", "JMH in one JVM, member alone in its cluster: `getThenRegister` = "
                + "`get(\"probe\")`, `register(\"probe@1.0.0\")`, wait for the future, free; `registerOnly` = the "
                + "same without `get`. The difference is what completing a pending get costs.");
        report.method("change cost by role size", "JMH in one JVM, member alone in its cluster: one `register` "
                + "and its free, in a role that already holds `size` services. Flat across sizes means a change "
                + "does not cost more as its role grows (the index keeps each role in a persistent tree).");
        report.method(ClusterScenarios.REGISTER, "Member JVMs on 127.0.0.1 (`BenchMember`, started by the harness). "
                + "The last member registers `probe@1.0.0`; the JVM stamps wall-clock µs (CLOCK_REALTIME via "
                + "`Instant.now()`, comparable across processes on one machine, unlike `nanoTime`) when `register()` "
                + "returns, and every other member stamps when its `watch(\"probe\")` listener receives the "
                + "Registered event. The figure is the difference. `register()` returns once the registering "
                + "member's own replica has applied the change, so the registrar's own delivery is inside the "
                + "register call and a watcher may see the event before `register()` returns (the figure can be "
                + "below zero). The other registrations (0 or 10k) are registered by the same member first.");
        report.method(ClusterScenarios.THROUGHPUT, "Three member JVMs; one of them calls `register()` N times "
                + "(from 1 or 4 threads). Every member counts the role's services with a watch; the figure is N / "
                + "(time of the last member's count reaching N - time before the first call), wall-clock µs.");
        report.method(ClusterScenarios.JOIN, "Cold: the harness stamps before launching `java`, the new JVM joins "
                + "(at start, in `main`) and stamps when `query` first returns a service registered by the existing "
                + "member. Warm: a member JVM that is already in the cluster builds a second `Seaport` and joins "
                + "again; stamped before `join()` and when its first query answers.");
        report.method(ClusterScenarios.NEWCOMER, "A warm member JVM builds a second `Seaport` that joins a cluster "
                + "whose other member owns N registrations; from before `join()` until `query(\"bulk\")` holds N.");
        report.method(ClusterScenarios.FAILURE, "Two observer JVMs and a victim JVM. kill -9: the harness stamps "
                + "just before SIGKILL; each observer's watch stamps when the victim's count reaches 0; the figure "
                + "is the later of the two. SIGSTOP: the same with `kill -STOP`. Heal: after the observers dropped "
                + "the frozen member, the harness stamps before `kill -CONT`; the figure runs until both observers "
                + "hold all 150 entries (50 per member) again. A DISCARD partition inside one JVM is not used: the "
                + "public API does not expose the channel, and a frozen-then-resumed member is a real split in "
                + "which both sides carry on on their own.");
        report.method(ClusterScenarios.HEAP, "Two member JVMs; used heap after `System.gc()` (the smallest of four "
                + "readings) before and after one member registers 10,000 services, divided by 10,000. Measured on "
                + "the other member (the replica's cost) and on the owner (replica + own entry + the Registration "
                + "objects the harness keeps).");
        report.method(ProxyScenarios.SECTION, "The backends (echo, one-shot echo, byte sink) and the client run in "
                + "the harness JVM; SeaportProxy runs in a member JVM of its own (`SeaportProxy.forward(seaport, "
                + "range, 0)`, defaults); haproxy and socat run as their own processes. Each round measures every "
                + "target in turn (direct first); ratios and differences are per round, so they compare like with "
                + "like. The client is blocking java.net.Socket with TCP_NODELAY.");
        report.note("Read the load averages above before quoting a figure: a 1-minute load above the core count "
                + "at the start means other work shared the machine, and tails and cross-JVM latencies suffer "
                + "first. The scale part itself runs up to 64 JVMs on these cores, which is what raises the load "
                + "at the end of a full run.");
        report.note("Why goals are missed is written next to each figure (method column) and discussed in "
                + "docs/benchmarks.md.");
    }
}
