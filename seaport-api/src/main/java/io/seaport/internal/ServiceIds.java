package io.seaport.internal;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Optional;

/**
 * Mints registration ids that sort in the order they were minted: a ULID (48-bit millisecond
 * time and 80 random bits in Crockford base32, 26 characters), monotonic within one JVM.
 * Thread-safe.
 */
public final class ServiceIds {
    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static long lastMillis;
    private static long randomHigh; // 16 bits
    private static long randomLow;  // 64 bits

    private ServiceIds() {
    }

    /**
     * Returns a new id, greater than every id this JVM minted before.
     *
     * @return a 26-character ULID
     */
    public static synchronized String next() {
        long now = System.currentTimeMillis();
        if (now > lastMillis) {
            lastMillis = now;
            randomHigh = RANDOM.nextInt(1 << 16);
            randomLow = RANDOM.nextLong();
        } else if (++randomLow == 0 && ++randomHigh == 1 << 16) {
            // 80 random bits overflowed within one millisecond: borrow the next millisecond.
            lastMillis++;
            randomHigh = 0;
        }
        char[] out = new char[26];
        long time = lastMillis;
        for (int i = 9; i >= 0; i--) {
            out[i] = ALPHABET[(int) (time & 31)];
            time >>>= 5;
        }
        // 80 random bits: the top 16 in randomHigh, the low 64 in randomLow, 16 characters of 5 bits.
        long low = randomLow;
        long high = randomHigh;
        for (int i = 25; i >= 10; i--) {
            out[i] = ALPHABET[(int) (low & 31)];
            low = (low >>> 5) | ((high & 31) << 59);
            high >>>= 5;
        }
        return new String(out);
    }

    /**
     * Returns when an id from {@link #next()} was minted.
     *
     * @param id a service id
     * @return the time it encodes, or empty if it is not a ULID
     */
    public static Optional<Instant> timestamp(String id) {
        if (id == null || id.length() != 26) {
            return Optional.empty();
        }
        long time = 0;
        for (int i = 0; i < 10; i++) {
            int digit = indexOf(id.charAt(i));
            if (digit < 0) {
                return Optional.empty();
            }
            time = (time << 5) | digit;
        }
        return Optional.of(Instant.ofEpochMilli(time));
    }

    private static int indexOf(char c) {
        for (int i = 0; i < ALPHABET.length; i++) {
            if (ALPHABET[i] == Character.toUpperCase(c)) {
                return i;
            }
        }
        return -1;
    }
}
