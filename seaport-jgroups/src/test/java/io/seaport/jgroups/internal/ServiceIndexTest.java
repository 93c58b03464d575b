package io.seaport.jgroups.internal;

import io.seaport.Health;
import static org.assertj.core.api.Assertions.assertThat;

import io.seaport.Service;
import io.seaport.Role;
import io.seaport.RoleRange;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
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

    private static ServiceIndex.Item item(String id, String version) {
        Service service = new Service(id, "web", version, "127.0.0.1", 8080, Map.of(), "m", "default", Health.PASSING);
        return new ServiceIndex.Item(service, Role.parse("web@" + version));
    }
}
