package io.seaport.jgroups.internal.jfr;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class SeaportEventsTest {
    @TempDir
    Path directory;

    @Test
    void viewChanged_withSubgroups_recordsAViewChangeAndAMerge() throws IOException {
        List<RecordedEvent> events = record("io.seaport.ViewChange", "io.seaport.Merge",
                () -> SeaportEvents.viewChanged("SeaportEventsTest", "m1", "[m1|7]", 3, List.of(2, 1)));

        assertThat(events).filteredOn(e -> e.getEventType().getName().equals("io.seaport.ViewChange"))
                .singleElement().satisfies(e -> {
                    assertThat(e.getString("view")).isEqualTo("[m1|7]");
                    assertThat(e.getBoolean("merge")).isTrue();
                });
        assertThat(events).filteredOn(e -> e.getEventType().getName().equals("io.seaport.Merge"))
                .singleElement().satisfies(e -> {
                    assertThat(e.getInt("members")).isEqualTo(3);
                    assertThat(e.getInt("subgroups")).isEqualTo(2);
                });
    }

    @Test
    void tlsRefused_recordsTheReasonFormattedLikeTheLog() throws IOException {
        List<RecordedEvent> events = record("io.seaport.TlsRefused", null,
                () -> SeaportEvents.tlsRefused("/127.0.0.1|not-tls", "TLS: {} sent no TLS handshake: '{}'",
                        "/127.0.0.1", "GET /"));

        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.getString("key")).isEqualTo("/127.0.0.1|not-tls");
            assertThat(e.getString("reason")).isEqualTo("TLS: /127.0.0.1 sent no TLS handshake: 'GET /'");
        });
    }

    private List<RecordedEvent> record(String event, String other, Runnable action) throws IOException {
        Path file = directory.resolve("events.jfr");
        try (Recording recording = new Recording()) {
            recording.enable(event).withoutThreshold();
            if (other != null) {
                recording.enable(other).withoutThreshold();
            }
            recording.start();
            action.run();
            recording.stop();
            recording.dump(file);
        }
        // Only this test's events, should a member of another test still be about in this JVM.
        return RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().startsWith("io.seaport."))
                .filter(e -> e.hasField("cluster") ? "SeaportEventsTest".equals(e.getString("cluster"))
                        : e.getString("key").startsWith("/127.0.0.1|not-tls"))
                .toList();
    }
}
