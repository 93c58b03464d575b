package io.seaport;

import io.seaport.internal.Limits;
import io.seaport.internal.Names;
import io.seaport.internal.Versions;
import java.util.Objects;
import org.semver4j.Semver;

/**
 * A parsed role: a name and a semver version, as in {@code http@1.2.3}. Immutable.
 *
 * <p>Rules: the text before the first {@code @} is the name, trimmed; it is not empty, has no
 * control characters and at most {@value #MAX_NAME_LENGTH} characters, and may contain spaces.
 * The text after it is the version; loose versions are coerced ({@code 1.0} is {@code 1.0.0},
 * {@code 2} is {@code 2.0.0}, a leading {@code v} is dropped), and the normalized version has at
 * most {@value #MAX_VERSION_LENGTH} characters; no {@code @} means {@code 0.0.0}. Text with a lone
 * UTF-16 surrogate is refused: it could not be sent to other members unchanged.
 * Roles order by name, then by semver precedence.
 */
public final class Role implements Comparable<Role> {

    /** The longest name accepted, in characters. */
    public static final int MAX_NAME_LENGTH = Names.MAX_LENGTH;

    /** The longest normalized version accepted, in characters. */
    public static final int MAX_VERSION_LENGTH = Limits.VERSION_CHARS;

    private final String name;
    private final Semver version;

    private Role(String name, Semver version) {
        this.name = name;
        this.version = version;
    }

    /**
     * Parses {@code name@version} or a bare {@code name}.
     *
     * @param role the text, such as {@code http@1.0} or {@code http server}
     * @return the role
     * @throws IllegalArgumentException if the name or the version is invalid, quoting the input
     * @throws NullPointerException if {@code role} is null
     */
    public static Role parse(String role) {
        Objects.requireNonNull(role, "role");
        int at = role.indexOf('@');
        String name = Names.check(at < 0 ? role : role.substring(0, at), "role", role);
        if (at < 0) {
            return new Role(name, Semver.ZERO);
        }
        String version = role.substring(at + 1).trim();
        if (version.isEmpty()) {
            throw new IllegalArgumentException("invalid role '" + role
                    + "': '@' must be followed by a version such as 1.2.3");
        }
        return new Role(name, Versions.parse(version, role));
    }

    /**
     * Returns the role's name.
     *
     * @return the trimmed name
     */
    public String name() {
        return name;
    }

    /**
     * Returns the normalized version, such as {@code 1.0.0} or {@code 2.1.0-beta.1}.
     *
     * @return the semver version
     */
    public String version() {
        return version.getVersion();
    }

    /**
     * Returns whether the version is a pre-release ({@code 1.0.0-beta}).
     *
     * @return true for a pre-release
     */
    public boolean isPreRelease() {
        return !version.getPreRelease().isEmpty();
    }

    /**
     * Compares versions only, by semver precedence (build metadata ignored).
     *
     * @param other the role to compare with
     * @return negative, zero or positive as this version is lower, equal or higher
     */
    public int compareVersionTo(Role other) {
        if (other == this) {
            return 0; // roles are cached and shared: a role compared with itself is common in sorting
        }
        return version.compareTo(other.version);
    }

    Semver semver() {
        return version;
    }

    @Override
    public int compareTo(Role other) {
        int byName = name.compareTo(other.name);
        return byName != 0 ? byName : compareVersionTo(other);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Role r && name.equals(r.name) && version().equals(r.version());
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + version().hashCode();
    }

    /** Returns {@code name@version}. */
    @Override
    public String toString() {
        return name + "@" + version();
    }
}
