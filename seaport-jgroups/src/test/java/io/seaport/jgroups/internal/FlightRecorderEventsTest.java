package io.seaport.jgroups.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.seaport.Registration;
import io.seaport.testkit.Await;
import io.seaport.testkit.LocalCluster;
import io.seaport.testkit.LocalClusters;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

final class FlightRecorderEventsTest {
    @RegisterExtension
    final LocalClusters clusters = new LocalClusters();

    @TempDir
    Path directory;

    @Test
    void recording_ofJoinAndService_hasViewSnapshotAndPortGrantEvents() throws IOException {
        Path file = directory.resolve("seaport.jfr");
        LocalCluster cluster;
        Registration registration;
        try (Recording recording = new Recording()) {
            for (String event : List.of("io.seaport.ViewChange", "io.seaport.SnapshotApplied", "io.seaport.PortGranted")) {
                recording.enable(event).withoutThreshold();
            }
            recording.start();
            cluster = clusters.start("FlightRecorderEventsTest", 2);
            registration = cluster.member(1).service("echo@1", port -> { });
            Await.until("service seen", () -> cluster.member(0).query("echo").size() == 1, cluster::describe);
            recording.stop();
            recording.dump(file);
        }

        List<RecordedEvent> events = RecordingFile.readAllEvents(file).stream()
                .filter(e -> !e.hasField("cluster") || cluster.cluster().equals(e.getString("cluster")))
                .toList();

        assertThat(events).filteredOn(e -> e.getEventType().getName().equals("io.seaport.ViewChange"))
                .anySatisfy(e -> {
                    assertThat(e.getString("member")).isEqualTo(cluster.member(0).member());
                    assertThat(e.getInt("members")).isEqualTo(2);
                    assertThat(e.getBoolean("merge")).isFalse();
                });
        assertThat(events).filteredOn(e -> e.getEventType().getName().equals("io.seaport.SnapshotApplied"))
                .anySatisfy(e -> {
                    assertThat(e.getString("member")).isEqualTo(cluster.member(1).member());
                    assertThat(e.getString("owner")).isEqualTo(cluster.member(0).member());
                    assertThat(e.getDuration()).isGreaterThanOrEqualTo(java.time.Duration.ZERO);
                });
        assertThat(events).filteredOn(e -> e.getEventType().getName().equals("io.seaport.PortGranted"))
                .anySatisfy(e -> assertThat(e.getInt("port")).isEqualTo(registration.port()));
    }
}
