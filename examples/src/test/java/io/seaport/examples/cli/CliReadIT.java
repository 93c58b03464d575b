package io.seaport.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.seaport.Service;
import io.seaport.testkit.Await;
import io.seaport.testkit.JavaProcess;
import io.seaport.testkit.JavaProcesses;
import io.seaport.testkit.MemberProcess;
import io.seaport.testkit.TestPorts;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code seaport show}, {@code query} and {@code watch} as real processes against a member JVM. */
final class CliReadIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @RegisterExtension
    final JavaProcesses processes = new JavaProcesses();

    @Test
    void show_runningMember_printsAlignedTableAndJson() {
        String cluster = Cli.cluster("show");
        int base = TestPorts.clusterBasePort();
        MemberProcess member = MemberProcess.launcher(cluster, base).label("member").start(processes);
        Service web = member.register("web@1.2.0", 8081, Map.of("zone", "a"));
        member.register("db@3.2.2", 5984);

        JavaProcess table = processes.start(Cli.seaport(cluster, base, "show", "web", "db"));
        JavaProcess json = processes.start(Cli.seaport(cluster, base, "show", "web", "--json"));
        JavaProcess everything = processes.start(Cli.seaport(cluster, base, "show"));

        assertThat(table.awaitExit(TIMEOUT)).as(table.tail(20)).isZero();
        assertThat(table.stdout()).as(table.tail(20)).hasSize(3);
        assertThat(table.stdout().get(0)).matches("ROLE +VERSION +ADDRESS +HEALTH +MEMBER +AGE +META");
        assertThat(table.stdout().get(1)).matches("db +3\\.2\\.2 +127\\.0\\.0\\.1:5984 +passing +"
                + Pattern.quote(member.member()) + " +\\d+s");
        assertThat(table.stdout().get(2)).matches("web +1\\.2\\.0 +127\\.0\\.0\\.1:8081 +passing +\\S+ +\\d+s +zone=a");
        int addressColumn = table.stdout().get(0).indexOf("ADDRESS");
        assertThat(table.stdout()).allMatch(line -> line.indexOf("127.0.0.1") == addressColumn
                || line.startsWith("ROLE"));
        assertThat(everything.awaitExit(TIMEOUT)).as(everything.tail(20)).isZero();
        assertThat(everything.stdout()).as(everything.tail(20)).hasSize(3);
        assertThat(everything.stdout().get(1)).startsWith("db ");
        assertThat(everything.stdout().get(2)).startsWith("web ");
        assertThat(json.awaitExit(TIMEOUT)).as(json.tail(20)).isZero();
        assertThat(String.join("\n", json.stdout())).as(json.tail(20)).startsWith("[\n  {\"role\":\"web\",\"version\":\"1.2.0\"")
                .contains("\"port\":8081", "\"id\":\"" + web.id() + "\"", "\"metadata\":{\"zone\":\"a\"}")
                .endsWith("}\n]");
    }

    @Test
    void query_severalVersions_printsMatchesHighestFirst() {
        String cluster = Cli.cluster("query");
        int base = TestPorts.clusterBasePort();
        MemberProcess member = MemberProcess.launcher(cluster, base).label("member").start(processes);
        member.register("api@1.0.0", 9100);
        member.register("api@1.4.1", 9101);
        member.register("api@2.0.0", 9102);

        JavaProcess caret = processes.start(Cli.seaport(cluster, base, "query", "api@^1.0"));
        JavaProcess none = processes.start(Cli.seaport(cluster, base, "query", "api@>=3"));

        assertThat(caret.awaitExit(TIMEOUT)).as(caret.tail(20)).isZero();
        assertThat(caret.stdout()).hasSize(3);
        assertThat(caret.stdout().get(1)).matches("api +1\\.4\\.1 +127\\.0\\.0\\.1:9101 .*");
        assertThat(caret.stdout().get(2)).matches("api +1\\.0\\.0 +127\\.0\\.0\\.1:9100 .*");
        assertThat(none.awaitExit(TIMEOUT)).as(none.tail(20)).isEqualTo(1);
        assertThat(none.stdout()).isEmpty();
        assertThat(none.stderr()).contains("seaport query: no service matches 'api@>=3'");
        Cli.assertNoErrors(none);
    }

    @Test
    void query_env_looksOnlyInThatEnvironment() {
        String cluster = Cli.cluster("query-env");
        int base = TestPorts.clusterBasePort();
        MemberProcess staging = MemberProcess.launcher(cluster, base).label("staging").environment("staging")
                .start(processes);
        staging.register("web@1.0.0", 8080);

        JavaProcess inStaging = processes.start(Cli.seaport(cluster, base, "query", "web", "--env", "staging"));
        JavaProcess inDefault = processes.start(Cli.seaport(cluster, base, "query", "web"));

        assertThat(inStaging.awaitExit(TIMEOUT)).as(inStaging.tail(20)).isZero();
        assertThat(inStaging.stdout()).hasSize(2);
        assertThat(inStaging.stdout().get(1)).matches("web +1\\.0\\.0 +127\\.0\\.0\\.1:8080 .*");
        assertThat(inDefault.awaitExit(TIMEOUT)).as(inDefault.tail(20)).isEqualTo(1);
        assertThat(inDefault.stdout()).isEmpty();
    }

    @Test
    void query_waitBeforeAnyService_printsItOnceRegistered() {
        String cluster = Cli.cluster("query-wait");
        int base = TestPorts.clusterBasePort();
        MemberProcess member = MemberProcess.launcher(cluster, base).label("member").start(processes);
        JavaProcess query = processes.start(Cli.seaport(cluster, base, "query", "late@1.x", "--wait", "60", "--json"));
        Await.until("the query to join and wait", TIMEOUT,
                () -> query.stderr().stream().anyMatch(l -> l.startsWith("waiting up to 60.0 s for late@1.x")),
                () -> query.tail(20));

        member.register("late@1.0.0", 7000);

        assertThat(query.awaitExit(TIMEOUT)).as(query.tail(20)).isZero();
        assertThat(String.join("\n", query.stdout())).contains("\"role\":\"late\"", "\"port\":7000");
    }

    @Test
    void watch_servicesComeAndGo_printsOneLineEach() {
        String cluster = Cli.cluster("watch");
        int base = TestPorts.clusterBasePort();
        MemberProcess member = MemberProcess.launcher(cluster, base).label("member").start(processes);
        member.register("web@1.0.0", 8080);
        JavaProcess watch = processes.start(Cli.seaport(cluster, base, "watch", "web@1.x"));
        JavaProcess watchAll = processes.start(Cli.seaport(cluster, base, "watch"));
        watch.awaitLine(" registered web@1\\.0\\.0 at 127\\.0\\.0\\.1:8080 by .*", TIMEOUT);
        watchAll.awaitLine(" registered web@1\\.0\\.0 at 127\\.0\\.0\\.1:8080 by .*", TIMEOUT);

        Service second = member.register("web@1.1.0", 8081);
        member.register("web@2.0.0", 8082); // outside the range: never printed
        member.free(second.id());

        watch.awaitLine("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} registered web@1\\.1\\.0 at 127\\.0\\.0\\.1:8081 by "
                + Pattern.quote(member.member()), TIMEOUT);
        watch.awaitLine("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} freed web@1\\.1\\.0 at 127\\.0\\.0\\.1:8081 by .*", TIMEOUT);
        watchAll.awaitLine(".* registered web@2\\.0\\.0 at 127\\.0\\.0\\.1:8082 by .*", TIMEOUT);
        watchAll.awaitLine(".* freed web@1\\.1\\.0 at 127\\.0\\.0\\.1:8081 by .*", TIMEOUT);
        member.kill();
        watchAll.awaitLine(".* freed web@2\\.0\\.0 at 127\\.0\\.0\\.1:8082 by .* \\(member left\\)", TIMEOUT);
        watch.awaitLine(".* freed web@1\\.0\\.0 at 127\\.0\\.0\\.1:8080 by .* \\(member left\\)", TIMEOUT);
        Cli.terminate(watch);
        Cli.terminate(watchAll);
        assertThat(watch.awaitExit(TIMEOUT)).isEqualTo(143); // 128 + SIGTERM: stopped, not failed
        assertThat(watchAll.awaitExit(TIMEOUT)).isEqualTo(143);
        assertThat(watch.stdout()).noneMatch(line -> line.contains("web@2.0.0"));
        Cli.assertNoErrors(watch);
    }
}
