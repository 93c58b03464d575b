package io.seaport.proxy.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.seaport.Health;
import io.seaport.Service;
import io.seaport.ServiceEvent;
import io.seaport.proxy.Balancing;
import java.io.IOException;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The choice of services for new connections, fed with events as a watch would deliver them. */
final class BackendsTest {
    private static final long EJECTION = TimeUnit.SECONDS.toNanos(60);

    private static final AtomicInteger IDS = new AtomicInteger();

    private static Service service(String version, int port) {
        return new Service(String.format("id-%06d", IDS.incrementAndGet()), "db", version, "127.0.0.1", port, Map.of(), "m", "default", Health.PASSING);
    }

    private static List<Integer> ports(List<Backend> backends) {
        List<Integer> ports = new ArrayList<>();
        for (Backend backend : backends) {
            ports.add(backend.service().port());
        }
        return ports;
    }

    @Test
    void first_mixedVersions_ordersHighestVersionThenOldest() {
        Backends backends = new Backends("db", Balancing.FIRST, EJECTION);
        Service oldLow = service("1.0.0", 1001);
        Service oldHigh = service("2.0.0", 1002);
        Service newHigh = service("2.0.0", 1003);

        backends.accept(new ServiceEvent.Registered(newHigh));
        backends.accept(new ServiceEvent.Registered(oldLow));
        backends.seed(List.of(oldHigh));

        assertThat(ports(backends.candidates())).containsExactly(1002, 1003, 1001);
    }

    private static Service serviceOf(String site, String version, int port) {
        return new Service(String.format("id-%06d", IDS.incrementAndGet()), "db", version, "127.0.0.1", port, Map.of(), "m", "default",
                Health.PASSING, site);
    }

    @Test
    void roundRobin_servicesOfTwoSites_picksOwnSiteFirstThenTheOther() {
        Backends backends = new Backends("db", Balancing.ROUND_ROBIN, EJECTION, "east");
        backends.seed(List.of(serviceOf("west", "2.0.0", 1), serviceOf("east", "1.0.0", 2),
                serviceOf("east", "1.0.0", 3), serviceOf("west", "1.0.0", 4)));

        List<List<Integer>> picks = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            picks.add(ports(backends.candidates()));
        }

        assertThat(picks.get(0)).hasSize(4);
        assertThat(picks.get(0).subList(0, 2)).containsOnly(2, 3);
        assertThat(picks.get(0).subList(2, 4)).containsOnly(1, 4);
        assertThat(picks.get(1).get(0)).isNotEqualTo(picks.get(0).get(0)); // still balanced within the site
    }

    @Test
    void failed_ownSiteService_isTriedAfterTheOtherSite() {
        Backends backends = new Backends("db", Balancing.FIRST, EJECTION, "east");
        backends.seed(List.of(serviceOf("east", "1.0.0", 1), serviceOf("west", "1.0.0", 2)));
        Backend own = backends.candidates().get(0);

        backends.failed(own, new ConnectException("refused"));

        assertThat(own.service().port()).isEqualTo(1);
        assertThat(ports(backends.candidates())).containsExactly(2, 1);
    }

    @Test
    void roundRobin_threeServices_startsOneFurtherEachTime() {
        Backends backends = new Backends("db", Balancing.ROUND_ROBIN, EJECTION);
        backends.seed(List.of(service("1.0.0", 1), service("1.0.0", 2), service("1.0.0", 3)));

        List<Integer> firsts = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            firsts.add(backends.candidates().get(0).service().port());
        }

        assertThat(firsts).containsExactly(1, 2, 3, 1, 2, 3);
        assertThat(ports(backends.candidates())).hasSize(3).containsOnly(1, 2, 3);
    }

    @Test
    void failed_service_isTriedLastUntilItSucceeds() {
        Backends backends = new Backends("db", Balancing.FIRST, EJECTION);
        backends.seed(List.of(service("2.0.0", 1), service("1.0.0", 2)));
        Backend first = backends.candidates().get(0);

        backends.failed(first, new ConnectException("refused"));
        List<Integer> whileEjected = ports(backends.candidates());
        backends.succeeded(first);
        List<Integer> afterSuccess = ports(backends.candidates());

        assertThat(whileEjected).containsExactly(2, 1);
        assertThat(afterSuccess).containsExactly(1, 2);
    }

    @Test
    void failed_ejectionOff_keepsOrder() {
        Backends backends = new Backends("db", Balancing.FIRST, 0);
        backends.seed(List.of(service("2.0.0", 1), service("1.0.0", 2)));

        backends.failed(backends.candidates().get(0), new IOException("reset"));

        assertThat(ports(backends.candidates())).containsExactly(1, 2);
    }

    @Test
    void seed_serviceFreedBeforeTheSeed_isNotResurrected() {
        Backends backends = new Backends("db", Balancing.ROUND_ROBIN, EJECTION);
        Service gone = service("1.0.0", 1);
        Service staying = service("1.0.0", 2);

        backends.accept(new ServiceEvent.Freed(gone, ServiceEvent.Reason.MEMBER_LEFT)); // before the query's answer
        backends.seed(List.of(gone, staying));

        assertThat(ports(backends.candidates())).containsExactly(2);
    }

    @Test
    void freed_service_isNoLongerLiveOrCandidate() {
        Backends backends = new Backends("db", Balancing.ROUND_ROBIN, EJECTION);
        Service leaving = service("1.0.0", 1);
        backends.seed(List.of(leaving, service("1.0.0", 2)));
        Backend taken = backends.candidates().stream().filter(b -> b.service().equals(leaving)).findFirst()
                .orElseThrow();

        backends.accept(new ServiceEvent.Freed(leaving, ServiceEvent.Reason.FREED));

        assertThat(backends.isLive(taken)).isFalse();
        assertThat(ports(backends.candidates())).containsExactly(2);
    }

    @Test
    void registered_repeatOfAKnownService_keepsItLive() {
        Backends backends = new Backends("db", Balancing.ROUND_ROBIN, EJECTION);
        Service service = service("1.0.0", 1);
        backends.seed(List.of(service));
        Backend taken = backends.candidates().get(0);

        backends.accept(new ServiceEvent.Registered(service));

        assertThat(backends.isLive(taken)).isTrue();
        assertThat(backends.candidates()).hasSize(1);
    }

    @Test
    void healthChanged_leavingPassing_noLongerPickedUntilBack() {
        Backends backends = new Backends("db", Balancing.FIRST, EJECTION);
        Service a = service("1.0.0", 1001);
        Service b = service("1.0.0", 1002);
        backends.seed(List.of(a, b));

        backends.accept(new ServiceEvent.HealthChanged(a.withHealth(Health.FAILING), Health.PASSING));
        backends.accept(new ServiceEvent.HealthChanged(b.withHealth(Health.DRAINING), Health.PASSING));
        List<Integer> whileOut = ports(backends.candidates());
        backends.accept(new ServiceEvent.HealthChanged(a, Health.FAILING));

        assertThat(whileOut).isEmpty();
        assertThat(ports(backends.candidates())).containsExactly(1001);
    }

    @Test
    void registered_notPassing_isNotPicked() {
        Backends backends = new Backends("db", Balancing.FIRST, EJECTION);
        backends.seed(List.of());

        backends.accept(new ServiceEvent.Registered(service("1.0.0", 1001).withHealth(Health.FAILING)));

        assertThat(backends.candidates()).isEmpty();
    }
}
