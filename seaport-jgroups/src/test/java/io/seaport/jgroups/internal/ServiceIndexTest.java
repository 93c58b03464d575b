package io.seaport.jgroups.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seaport.Health;
import io.seaport.Service;
import io.seaport.Role;
import io.seaport.RoleRange;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

final class ServiceIndexTest {
    private final ServiceIndex index = new ServiceIndex();

    @Test
    void query_manyChangesUnderOneRole_keepsHighestVersionThenOldestOrder() {
        Random random = new Random(42);
        List<ServiceIndex.Item> live = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            ServiceIndex.Item item = item(String.format("id%05d", i),
                    random.nextInt(4) + "." + random.nextInt(10) + ".0" + (random.nextInt(5) == 0 ? "-rc.1" : ""));
            index.put(item);
            live.add(item);
            if (i % 3 == 0) { // remove an earlier one now and then, as frees do
                ServiceIndex.Item gone = live.remove(random.nextInt(live.size()));
                index.remove(gone.service());
            }
            index.publish();
        }
        ServiceIndex.Item moved = live.remove(0);
        ServiceIndex.Item replacement = item(moved.service().id(), "9.9.9");
        index.put(replacement); // the same id again, now another version
        live.add(replacement);
        index.publish();

        List<Service> all = index.query("default", RoleRange.parse("web"));

        live.sort(Comparator.comparing((ServiceIndex.Item i) -> i.role(), (a, b) -> b.compareVersionTo(a))
                .thenComparing(i -> i.service().id()));
        assertThat(all).extracting(Service::id).containsExactlyElementsOf(live.stream()
                .map(i -> i.service().id()).toList());
        assertThat(all.get(0).version()).isEqualTo("9.9.9");
    }

    @Test
    void query_largeBatchesBetweenPublishes_rebuiltTreeKeepsTheSameOrder() {
        Random random = new Random(43);
        List<ServiceIndex.Item> live = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            ServiceIndex.Item item = item(String.format("id%05d", i), random.nextInt(4) + "." + random.nextInt(10) + ".0");
            index.put(item);
            live.add(item);
            if (i % 3 == 0) {
                index.remove(live.remove(random.nextInt(live.size())).service());
            }
            if (i % 700 == 699) { // batches far above REBUILD_AFTER, as a joiner's snapshot is
                index.publish();
                sizes.add(index.query("default", RoleRange.parse("web")).size());
            }
        }
        // After the last publish, small batches again: the rebuilt tree is updated change by change.
        for (int i = 0; i < 10; i++) {
            index.remove(live.remove(random.nextInt(live.size())).service());
            index.publish();
        }

        List<Service> all = index.query("default", RoleRange.parse("web"));

        live.sort(Comparator.comparing((ServiceIndex.Item i) -> i.role(), (a, b) -> b.compareVersionTo(a))
                .thenComparing(i -> i.service().id()));
        assertThat(all).extracting(Service::id).containsExactlyElementsOf(live.stream()
                .map(i -> i.service().id()).toList());
        assertThat(sizes).isSorted().doesNotContain(0);
    }

    @Test
    void query_servicesOfTwoSites_ownSiteFirstWhetherChangedOneByOneOrRebuilt() {
        ServiceIndex east = new ServiceIndex("east");
        List<String> expected = new ArrayList<>();
        List<String> westIds = new ArrayList<>();
        for (int i = 0; i < 2 * ServiceIndex.REBUILD_AFTER; i++) { // one publish: the tree is rebuilt
            boolean here = i % 2 == 0;
            String id = String.format("id%05d", i);
            east.put(siteItem(id, here ? "1.0.0" : "2.0.0", here ? "east" : "west"));
            (here ? expected : westIds).add(id);
        }
        expected.addAll(westIds);
        east.publish();
        List<String> rebuilt = east.query("default", RoleRange.parse("web")).stream().map(Service::id).toList();
        east.put(siteItem("id99999", "3.0.0", "west")); // then one change: the tree is kept up to date
        east.publish();
        expected.add(ServiceIndex.REBUILD_AFTER, "id99999"); // highest version among the other site's

        List<String> updated = east.query("default", RoleRange.parse("web")).stream().map(Service::id).toList();

        assertThat(rebuilt).isEqualTo(expected.stream().filter(id -> !id.equals("id99999")).toList());
        assertThat(updated).isEqualTo(expected);
    }

    private static ServiceIndex.Item siteItem(String id, String version, String site) {
        Service service = new Service(id, "web", version, "127.0.0.1", 8080, Map.of(), "m", "default",
                Health.PASSING, site);
        return new ServiceIndex.Item(service, Role.parse("web@" + version));
    }

    @Test
    void query_bareName_returnsUnmodifiableSnapshotThatLaterChangesLeaveAlone() {
        index.put(item("id1", "1.0.0"));
        index.put(item("id2", "2.0.0"));
        index.publish();

        List<Service> before = index.query("default", RoleRange.parse("web"));
        index.put(item("id3", "3.0.0"));
        index.remove(before.get(1));
        index.publish();

        assertThat(before).extracting(Service::id).containsExactly("id2", "id1");
        assertThat(List.copyOf(before)).isEqualTo(before);
        assertThatThrownBy(() -> before.add(before.get(0))).isInstanceOf(UnsupportedOperationException.class);
        assertThat(index.query("default", RoleRange.parse("web"))).extracting(Service::id).containsExactly("id3", "id2");
    }

    @Test
    void query_range_returnsOnlyMatchingVersionsInOrder() {
        for (String version : List.of("1.0.0", "1.2.0", "1.2.0", "2.0.0", "1.3.0-beta.1", "1.2.0")) {
            index.put(item("id" + index.all().size() + version, version));
            index.publish();
        }

        List<Service> found = index.query("default", RoleRange.parse("web@^1.1.0"));

        assertThat(found).extracting(Service::version).containsExactly("1.2.0", "1.2.0", "1.2.0");
        assertThat(index.query("default", RoleRange.parse("web@1.3.0-beta.1"))).hasSize(1);
        assertThat(index.query("default", RoleRange.parse("web"))).hasSize(6);
    }

    @Test
    void query_sameRangeAfterChange_answersFromNewState() {
        RoleRange range = RoleRange.parse("web@1.x");
        index.put(item("id1", "1.0.0"));
        index.publish();
        List<Service> first = index.query("default", range);

        index.put(item("id2", "1.1.0"));
        index.put(item("id3", "2.0.0"));
        index.publish();
        List<Service> second = index.query("default", range);
        index.remove(first.get(0));
        index.publish();

        assertThat(first).extracting(Service::id).containsExactly("id1");
        assertThat(second).extracting(Service::id).containsExactly("id2", "id1");
        assertThat(index.query("default", range)).extracting(Service::id).containsExactly("id2");
    }

    @Test
    void put_sameIdFromTwoMembers_keepsBoth() {
        index.put(item("same", "1.0.0", "m1"));
        index.put(item("same", "1.0.0", "m2"));
        index.publish();
        index.remove(item("same", "1.0.0", "m1").service());
        index.publish();

        assertThat(index.query("default", RoleRange.parse("web"))).extracting(Service::member).containsExactly("m2");
    }

    @Test
    void query_whileWriterPublishes_everyReaderSeesWholeSortedBatches() throws Exception {
        ExecutorService readers = Executors.newFixedThreadPool(2);
        AtomicBoolean writing = new AtomicBoolean(true);
        try {
            List<Future<Integer>> reads = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                reads.add(readers.submit(() -> {
                    int checked = 0;
                    do { // a final check after the writer stopped, so every reader checks at least once
                        List<Service> seen = index.query("default", RoleRange.parse("web"));
                        assertThat(seen.size() % 2).as("a batch of two published half").isZero();
                        assertThat(seen).isSortedAccordingTo(SERVICE_ORDER);
                        checked++;
                    } while (writing.get() && checked < 1_000_000);
                    return checked;
                }));
            }

            Random random = new Random(3);
            List<ServiceIndex.Item> live = new ArrayList<>();
            for (int i = 0; i < 4_000; i++) { // each publish adds two services, or removes two
                if (live.size() >= 2 && random.nextInt(3) == 0) {
                    index.remove(live.remove(random.nextInt(live.size())).service());
                    index.remove(live.remove(random.nextInt(live.size())).service());
                } else {
                    for (int k = 0; k < 2; k++) {
                        ServiceIndex.Item item = item(String.format("id%05d-%d", i, k), random.nextInt(5) + ".0.0");
                        index.put(item);
                        live.add(item);
                    }
                }
                index.publish();
            }
            writing.set(false);

            for (Future<Integer> read : reads) {
                assertThat(read.get(60, TimeUnit.SECONDS)).isPositive();
            }
            assertThat(index.query("default", RoleRange.parse("web"))).hasSize(live.size());
        } finally {
            writing.set(false);
            readers.shutdownNow();
        }
    }

    @Test
    void query_servicesNotPassing_leftOutButListedAndWatchedWithAnyHealth() {
        ServiceIndex index = new ServiceIndex();
        ServiceIndex.Item a = item("a", "1.0.0");
        ServiceIndex.Item b = item("b", "1.1.0");
        index.put(a);
        index.put(b);
        index.publish();
        List<Service> bareBefore = index.query("default", RoleRange.parse("web"));
        List<Service> rangeBefore = index.query("default", RoleRange.parse("web@1.x"));

        index.put(new ServiceIndex.Item(b.service().withHealth(Health.FAILING), b.role()));
        index.publish();

        assertThat(bareBefore).extracting(Service::id).containsExactly("b", "a");
        assertThat(rangeBefore).extracting(Service::id).containsExactly("b", "a");
        assertThat(index.query("default", RoleRange.parse("web"))).extracting(Service::id).containsExactly("a");
        assertThat(index.query("default", RoleRange.parse("web@1.x"))).extracting(Service::id).containsExactly("a");
        assertThat(index.query("default", RoleRange.parse("web@1.x"), true)).extracting(Service::id)
                .containsExactly("b", "a");
        assertThat(index.services("default")).extracting(Service::health)
                .containsExactly(Health.FAILING, Health.PASSING);

        index.put(new ServiceIndex.Item(b.service(), b.role()));
        index.publish();

        assertThat(index.query("default", RoleRange.parse("web"))).extracting(Service::id).containsExactly("b", "a");
    }

    @Test
    void putAndRemove_sameIdFromThreeMembers_eachReplacedAndRemovedAlone() {
        index.put(item("same", "1.0.0", "m1"));
        index.put(item("same", "1.0.0", "m2"));
        index.put(item("same", "1.0.0", "m3"));
        index.publish();
        index.remove(item("same", "1.0.0", "m1").service());
        index.put(item("same", "2.0.0", "m2")); // replaces m2's, now the first holder of the id
        index.put(item("same", "3.0.0", "m3"));
        index.publish();
        List<Service> afterReplacing = index.query("default", RoleRange.parse("web"));
        index.remove(item("same", "2.0.0", "m2").service());
        index.publish();
        List<Service> afterRemovingM2 = index.query("default", RoleRange.parse("web"));
        index.remove(item("same", "3.0.0", "m3").service());
        index.publish();

        assertThat(afterReplacing).extracting(s -> s.member() + "@" + s.version())
                .containsExactly("m3@3.0.0", "m2@2.0.0");
        assertThat(afterRemovingM2).extracting(s -> s.member() + "@" + s.version()).containsExactly("m3@3.0.0");
        assertThat(index.query("default", RoleRange.parse("web"))).isEmpty();
        assertThat(index.all()).isEmpty();
    }

    private static final Comparator<Service> SERVICE_ORDER = Comparator
            .comparing((Service s) -> Roles.role("web", s.version()), (a, b) -> b.compareVersionTo(a))
            .thenComparing(Service::id);

    private static ServiceIndex.Item item(String id, String version) {
        return item(id, version, "m");
    }

    private static ServiceIndex.Item item(String id, String version, String member) {
        Service service = new Service(id, "web", version, "127.0.0.1", 8080, Map.of(), member, "default", Health.PASSING);
        return new ServiceIndex.Item(service, Role.parse("web@" + version));
    }
}
