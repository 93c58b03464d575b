package io.seaport.spring.boot;

import io.seaport.RoleRange;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Maps Spring's service ids, which are plain names, to the Seaport ranges they look up.
 *
 * <ul>
 *   <li>An id with no entry looks up its own name: every version ({@code web} finds {@code web@1.0.0}
 *       and {@code web@2.1.0}).
 *   <li>{@code seaport.discovery.ranges.web=^2}: the id {@code web} means {@code web@^2}, so
 *       {@code http://web/} reaches only 2.x.
 *   <li>{@code seaport.discovery.ranges.legacy-web=web@1.x}: a value with {@code @} names the role too,
 *       so {@code http://legacy-web/} reaches {@code web@1.x}.
 * </ul>
 *
 * <p>Every range is checked when the map is built; a bad one is refused naming its property.
 * Immutable and thread-safe.
 */
public final class ServiceRanges {
    private final Map<String, String> ranges;

    /**
     * Returns the mapping of {@code seaport.discovery.ranges}.
     *
     * @param configured service id to a range ({@code ^2}) or a role and range ({@code web@1.x})
     * @throws IllegalArgumentException naming the property and quoting its value if a range does
     *     not parse
     */
    public ServiceRanges(Map<String, String> configured) {
        Map<String, String> resolved = new TreeMap<>();
        configured.forEach((id, value) -> {
            String range = value.contains("@") ? value.strip() : id + "@" + value.strip();
            try {
                RoleRange.parse(range);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("seaport.discovery.ranges." + id + "='" + value
                        + "' is not a range: " + e.getMessage(), e);
            }
            resolved.put(id, range);
        });
        this.ranges = Map.copyOf(resolved);
    }

    /**
     * Returns the Seaport range that {@code serviceId} looks up.
     *
     * @param serviceId a Spring service id, such as the host of {@code http://web/}
     * @return the mapped range, or the id itself (every version of that role)
     */
    public String rangeFor(String serviceId) {
        Objects.requireNonNull(serviceId, "serviceId");
        return ranges.getOrDefault(serviceId, serviceId);
    }

    /**
     * Returns the configured ids and their ranges.
     *
     * @return id to range, sorted by id
     */
    public Map<String, String> configured() {
        return new TreeMap<>(ranges);
    }

    @Override
    public String toString() {
        return "ServiceRanges" + configured();
    }
}
