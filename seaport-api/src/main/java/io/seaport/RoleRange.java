package io.seaport;

import io.seaport.internal.Names;
import io.seaport.internal.Versions;
import java.util.Objects;
import java.util.Optional;
import org.semver4j.range.RangeList;

/**
 * A parsed lookup: a role name and, optionally, an npm version range. Immutable and thread-safe.
 *
 * <p>{@code http} (a bare name) matches every version of {@code http}, pre-releases included.
 * {@code http@1.x}, {@code http@^1.2}, {@code http@~1.2.3}, {@code http@>=1.0.0 <2.0.0},
 * {@code http@1.x || >=3} and {@code http@1.2.3} are evaluated as npm does: a pre-release matches
 * only a comparator that names a pre-release of the same {@code major.minor.patch}.
 */
public final class RoleRange {
    private final String name;
    private final String range;
    private final RangeList ranges;

    private RoleRange(String name, String range, RangeList ranges) {
        this.name = name;
        this.range = range;
        this.ranges = ranges;
    }

    /**
     * Parses {@code name} or {@code name@range}.
     *
     * @param range the text, such as {@code http@1.x}
     * @return the range
     * @throws IllegalArgumentException if the name or the range is invalid, quoting the input
     * @throws NullPointerException if {@code range} is null
     */
    public static RoleRange parse(String range) {
        Objects.requireNonNull(range, "range");
        int at = range.indexOf('@');
        String name = Names.check(at < 0 ? range : range.substring(0, at), "range", range);
        if (at < 0) {
            return new RoleRange(name, null, null);
        }
        String versions = range.substring(at + 1).trim();
        if (versions.isEmpty()) {
            throw new IllegalArgumentException("invalid range '" + range
                    + "': '@' must be followed by a version range such as 1.x, ^1.2 or >=1.0.0 <2.0.0");
        }
        return new RoleRange(name, versions, Versions.parseRange(versions, range));
    }

    /**
     * Returns the role name this range looks for.
     *
     * @return the trimmed name
     */
    public String name() {
        return name;
    }

    /**
     * Returns the version range, if any.
     *
     * @return the npm range text, empty for a bare name
     */
    public Optional<String> versionRange() {
        return Optional.ofNullable(range);
    }

    /**
     * Returns whether {@code role} has this name and a version in this range.
     *
     * @param role the role to test
     * @return true if it matches
     */
    public boolean matches(Role role) {
        return name.equals(role.name()) && matchesVersion(role);
    }

    /**
     * Returns whether the version of {@code role} is in this range, ignoring its name.
     *
     * @param role the role whose version to test
     * @return true if a bare name, or the version satisfies the range
     */
    public boolean matchesVersion(Role role) {
        return ranges == null || role.semver().satisfies(ranges);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RoleRange r && name.equals(r.name) && Objects.equals(range, r.range);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, range);
    }

    /** Returns {@code name@range}, or the bare name. */
    @Override
    public String toString() {
        return range == null ? name : name + "@" + range;
    }
}
