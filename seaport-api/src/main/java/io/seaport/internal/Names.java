package io.seaport.internal;

/** The rules for role names, shared by roles and ranges. */
public final class Names {
    /** The longest name accepted, in characters. */
    public static final int MAX_LENGTH = 255;

    private Names() {
    }

    /**
     * Returns {@code raw} trimmed, if it is a valid role name.
     *
     * @param raw the name part of {@code input}
     * @param what "role" or "range", for the message
     * @param input the whole text, quoted in the message
     * @return the trimmed name
     * @throws IllegalArgumentException if the name is empty, too long or has control characters
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
        return name;
    }

    /**
     * Returns {@code text} with control characters escaped, for quoting in messages.
     *
     * @param text any text
     * @return the text with {@code \n}, {@code \t} and others as {@code \}{@code uXXXX}
     */
    public static String printable(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }
}
