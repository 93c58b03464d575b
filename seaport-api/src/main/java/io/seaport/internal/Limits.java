package io.seaport.internal;

/**
 * The one set of limits on what a registration may hold. The API's validation refuses anything
 * beyond them, with a message that quotes the input, and the provider's wire codec derives its
 * checks (on encoding and on decoding) from the same constants, so whatever the API accepts
 * travels to every peer and is accepted there.
 *
 * <p>Lengths count UTF-16 {@code char}s of well-formed text (no lone surrogates: those cannot be
 * encoded as UTF-8, see {@link #isWellFormed}). Stateless and thread-safe.
 */
public final class Limits {
    /** The longest role name, environment name or cluster name, in characters. */
    public static final int NAME_CHARS = 255;
    /** The longest normalized version (such as {@code 1.0.0-beta.1+build.5}), in characters. */
    public static final int VERSION_CHARS = 255;
    /** The longest advertised host, in characters (a DNS name has at most 253). */
    public static final int HOST_CHARS = 255;
    /** The longest registration id, in characters (a ULID has 26). */
    public static final int ID_CHARS = 64;
    /**
     * The longest member name, in characters: the advertised host, a process id of up to 19
     * digits and a 4-character suffix, each after a {@code -}.
     */
    public static final int MEMBER_CHARS = HOST_CHARS + 1 + 19 + 1 + 4;
    /** The most metadata entries one registration may carry. */
    public static final int METADATA_ENTRIES = 64;
    /** The longest metadata key, in characters. */
    public static final int METADATA_KEY_CHARS = 255;
    /** The longest metadata value, in characters. */
    public static final int METADATA_VALUE_CHARS = 4096;
    /** The most registrations one member may hold; its peers refuse more (a flood). */
    public static final int MEMBER_ENTRIES = 250_000;

    private Limits() {
    }

    /**
     * Returns whether {@code text} is well-formed UTF-16: every high surrogate is followed by a
     * low one and every low surrogate follows a high one, so that it encodes to UTF-8 and back
     * unchanged.
     *
     * @param text any text
     * @return true if it has no lone surrogate
     */
    public static boolean isWellFormed(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Returns {@code text} if it is well-formed UTF-16.
     *
     * @param what what the text is, for the message (such as {@code "metadata key"})
     * @param text the text
     * @return the text
     * @throws IllegalArgumentException if it has a lone surrogate; the message quotes it with the
     *     surrogate escaped
     */
    public static String checkWellFormed(String what, String text) {
        if (!isWellFormed(text)) {
            throw new IllegalArgumentException("invalid " + what + " '" + Names.printable(text)
                    + "': it has a lone UTF-16 surrogate, which cannot be sent to other members");
        }
        return text;
    }
}
