package io.seaport.jgroups.internal;

import io.seaport.Health;
import io.seaport.Role;
import io.seaport.internal.Limits;
import io.seaport.internal.Names;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The binary wire format of Seaport messages. Stateless and thread-safe.
 *
 * <p>Every message starts with a version byte ({@value #VERSION}) and a type byte. Strings are an
 * unsigned 16-bit byte length and strict UTF-8. Owner messages (PUT, FREE, SNAPSHOT, HEALTH, BATCH) carry the
 * owner's incarnation, sequence number, name and host. A snapshot carries its part number and
 * count (a large one is sent in parts), and its entries are each framed by a 32-bit byte length.
 * An entry's health is two flag bits (failing, draining; neither is passing); HEALTH changes only
 * that of one entry.
 *
 * <p>One set of limits: {@link Limits} (shared with the API's validation) bounds every string
 * and count, on encoding as on decoding, so what one member can encode every peer can decode;
 * {@link #encode} refuses a message beyond them with {@link IllegalArgumentException} (a bug: the
 * API validates first) and ill-formed UTF-16 likewise. Decoding checks every length before
 * allocating and rejects unknown versions and types, truncated input, trailing bytes, malformed
 * UTF-8, invalid roles and ports: a garbage or hostile message is dropped whole and never reaches
 * the replica, except that one snapshot entry the decoder refuses is left out of the snapshot
 * (and listed in {@link WireMessage.Snapshot#refused()}) while the owner's other entries are kept.
 */
final class WireCodec {
    static final byte VERSION = 2;
    static final byte PUT = 1;
    static final byte FREE = 2;
    static final byte SNAPSHOT = 3;
    static final byte PORT_REQUEST = 4;
    static final byte PORT_GRANT = 5;
    static final byte SNAPSHOT_REQUEST = 6;
    static final byte HEALTH = 7;
    static final byte BATCH = 8;
    private static final byte CHANGE_PUT = 1;
    private static final byte CHANGE_FREE = 2;

    private static final int FLAG_PUBLISHED = 1;
    private static final int FLAG_ALLOCATED = 2;
    private static final int FLAG_FAILING = 4;
    private static final int FLAG_DRAINING = 8;
    private static final int ENTRY_FLAGS = FLAG_PUBLISHED | FLAG_ALLOCATED | FLAG_FAILING | FLAG_DRAINING;

    private WireCodec() {
    }

    /**
     * Returns the bytes of {@code message}.
     *
     * @throws IllegalArgumentException if a string or count of it is beyond {@link Limits} or a
     *     string is not well-formed UTF-16
     */
    static byte[] encode(WireMessage message) {
        return encode(message, true);
    }

    /** Returns the bytes of {@code message} without checking {@link Limits}: for tests that play a hostile peer. */
    static byte[] encodeUnchecked(WireMessage message) {
        return encode(message, false);
    }

    private static byte[] encode(WireMessage message, boolean strict) {
        Output out = new Output(message instanceof WireMessage.Snapshot snapshot
                ? 64 + snapshot.entries().size() * 96 : 128);
        Writer w = new Writer(strict);
        out.writeByte(VERSION);
        if (message instanceof WireMessage.Put put) {
            out.writeByte(PUT);
            w.owner(out, put.owner());
            w.entry(out, put.entry());
        } else if (message instanceof WireMessage.Free free) {
            out.writeByte(FREE);
            w.owner(out, free.owner());
            w.count(out, "freed ids", free.ids().size(), Limits.MEMBER_ENTRIES);
            for (String id : free.ids()) {
                w.string(out, "id", id, Limits.ID_CHARS);
            }
        } else if (message instanceof WireMessage.HealthChange change) {
            out.writeByte(HEALTH);
            w.owner(out, change.owner());
            w.string(out, "id", change.id(), Limits.ID_CHARS);
            out.writeByte(healthFlags(change.health()));
        } else if (message instanceof WireMessage.Snapshot snapshot) {
            out.writeByte(SNAPSHOT);
            w.owner(out, snapshot.owner());
            out.writeInt(snapshot.part());
            out.writeInt(snapshot.parts());
            w.count(out, "snapshot entries", snapshot.entries().size(), Limits.MEMBER_ENTRIES);
            for (Entry entry : snapshot.entries()) {
                int frame = out.reserveInt(); // the entry's length, known once it is written
                w.entry(out, entry);
                out.putInt(frame, out.size() - frame - 4);
            }
        } else if (message instanceof WireMessage.Batch batch) {
            out.writeByte(BATCH);
            w.owner(out, batch.owner());
            w.count(out, "batched changes", batch.changes().size(), Limits.MEMBER_ENTRIES);
            for (WireMessage.Change change : batch.changes()) {
                if (change.put() != null) {
                    out.writeByte(CHANGE_PUT);
                    w.entry(out, change.put());
                } else {
                    out.writeByte(CHANGE_FREE);
                    w.string(out, "id", change.freedId(), Limits.ID_CHARS);
                }
            }
        } else if (message instanceof WireMessage.PortRequest request) {
            out.writeByte(PORT_REQUEST);
            out.writeLong(request.requestId());
            w.string(out, "host", request.host(), Limits.HOST_CHARS);
            w.string(out, "bind address", request.bindAddress(), Limits.HOST_CHARS);
            out.writeInt(request.from());
            out.writeInt(request.to());
        } else if (message instanceof WireMessage.PortGrant grant) {
            out.writeByte(PORT_GRANT);
            out.writeLong(grant.requestId());
            out.writeInt(grant.port());
        } else if (message instanceof WireMessage.SnapshotRequest) {
            out.writeByte(SNAPSHOT_REQUEST);
        } else {
            throw new IllegalArgumentException("unknown message " + message);
        }
        return out.toByteArray();
    }

    /** Returns the message in {@code length} bytes of {@code buffer} from {@code offset}. */
    static WireMessage decode(byte[] buffer, int offset, int length) throws WireFormatException {
        if (buffer == null || offset < 0 || length < 2 || offset + length > buffer.length) {
            throw new WireFormatException("message too short: " + length + " bytes");
        }
        Input in = new Input(buffer, offset, offset + length, new SharedStrings());
        byte version = in.readByte();
        if (version != VERSION) {
            throw new WireFormatException("unknown wire version " + version + ", expected " + VERSION);
        }
        byte type = in.readByte();
        WireMessage message = switch (type) {
            case PUT -> new WireMessage.Put(readOwner(in), readEntry(in));
            case FREE -> readFree(in);
            case SNAPSHOT -> readSnapshot(in);
            case BATCH -> readBatch(in);
            case PORT_REQUEST -> new WireMessage.PortRequest(in.readLong(), readString(in, "host", Limits.HOST_CHARS),
                    readString(in, "bind address", Limits.HOST_CHARS), readPort(in), readPort(in));
            case PORT_GRANT -> readGrant(in);
            case SNAPSHOT_REQUEST -> new WireMessage.SnapshotRequest();
            case HEALTH -> readHealthChange(in);
            default -> throw new WireFormatException("unknown message type " + type);
        };
        if (in.available() > 0) {
            throw new WireFormatException(in.available() + " unexpected bytes after a message of type " + type);
        }
        return message;
    }

    private static WireMessage.Free readFree(Input in) throws WireFormatException {
        WireMessage.Owner owner = readOwner(in);
        int count = readCount(in, "freed ids", 2);
        List<String> ids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ids.add(readString(in, "id", Limits.ID_CHARS));
        }
        return new WireMessage.Free(owner, ids);
    }

    private static WireMessage.HealthChange readHealthChange(Input in) throws WireFormatException {
        WireMessage.Owner owner = readOwner(in);
        String id = readString(in, "id", Limits.ID_CHARS);
        int flags = in.readUnsignedByte();
        if ((flags & ~(FLAG_FAILING | FLAG_DRAINING)) != 0 || id.isEmpty()) {
            throw new WireFormatException("invalid health change of '" + id + "': flags " + flags);
        }
        return new WireMessage.HealthChange(owner, id, readHealth(flags));
    }

    private static int healthFlags(Health health) {
        return switch (health) {
            case PASSING -> 0;
            case FAILING -> FLAG_FAILING;
            case DRAINING -> FLAG_DRAINING;
        };
    }

    private static Health readHealth(int flags) throws WireFormatException {
        return switch (flags & (FLAG_FAILING | FLAG_DRAINING)) {
            case 0 -> Health.PASSING;
            case FLAG_FAILING -> Health.FAILING;
            case FLAG_DRAINING -> Health.DRAINING;
            default -> throw new WireFormatException("an entry cannot be both failing and draining");
        };
    }

    private static WireMessage.Snapshot readSnapshot(Input in) throws WireFormatException {
        WireMessage.Owner owner = readOwner(in);
        int part = in.readInt();
        int parts = in.readInt();
        if (parts < 1 || parts > Limits.MEMBER_ENTRIES || part < 0 || part >= parts) {
            throw new WireFormatException("snapshot part " + part + " of " + parts);
        }
        int count = readCount(in, "snapshot entries", 4 + 16);
        List<Entry> entries = new ArrayList<>(count);
        List<String> refused = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int length = in.readInt();
            if (length < 0 || length > in.available()) {
                throw new WireFormatException("snapshot entry " + i + " of " + length + " bytes is truncated");
            }
            Input frame = in.frame(length);
            try {
                Entry entry = readEntry(frame);
                if (frame.available() > 0) {
                    throw new WireFormatException(frame.available() + " unexpected bytes after the entry");
                }
                entries.add(entry);
            } catch (WireFormatException e) {
                // One entry this member cannot accept (a hostile or newer peer) must not cost the
                // owner's other entries: leave it out, and say which it was.
                refused.add(peekId(frame.restart()) + ": " + e.getMessage());
            }
        }
        return new WireMessage.Snapshot(owner, entries, part, parts, refused);
    }

    /** Returns the id at the start of an entry's frame, for messages, or a placeholder if it is unreadable. */
    private static String peekId(Input frame) {
        try {
            return "entry " + readString(frame, "id", Limits.ID_CHARS);
        } catch (WireFormatException e) {
            return "an entry with an unreadable id";
        }
    }

    private static WireMessage.Batch readBatch(Input in) throws WireFormatException {
        WireMessage.Owner owner = readOwner(in);
        int count = readCount(in, "batched changes", 3);
        if (count == 0) {
            throw new WireFormatException("empty batch");
        }
        List<WireMessage.Change> changes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte kind = in.readByte();
            if (kind == CHANGE_PUT) {
                changes.add(WireMessage.Change.put(readEntry(in)));
            } else if (kind == CHANGE_FREE) {
                changes.add(WireMessage.Change.free(readString(in, "id", Limits.ID_CHARS)));
            } else {
                throw new WireFormatException("unknown change kind " + kind + " in a batch");
            }
        }
        return new WireMessage.Batch(owner, changes);
    }

    private static WireMessage.PortGrant readGrant(Input in) throws WireFormatException {
        long requestId = in.readLong();
        int port = in.readInt();
        if (port < 0 || port > 65535) {
            throw new WireFormatException("granted port " + port + " is outside 0..65535");
        }
        return new WireMessage.PortGrant(requestId, port);
    }

    private static WireMessage.Owner readOwner(Input in) throws WireFormatException {
        long incarnation = in.readLong();
        long seq = in.readLong();
        if (seq < 0) {
            throw new WireFormatException("negative sequence number " + seq);
        }
        return new WireMessage.Owner(incarnation, seq, readShared(in, "member", Limits.MEMBER_CHARS),
                readShared(in, "host", Limits.HOST_CHARS));
    }

    private static Entry readEntry(Input in) throws WireFormatException {
        String id = readString(in, "id", Limits.ID_CHARS);
        String environment = readShared(in, "environment", Limits.NAME_CHARS);
        String role = readShared(in, "role", Limits.NAME_CHARS);
        String version = readShared(in, "version", Limits.VERSION_CHARS);
        String host = readShared(in, "host", Limits.HOST_CHARS);
        int port = in.readUnsignedShort();
        if (port < 1) {
            throw new WireFormatException("port 0 in entry " + id);
        }
        int flags = in.readUnsignedByte();
        if ((flags & ~ENTRY_FLAGS) != 0) {
            throw new WireFormatException("unknown entry flags " + flags);
        }
        int metadataSize = in.readUnsignedByte();
        if (metadataSize > Limits.METADATA_ENTRIES) {
            throw new WireFormatException(metadataSize + " metadata entries, at most " + Limits.METADATA_ENTRIES);
        }
        Map<String, String> metadata = metadataSize == 0 ? Map.of() : new LinkedHashMap<>();
        for (int i = 0; i < metadataSize; i++) {
            String key = readShared(in, "metadata key", Limits.METADATA_KEY_CHARS);
            String value = readShared(in, "metadata value", Limits.METADATA_VALUE_CHARS);
            if (metadata.put(key, value) != null) {
                throw new WireFormatException("duplicate metadata key '" + key + "'");
            }
        }
        checkRole(role, version);
        if (id.isEmpty() || environment.isBlank() || host.isEmpty()) {
            throw new WireFormatException("entry with an empty id, environment or host");
        }
        return new Entry(id, environment, role, version, host, port, metadata,
                (flags & FLAG_PUBLISHED) != 0, (flags & FLAG_ALLOCATED) != 0, readHealth(flags));
    }

    private static void checkRole(String name, String version) throws WireFormatException {
        Role parsed;
        try {
            parsed = Roles.role(name, version);
        } catch (IllegalArgumentException e) {
            throw new WireFormatException("invalid role: " + e.getMessage(), e);
        }
        if (!parsed.name().equals(name) || !parsed.version().equals(version)) {
            throw new WireFormatException("role '" + name + "@" + version + "' is not in normal form");
        }
    }

    private static int readPort(Input in) throws WireFormatException {
        int port = in.readInt();
        if (port < 1 || port > 65535) {
            throw new WireFormatException("port " + port + " is outside 1..65535");
        }
        return port;
    }

    private static int readCount(Input in, String what, int minBytesEach) throws WireFormatException {
        int count = in.readInt();
        if (count < 0 || count > Limits.MEMBER_ENTRIES || (long) count * minBytesEach > in.available()) {
            throw new WireFormatException("impossible count of " + what + ": " + count);
        }
        return count;
    }

    /** Reads a string that differs from message to message (an id): no lookup among the shared ones. */
    private static String readString(Input in, String what, int maxChars) throws WireFormatException {
        return readString(in, what, maxChars, false);
    }

    /**
     * Reads a string that many entries of one message repeat (environment, role, version, host,
     * member, metadata): one instance per distinct value (see {@link SharedStrings}).
     */
    private static String readShared(Input in, String what, int maxChars) throws WireFormatException {
        return readString(in, what, maxChars, true);
    }

    private static String readString(Input in, String what, int maxChars, boolean shared) throws WireFormatException {
        int length = in.readUnsignedShort();
        // A Java char takes at most 3 bytes of UTF-8 (a surrogate pair, 2 chars, takes 4).
        if (length > maxChars * 3 || length > in.available()) {
            throw new WireFormatException(what + " of " + length + " bytes is too long or truncated");
        }
        byte[] buffer = in.buffer;
        int start = in.skip(length);
        String value;
        if (ascii(buffer, start, length)) { // the usual case, and valid UTF-8 as it is: no decoder needed
            value = shared ? in.strings.ascii(buffer, start, length)
                    : new String(buffer, start, length, StandardCharsets.ISO_8859_1);
        } else {
            try {
                value = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(buffer, start, length))
                        .toString();
            } catch (CharacterCodingException e) {
                throw new WireFormatException(what + " is not valid UTF-8", e);
            }
        }
        if (value.length() > maxChars) {
            throw new WireFormatException(what + " has " + value.length() + " characters, at most " + maxChars);
        }
        return value;
    }

    private static boolean ascii(byte[] bytes, int from, int length) {
        for (int i = from, end = from + length; i < end; i++) {
            if (bytes[i] < 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * A message's bytes being read: every read checks that the bytes are there first, so truncated
     * input is a {@link WireFormatException} and nothing is allocated for bytes that are missing.
     * Reading from the received array itself (no stream, no copy per entry) keeps decoding a large
     * snapshot part cheap on the receiving thread. Not thread-safe: one per decode.
     */
    private static final class Input {
        final byte[] buffer;
        final SharedStrings strings;
        private final int start;
        private final int end;
        private int position;

        Input(byte[] buffer, int start, int end, SharedStrings strings) {
            this.buffer = buffer;
            this.start = start;
            this.end = end;
            this.position = start;
            this.strings = strings;
        }

        int available() {
            return end - position;
        }

        /** Returns where the next {@code length} bytes start, and moves past them. */
        int skip(int length) throws WireFormatException {
            need(length);
            int at = position;
            position += length;
            return at;
        }

        /** Returns the next {@code length} bytes as an input of their own, and moves past them. */
        Input frame(int length) throws WireFormatException {
            int at = skip(length);
            return new Input(buffer, at, at + length, strings);
        }

        /** Returns this input read again from its start. */
        Input restart() {
            return new Input(buffer, start, end, strings);
        }

        byte readByte() throws WireFormatException {
            need(1);
            return buffer[position++];
        }

        int readUnsignedByte() throws WireFormatException {
            return readByte() & 0xFF;
        }

        int readUnsignedShort() throws WireFormatException {
            need(2);
            int value = (buffer[position] & 0xFF) << 8 | buffer[position + 1] & 0xFF;
            position += 2;
            return value;
        }

        int readInt() throws WireFormatException {
            need(4);
            int value = (buffer[position] & 0xFF) << 24 | (buffer[position + 1] & 0xFF) << 16
                    | (buffer[position + 2] & 0xFF) << 8 | buffer[position + 3] & 0xFF;
            position += 4;
            return value;
        }

        long readLong() throws WireFormatException {
            long high = readInt() & 0xFFFFFFFFL;
            return high << 32 | readInt() & 0xFFFFFFFFL;
        }

        private void need(int bytes) throws WireFormatException {
            if (bytes > end - position) {
                throw new WireFormatException("message truncated");
            }
        }
    }

    /**
     * The strings of one message that its entries repeat (a snapshot part's thousand entries share
     * a few environments, roles, versions and hosts): each distinct ASCII value is made once and
     * handed out again, so the replica holds one instance rather than one per entry (less heap,
     * less garbage) and its hash, computed once, serves every map lookup of it. A small table
     * indexed by the bytes' hash, where a collision just makes a new string. Not thread-safe: one
     * per decode.
     */
    private static final class SharedStrings {
        private static final int SLOTS = 256;
        /** Longer values are rarely repeated; made afresh. */
        private static final int MAX_BYTES = 64;
        private String[] table;

        String ascii(byte[] bytes, int from, int length) {
            if (length > MAX_BYTES) {
                return new String(bytes, from, length, StandardCharsets.ISO_8859_1);
            }
            int hash = 0;
            for (int i = from, end = from + length; i < end; i++) {
                hash = 31 * hash + bytes[i];
            }
            if (table == null) {
                table = new String[SLOTS];
            }
            int slot = (hash ^ hash >>> 16) & (SLOTS - 1);
            String held = table[slot];
            if (held != null && held.length() == length && sameAscii(held, bytes, from)) {
                return held;
            }
            String made = new String(bytes, from, length, StandardCharsets.ISO_8859_1);
            table[slot] = made;
            return made;
        }

        private static boolean sameAscii(String held, byte[] bytes, int from) {
            for (int i = 0; i < held.length(); i++) {
                if (held.charAt(i) != bytes[from + i]) {
                    return false;
                }
            }
            return true;
        }
    }

    private static boolean ascii(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** Writes strings, counts and entries, checking {@link Limits} when strict. One per message; not thread-safe. */
    private static final class Writer {
        private final boolean strict;
        private final CharsetEncoder utf8 = StandardCharsets.UTF_8.newEncoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);

        Writer(boolean strict) {
            this.strict = strict;
        }

        void owner(Output out, WireMessage.Owner owner) {
            out.writeLong(owner.incarnation());
            out.writeLong(owner.seq());
            string(out, "member", owner.member(), Limits.MEMBER_CHARS);
            string(out, "host", owner.host(), Limits.HOST_CHARS);
        }

        void entry(Output out, Entry entry) {
            string(out, "id", entry.id(), Limits.ID_CHARS);
            string(out, "environment", entry.environment(), Limits.NAME_CHARS);
            string(out, "role", entry.role(), Limits.NAME_CHARS);
            string(out, "version", entry.version(), Limits.VERSION_CHARS);
            string(out, "host", entry.host(), Limits.HOST_CHARS);
            out.writeShort(entry.port());
            out.writeByte((entry.published() ? FLAG_PUBLISHED : 0) | (entry.allocated() ? FLAG_ALLOCATED : 0)
                    | healthFlags(entry.health()));
            check("metadata entries", entry.metadata().size(), Limits.METADATA_ENTRIES);
            out.writeByte(entry.metadata().size());
            for (Map.Entry<String, String> e : entry.metadata().entrySet()) {
                string(out, "metadata key", e.getKey(), Limits.METADATA_KEY_CHARS);
                string(out, "metadata value", e.getValue(), Limits.METADATA_VALUE_CHARS);
            }
        }

        /** Writes a count as an int after checking it against its limit. */
        void count(Output out, String what, int count, int max) {
            check(what, count, max);
            out.writeInt(count);
        }

        void check(String what, int count, int max) {
            if (strict && count > max) {
                throw new IllegalArgumentException(count + " " + what + ", at most " + max + " can be sent");
            }
        }

        void string(Output out, String what, String value, int maxChars) {
            if (strict && value.length() > maxChars) {
                throw new IllegalArgumentException(what + " has " + value.length() + " characters, at most "
                        + maxChars + " can be sent");
            }
            if (ascii(value)) { // the usual case: one byte per char, the same bytes as UTF-8, no array made
                checkEncodable(what, value.length());
                out.writeShort(value.length());
                out.writeAscii(value);
                return;
            }
            byte[] bytes = strict ? strictUtf8(what, value) : value.getBytes(StandardCharsets.UTF_8);
            checkEncodable(what, bytes.length);
            out.writeShort(bytes.length);
            out.write(bytes);
        }

        private static void checkEncodable(String what, int bytes) {
            if (bytes > 0xFFFF) {
                throw new IllegalArgumentException(what + " of " + bytes + " bytes is too long to encode");
            }
        }

        /**
         * Encodes {@code value} as UTF-8, refusing ill-formed UTF-16 (a lone surrogate) with a
         * message that quotes it.
         */
        private byte[] strictUtf8(String what, String value) {
            try {
                ByteBuffer encoded = utf8.encode(CharBuffer.wrap(value));
                byte[] bytes = new byte[encoded.remaining()];
                encoded.get(bytes);
                return bytes;
            } catch (CharacterCodingException e) {
                throw new IllegalArgumentException(what + " '" + Names.printable(value)
                        + "' is not well-formed UTF-16 and cannot be sent", e);
            }
        }
    }

    /**
     * A message's bytes being written, big-endian as {@link java.io.DataOutput} writes them, into
     * an array that grows as needed. Unlike a {@code DataOutputStream} over a
     * {@code ByteArrayOutputStream}, no write takes a lock, and a snapshot entry's length is
     * written in place once the entry is ({@link #reserveInt}), with no buffer of its own. Not
     * thread-safe: one per encode.
     */
    private static final class Output {
        private byte[] bytes;
        private int size;

        Output(int capacity) {
            bytes = new byte[Math.max(16, capacity)];
        }

        int size() {
            return size;
        }

        void writeByte(int value) {
            ensure(1);
            bytes[size++] = (byte) value;
        }

        void writeShort(int value) {
            ensure(2);
            bytes[size++] = (byte) (value >>> 8);
            bytes[size++] = (byte) value;
        }

        void writeInt(int value) {
            ensure(4);
            putInt(size, value);
            size += 4;
        }

        void writeLong(long value) {
            writeInt((int) (value >>> 32));
            writeInt((int) value);
        }

        void write(byte[] value) {
            ensure(value.length);
            System.arraycopy(value, 0, bytes, size, value.length);
            size += value.length;
        }

        /** Writes each char of {@code value}, all below 0x80, as one byte. */
        void writeAscii(String value) {
            int length = value.length();
            ensure(length);
            for (int i = 0; i < length; i++) {
                bytes[size + i] = (byte) value.charAt(i);
            }
            size += length;
        }

        /** Returns where a 4-byte int goes, written later with {@link #putInt}. */
        int reserveInt() {
            ensure(4);
            size += 4;
            return size - 4;
        }

        void putInt(int at, int value) {
            bytes[at] = (byte) (value >>> 24);
            bytes[at + 1] = (byte) (value >>> 16);
            bytes[at + 2] = (byte) (value >>> 8);
            bytes[at + 3] = (byte) value;
        }

        byte[] toByteArray() {
            return Arrays.copyOf(bytes, size);
        }

        private void ensure(int more) {
            if (more > bytes.length - size) {
                long wanted = Math.max((long) size + more, 2L * bytes.length);
                if (wanted > Integer.MAX_VALUE - 8) {
                    throw new IllegalArgumentException("message of more than " + (Integer.MAX_VALUE - 8)
                            + " bytes cannot be encoded");
                }
                bytes = Arrays.copyOf(bytes, (int) wanted);
            }
        }
    }
}
