package io.seaport.internal;

/** The rules for role names, shared by roles and ranges. */
public final class Names {
    /** The longest name accepted, in characters: {@link Limits#NAME_CHARS}. */
    public static final int MAX_LENGTH = Limits.NAME_CHARS;

    private Names() {
    }

    /**
     * Returns {@code raw} trimmed, if it is a valid role name.
     *
     * @param raw the name part of {@code input}
     * @param what "role" or "range", for the message
     * @param input the whole text, quoted in the message
     * @return the trimmed name
     * @throws IllegalArgumentException if the name is empty, too long, has control characters or
     *     a lone UTF-16 surrogate
     */
    public static String check(String raw, String what, String input) {
        String name = raw.strip();
        if (name.isEmpty()) {
            throw new IllegalArgumentException("invalid " + what + " '" + input
                    + "': the name before '@' must not be empty (expected name@version, such as http@1.2.3)");
        }
        if (name.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("invalid " + what + " '" + abbreviate(input)
                    + "': the name has " + name.length() + " characters, at most " + MAX_LENGTH + " are allowed");
        }
        for (int i = 0; i < name.length(); i++) {
            if (Character.isISOControl(name.charAt(i))) {
                throw new IllegalArgumentException("invalid " + what + " '" + printable(input)
                        + "': the name must not contain control characters");
            }
        }
        if (!Limits.isWellFormed(name)) {
            throw new IllegalArgumentException("invalid " + what + " '" + printable(abbreviate(input))
                    + "': the name has a lone UTF-16 surrogate, which cannot be sent to other members");
        }
        return name;
    }

    /**
     * Returns {@code text} with control characters and lone surrogates escaped, for quoting in
     * messages.
     *
     * @param text any text
     * @return the text with {@code \n}, {@code \t}, a lone surrogate and others as {@code \}{@code uXXXX}
     */
    public static String printable(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean paired = Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1));
            if (paired) {
                out.append(c).append(text.charAt(++i));
            } else if (Character.isISOControl(c) || Character.isSurrogate(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }
}
