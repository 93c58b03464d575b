package io.seaport.jgroups.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seaport.Registration;
import io.seaport.Service;
import io.seaport.ServiceEvent;
import io.seaport.Subscription;
import io.seaport.testkit.Await;
import io.seaport.testkit.LocalCluster;
import io.seaport.testkit.LocalClusters;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The whole port map: services() lists every role, watchAll() follows every role. */
final class ServicesWatchAllTest {
    @RegisterExtension
    final LocalClusters clusters = new LocalClusters();

    @Test
    void services_severalRolesOnTwoMembers_listsAllByRoleThenVersion() {
        LocalCluster cluster = clusters.start("ServicesWatchAllTest-services", 2);
        cluster.member(0).register("web@1.0.0", 2001);
        cluster.member(1).register("db@2.0.0", 2002);
        cluster.member(0).register("web@1.2.0", 2003);
        cluster.member(1).register("api@0.1.0", 2004);

        Await.until("all four on member 0", () -> cluster.member(0).services().size() == 4, cluster::describe);
        List<Service> services = cluster.member(0).services();

        assertThat(services).extracting(Service::roleAtVersion)
                .containsExactly("api@0.1.0", "db@2.0.0", "web@1.2.0", "web@1.0.0");
        assertThat(cluster.member(0).services("other-environment")).isEmpty();
    }

    @Test
    void watchAll_servicesComeAndGo_seesEveryRoleInOrder() {
        LocalCluster cluster = clusters.start("ServicesWatchAllTest-watch", 2);
        cluster.member(1).register("present@1.0.0", 2010);
        Await.until("present on member 0", () -> cluster.member(0).services().size() == 1, cluster::describe);
        List<String> seen = new CopyOnWriteArrayList<>();
        Subscription subscription = cluster.member(0).watchAll(event -> seen.add(describe(event)));

        Registration web = cluster.member(1).register("web@1.0.0", 2011);
        cluster.member(1).register("db@3.0.0", 2012);
        web.close();

        Await.until("four events", () -> seen.size() == 4, () -> seen + "\n" + cluster.describe());
        assertThat(seen).containsExactly("+present@1.0.0", "+web@1.0.0", "+db@3.0.0", "-web@1.0.0 FREED");
        subscription.close();
    }

    @Test
    void services_badEnvironment_refusedQuotingIt() {
        LocalCluster cluster = clusters.start("ServicesWatchAllTest-bad", 1);

        assertThatThrownBy(() -> cluster.member(0).services(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("' '");
    }

    private static String describe(ServiceEvent event) {
        if (event instanceof ServiceEvent.Freed freed) {
            return "-" + freed.service().roleAtVersion() + " " + freed.reason();
        }
        return "+" + event.service().roleAtVersion();
    }
}
