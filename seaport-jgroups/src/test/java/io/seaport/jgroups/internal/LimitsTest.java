package io.seaport.jgroups.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.seaport.Registration;
import io.seaport.Role;
import io.seaport.Seaport;
import io.seaport.Service;
import io.seaport.internal.Limits;
import io.seaport.testkit.Await;
import io.seaport.testkit.LocalCluster;
import io.seaport.testkit.LocalClusters;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Whatever the API accepts, up to every limit, reaches every peer unchanged. */
final class LimitsTest {
    @RegisterExtension
    final LocalClusters clusters = new LocalClusters();

    @Test
    void register_atEveryLimit_seenByPeerUnchanged() {
        LocalCluster cluster = clusters.start("LimitsTest-limits", 2);
        Seaport a = cluster.member(0);
        Seaport b = cluster.member(1);
        // A name of the longest length, with a non-BMP character (a surrogate pair) and non-ASCII text.
        String name = "n\uD83D\uDE00ü" + "x".repeat(Limits.NAME_CHARS - 4);
        String version = "1.0.0-" + "a".repeat(Role.MAX_VERSION_LENGTH - 6);
        Map<String, String> metadata = new LinkedHashMap<>();
        for (int i = 0; i < Limits.METADATA_ENTRIES; i++) {
            String key = String.format("%03d", i) + "k".repeat(Limits.METADATA_KEY_CHARS - 3);
            metadata.put(key, "ç".repeat(Limits.METADATA_VALUE_CHARS));
        }

        Registration registration = a.register(name + "@" + version, 20001, metadata);

        Await.until("b sees the registration at every limit", () -> !b.query(name).isEmpty(), cluster::describe);
        List<Service> seen = b.query(name);
        assertThat(seen).containsExactly(registration.service());
        assertThat(seen.get(0).metadata()).isEqualTo(metadata);
        assertThat(seen.get(0).version()).isEqualTo(version);
    }

    @Test
    void join_withTheLongestHostName_peersSeeItsServices() {
        LocalCluster cluster = clusters.start("LimitsTest-host", 1);
        String host = ("a".repeat(63) + ".").repeat(3) + "b".repeat(61); // 253 characters, the DNS maximum
        Seaport longHost = cluster.add(builder -> builder.host(host));

        longHost.register("plain@1.0.0", 20002);

        Await.until("member 0 sees the service of the long-host member",
                () -> cluster.member(0).query("plain").size() == 1, cluster::describe);
        assertThat(cluster.member(0).query("plain").get(0).host()).isEqualTo(host);
        assertThat(longHost.member()).startsWith(host);
    }
}
