package io.seaport.jgroups.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seaport.Health;
import io.seaport.internal.Limits;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

final class WireCodecTest {
    private static final WireMessage.Owner OWNER = new WireMessage.Owner(42, 7, "127.0.0.1-1-abcd", "127.0.0.1");
    private static final Entry ENTRY = new Entry("01ARZ3NDEKTSV4RRFFQ69G5FAV", "default", "http server", "1.2.3-beta.1",
            "::1", 20001, Map.of("zone", "eu", "ünï", "çødé"), true, true);

    @Test
    void encodeThenDecode_everyType_returnsEqualMessage() throws Exception {
        List<WireMessage> messages = List.of(
                new WireMessage.Put(OWNER, ENTRY),
                new WireMessage.Free(OWNER, List.of(ENTRY.id(), "01ARZ3NDEKTSV4RRFFQ69G5FAW")),
                new WireMessage.Snapshot(OWNER, List.of(ENTRY, new Entry("x", "test", "db", "0.0.0", "h", 1,
                        Map.of(), false, false))),
                new WireMessage.Batch(OWNER, List.of(WireMessage.Change.put(ENTRY), WireMessage.Change.free("x"),
                        WireMessage.Change.put(ENTRY.publish()))),
                new WireMessage.SnapshotRequest(),
                new WireMessage.PortRequest(9, "127.0.0.1", "127.0.0.1", 20000, 29999),
                new WireMessage.PortGrant(9, 20123),
                new WireMessage.Put(OWNER, ENTRY.withHealth(Health.FAILING)),
                new WireMessage.Snapshot(OWNER, List.of(ENTRY.withHealth(Health.DRAINING))),
                new WireMessage.HealthChange(OWNER, ENTRY.id(), Health.PASSING),
                new WireMessage.HealthChange(OWNER, ENTRY.id(), Health.FAILING),
                new WireMessage.HealthChange(OWNER, ENTRY.id(), Health.DRAINING));

        for (WireMessage message : messages) {
            byte[] bytes = WireCodec.encode(message);

            assertThat(WireCodec.decode(bytes, 0, bytes.length)).isEqualTo(message);
        }
    }

    @Test
    void decode_healthBothFailingAndDraining_isRejected() {
        byte[] bytes = WireCodec.encode(new WireMessage.HealthChange(OWNER, "id", Health.FAILING));
        bytes[bytes.length - 1] = 4 | 8;

        assertThatThrownBy(() -> WireCodec.decode(bytes, 0, bytes.length))
                .isInstanceOf(WireFormatException.class).hasMessageContaining("both failing and draining");
    }

    @Test
    void decode_everyTruncation_isRejected() {
        for (WireMessage message : List.of(new WireMessage.Snapshot(OWNER, List.of(ENTRY, ENTRY)),
                new WireMessage.Batch(OWNER, List.of(WireMessage.Change.free("x"), WireMessage.Change.put(ENTRY))))) {
            byte[] bytes = WireCodec.encode(message);

            for (int length = 0; length < bytes.length; length++) {
                byte[] prefix = Arrays.copyOf(bytes, length);
                assertThatThrownBy(() -> WireCodec.decode(prefix, 0, prefix.length))
                        .as("prefix of %d bytes of %s", length, message)
                        .isInstanceOf(WireFormatException.class);
            }
        }
    }

    @Test
    void decode_randomGarbage_isRejectedWithoutOtherExceptions() {
        Random random = new Random(1234);

        for (int i = 0; i < 20_000; i++) {
            byte[] garbage = new byte[random.nextInt(200)];
            random.nextBytes(garbage);
            if (garbage.length > 1 && random.nextBoolean()) {
                garbage[0] = WireCodec.VERSION; // get past the version check, into the type-specific decoding
                garbage[1] = (byte) (1 + random.nextInt(8));
            }
            try {
                WireCodec.decode(garbage, 0, garbage.length);
            } catch (WireFormatException expected) {
                // rejected: what we want for almost every input
            }
        }
    }

    @Test
    void decode_unknownVersionTypeOrTrailingBytes_isRejected() {
        byte[] good = WireCodec.encode(new WireMessage.PortGrant(1, 2));
        byte[] badVersion = good.clone();
        badVersion[0] = 99;
        byte[] badType = good.clone();
        badType[1] = 99;
        byte[] trailing = Arrays.copyOf(good, good.length + 1);

        assertThatThrownBy(() -> WireCodec.decode(badVersion, 0, badVersion.length))
                .isInstanceOf(WireFormatException.class).hasMessageContaining("version");
        assertThatThrownBy(() -> WireCodec.decode(badType, 0, badType.length))
                .isInstanceOf(WireFormatException.class).hasMessageContaining("type");
        assertThatThrownBy(() -> WireCodec.decode(trailing, 0, trailing.length))
                .isInstanceOf(WireFormatException.class).hasMessageContaining("unexpected bytes");
    }

    @Test
    void decode_emptyBatchOrUnknownChangeKind_isRejected() throws IOException {
        byte[] valid = WireCodec.encode(new WireMessage.Batch(OWNER, List.of(WireMessage.Change.free("x"))));
        int countAt = valid.length - 4 - 4; // ..., count (4 bytes), kind (1), id "x" (2-byte length + 1)
        byte[] empty = Arrays.copyOf(valid, countAt + 4);
        empty[countAt + 3] = 0;
        byte[] unknownKind = valid.clone();
        unknownKind[countAt + 4] = 9;

        assertThatThrownBy(() -> WireCodec.decode(empty, 0, empty.length))
                .isInstanceOf(WireFormatException.class).hasMessageContaining("empty batch");
        assertThatThrownBy(() -> WireCodec.decode(unknownKind, 0, unknownKind.length))
                .isInstanceOf(WireFormatException.class).hasMessageContaining("unknown change kind 9");
    }

    @Test
    void decode_oversizedMetadataValue_isRejected() {
        Map<String, String> metadata = Map.of("k", "v".repeat(Limits.METADATA_VALUE_CHARS + 1));
        byte[] bytes = WireCodec.encodeUnchecked(new WireMessage.Put(OWNER, new Entry("id", "default", "http",
                "1.0.0", "h", 80, metadata, true, false)));

        assertThatThrownBy(() -> WireCodec.decode(bytes, 0, bytes.length))
                .isInstanceOf(WireFormatException.class).hasMessageContaining("metadata value");
    }

    @Test
    void decode_tooManyMetadataEntries_isRejected() {
        Map<String, String> metadata = new HashMap<>();
        for (int i = 0; i <= Limits.METADATA_ENTRIES; i++) {
            metadata.put("k" + i, "v");
        }
        byte[] bytes = WireCodec.encodeUnchecked(new WireMessage.Put(OWNER, new Entry("id", "default", "http",
                "1.0.0", "h", 80, metadata, true, false)));

        assertThatThrownBy(() -> WireCodec.decode(bytes, 0, bytes.length))
                .isInstanceOf(WireFormatException.class).hasMessageContaining("metadata entries");
    }

    @Test
    void decode_invalidRoleOrPort_isRejected() {
        byte[] badRole = WireCodec.encode(new WireMessage.Put(OWNER, new Entry("id", "default", "http", "not.a.version",
                "h", 80, Map.of(), true, false)));
        byte[] zeroPort = WireCodec.encode(new WireMessage.Put(OWNER, new Entry("id", "default", "http", "1.0.0",
                "h", 0, Map.of(), true, false)));

        assertThatThrownBy(() -> WireCodec.decode(badRole, 0, badRole.length))
                .isInstanceOf(WireFormatException.class).hasMessageContaining("role");
        assertThatThrownBy(() -> WireCodec.decode(zeroPort, 0, zeroPort.length))
                .isInstanceOf(WireFormatException.class).hasMessageContaining("port");
    }

    @Test
    void decode_snapshotWithOneUndecodableEntry_keepsTheOwnersOtherEntries() throws Exception {
        Entry tooLongVersion = new Entry("01ARZ3NDEKTSV4RRFFQ69G5FAX", "default", "web", "1.0.0-" + "a".repeat(300),
                "127.0.0.1", 20002, Map.of(), true, false);
        Entry plain = new Entry("01ARZ3NDEKTSV4RRFFQ69G5FAY", "default", "plain", "1.0.0", "127.0.0.1", 20003,
                Map.of(), true, false);
        byte[] bytes = WireCodec.encodeUnchecked(new WireMessage.Snapshot(OWNER, List.of(ENTRY, tooLongVersion, plain)));

        WireMessage.Snapshot decoded = (WireMessage.Snapshot) WireCodec.decode(bytes, 0, bytes.length);

        assertThat(decoded.entries()).containsExactly(ENTRY, plain);
        assertThat(decoded.refused()).singleElement().asString()
                .contains(tooLongVersion.id()).contains("version");
    }

    @Test
    void encode_beyondLimitsOrIllFormedUtf16_refusedBeforeSending() {
        Entry longVersion = new Entry("id", "default", "web", "1.0.0-" + "a".repeat(300), "h", 80, Map.of(), true,
                false);
        Entry loneSurrogate = new Entry("id", "default", "web", "1.0.0", "h", 80, Map.of("k\uD800", "v"), true,
                false);

        assertThatThrownBy(() -> WireCodec.encode(new WireMessage.Put(OWNER, longVersion)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("version");
        assertThatThrownBy(() -> WireCodec.encode(new WireMessage.Snapshot(OWNER, List.of(loneSurrogate))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("k\\ud800");
    }

    @Test
    void encodeThenDecode_memberNameOfTheLongestHost_fits() throws Exception {
        String host = ("a".repeat(63) + ".").repeat(3) + "b".repeat(61); // 253 characters, the DNS maximum
        String member = JGroupsSeaport.memberName(host);
        WireMessage message = new WireMessage.Snapshot(new WireMessage.Owner(1, 0, member, host), List.of());
        byte[] bytes = WireCodec.encode(message);

        WireMessage decoded = WireCodec.decode(bytes, 0, bytes.length);

        assertThat(member).startsWith(host);
        assertThat(decoded).isEqualTo(message);
    }

    @Test
    void decode_hugeSnapshotCount_isRejectedBeforeAllocating() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(WireCodec.VERSION);
            out.writeByte(WireCodec.SNAPSHOT);
            out.writeLong(1);
            out.writeLong(1);
            out.writeShort(1);
            out.writeByte('m');
            out.writeShort(1);
            out.writeByte('h');
            out.writeInt(0); // part
            out.writeInt(1); // of parts
            out.writeInt(Integer.MAX_VALUE);
        }
        byte[] message = bytes.toByteArray();

        assertThatThrownBy(() -> WireCodec.decode(message, 0, message.length))
                .isInstanceOf(WireFormatException.class).hasMessageContaining("count");
    }

    @Test
    void decode_malformedUtf8_isRejected() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(WireCodec.VERSION);
            out.writeByte(WireCodec.PORT_REQUEST);
            out.writeLong(1);
            out.writeShort(2);
            out.write(new byte[] {(byte) 0xC3, (byte) 0x28});
        }
        byte[] message = bytes.toByteArray();

        assertThatThrownBy(() -> WireCodec.decode(message, 0, message.length))
                .isInstanceOf(WireFormatException.class).hasMessageContaining("UTF-8");
    }

    @Test
    void decode_snapshot_entriesShareOneInstanceOfEachRepeatedString() throws Exception {
        Entry first = new Entry("01ARZ3NDEKTSV4RRFFQ69G5FAX", "default", "web", "1.0.0", "127.0.0.1", 20002,
                Map.of("zone", "a"), true, false);
        Entry second = new Entry("01ARZ3NDEKTSV4RRFFQ69G5FAY", "default", "web", "1.0.0", "127.0.0.1", 20003,
                Map.of("zone", "a"), true, false);
        byte[] bytes = WireCodec.encode(new WireMessage.Snapshot(OWNER, List.of(first, second)));

        List<Entry> decoded = ((WireMessage.Snapshot) WireCodec.decode(bytes, 0, bytes.length)).entries();

        assertThat(decoded).containsExactly(first, second);
        Entry a = decoded.get(0);
        Entry b = decoded.get(1);
        assertThat(b.environment()).isSameAs(a.environment());
        assertThat(b.role()).isSameAs(a.role());
        assertThat(b.version()).isSameAs(a.version());
        assertThat(b.host()).isSameAs(a.host());
        assertThat(b.metadata().get("zone")).isSameAs(a.metadata().get("zone"));
    }

    @Test
    void encode_snapshot_writesTheDocumentedLayoutByteForByte() throws IOException {
        Entry entry = new Entry("01ARZ3NDEKTSV4RRFFQ69G5FAX", "default", "web", "1.0.0", "127.0.0.1", 20002,
                Map.of("zone", "çø"), true, true);
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(frame)) {
            for (String value : List.of(entry.id(), "default", "web", "1.0.0", "127.0.0.1")) {
                out.writeShort(value.length());
                out.writeBytes(value);
            }
            out.writeShort(20002);
            out.writeByte(1 | 2); // published, allocated, passing
            out.writeByte(1);
            out.writeShort(4);
            out.writeBytes("zone");
            byte[] value = "çø".getBytes(StandardCharsets.UTF_8);
            out.writeShort(value.length);
            out.write(value);
        }
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(expected)) {
            out.writeByte(WireCodec.VERSION);
            out.writeByte(WireCodec.SNAPSHOT);
            out.writeLong(OWNER.incarnation());
            out.writeLong(OWNER.seq());
            out.writeShort(OWNER.member().length());
            out.writeBytes(OWNER.member());
            out.writeShort(OWNER.host().length());
            out.writeBytes(OWNER.host());
            out.writeInt(2); // part
            out.writeInt(3); // of parts
            out.writeInt(1); // entries
            out.writeInt(frame.size());
            frame.writeTo(out);
        }

        byte[] bytes = WireCodec.encode(new WireMessage.Snapshot(OWNER, List.of(entry), 2, 3, List.of()));

        assertThat(bytes).isEqualTo(expected.toByteArray());
    }
}
