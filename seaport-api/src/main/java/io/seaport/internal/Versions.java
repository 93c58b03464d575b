package io.seaport.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.semver4j.Semver;
import org.semver4j.range.RangeList;
import org.semver4j.range.RangeListFactory;

/**
 * Strict parsing of versions and npm ranges on top of semver4j.
 *
 * <p>semver4j is lenient: {@code Semver.coerce} finds a version inside any text and
 * {@code RangeListFactory} turns garbage into an empty range. So the text is checked against
 * npm's grammar here first, and semver4j only evaluates what passed.
 */
public final class Versions {
    private static final String IDENT = "[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*";
    private static final Pattern LOOSE_VERSION = Pattern.compile(
            "[vV]?(\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?(-" + IDENT + ")?(\\+" + IDENT + ")?");
    private static final String PART = "(?:\\d+|[xX*])";
    private static final Pattern COMPARATOR = Pattern.compile(
            "(?:<=|>=|<|>|=|~>|~|\\^)?[vV]?" + PART + "(?:\\." + PART + "){0,2}(?:-" + IDENT + ")?(?:\\+" + IDENT + ")?");
    private static final Pattern HYPHEN = Pattern.compile("(\\S+)\\s+-\\s+(\\S+)");
    private static final Pattern OPERATOR_SPACE = Pattern.compile("(<=|>=|<|>|=|~>|~|\\^)\\s+");

    private Versions() {
    }

    /**
     * Parses a version, coercing loose forms ({@code 1.0}, {@code 2}, {@code v1.2.3}).
     *
     * @param version the version text, trimmed and not empty
     * @param input the whole role, quoted in the message
     * @return the version
     * @throws IllegalArgumentException if it is not a semver version, or its normalized form is
     *     longer than {@link Limits#VERSION_CHARS}
     */
    public static Semver parse(String version, String input) {
        Matcher m = LOOSE_VERSION.matcher(version);
        Semver parsed = null;
        if (m.matches()) {
            String full = m.group(1) + "." + (m.group(2) == null ? "0" : m.group(2)) + "."
                    + (m.group(3) == null ? "0" : m.group(3))
                    + (m.group(4) == null ? "" : m.group(4)) + (m.group(5) == null ? "" : m.group(5));
            try {
                parsed = Semver.parse(full);
            } catch (RuntimeException e) { // numbers too large for semver4j's int fields
                parsed = null;
            }
        }
        if (parsed == null) {
            throw new IllegalArgumentException("invalid role '" + Names.printable(input) + "': version '"
                    + Names.printable(version) + "' is not semver (expected such as 1.2.3, 1.2, 2 or 1.0.0-beta.1)");
        }
        if (parsed.getVersion().length() > Limits.VERSION_CHARS) {
            throw new IllegalArgumentException("invalid role '" + Names.printable(Names.abbreviate(input))
                    + "': the version has " + parsed.getVersion().length() + " characters, at most "
                    + Limits.VERSION_CHARS + " are allowed");
        }
        return parsed;
    }

    /**
     * Parses an npm range such as {@code 1.x}, {@code ^1.2}, {@code >=1.0.0 <2.0.0} or
     * {@code 1.x || >=3}.
     *
     * @param range the range text, trimmed and not empty
     * @param input the whole lookup, quoted in the message
     * @return the range, excluding pre-releases as npm does
     * @throws IllegalArgumentException if it is not an npm range
     */
    public static RangeList parseRange(String range, String input) {
        for (String alternative : range.split("\\|\\|", -1)) {
            String set = alternative.strip();
            if (set.isEmpty() && range.contains("||")) {
                throw invalidRange(range, input);
            }
            Matcher hyphen = HYPHEN.matcher(set);
            if (hyphen.matches()) {
                checkComparator(hyphen.group(1), range, input, true);
                checkComparator(hyphen.group(2), range, input, true);
                continue;
            }
            for (String comparator : OPERATOR_SPACE.matcher(set).replaceAll("$1").split("\\s+")) {
                checkComparator(comparator, range, input, false);
            }
        }
        RangeList parsed;
        try {
            parsed = RangeListFactory.create(range);
        } catch (RuntimeException e) {
            throw invalidRange(range, input);
        }
        if (parsed.get().isEmpty()) {
            throw invalidRange(range, input);
        }
        return parsed;
    }

    private static void checkComparator(String comparator, String range, String input, boolean bare) {
        boolean ok = COMPARATOR.matcher(comparator).matches()
                && (!bare || Character.isDigit(comparator.charAt(0)) || "xX*vV".indexOf(comparator.charAt(0)) >= 0);
        if (!ok) {
            throw invalidRange(range, input);
        }
    }

    private static IllegalArgumentException invalidRange(String range, String input) {
        return new IllegalArgumentException("invalid range '" + Names.printable(input) + "': '"
                + Names.printable(range) + "' is not an npm version range (expected such as 1.x, ^1.2, ~1.2.3, "
                + ">=1.0.0 <2.0.0, 1.x || >=3 or 1.2.3)");
    }
}
