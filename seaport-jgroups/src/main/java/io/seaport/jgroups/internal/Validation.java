package io.seaport.jgroups.internal;

import io.seaport.internal.Limits;
import io.seaport.internal.Names;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Checks of user input that the API module does not already check, against the shared
 * {@link Limits}; messages quote the input. Stateless.
 */
final class Validation {
    private Validation() {
    }

    static int checkPort(int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be in 1..65535, was " + port);
        }
        return port;
    }

    static String checkEnvironment(String environment) {
        Objects.requireNonNull(environment, "environment");
        String trimmed = environment.strip();
        if (trimmed.isEmpty() || trimmed.length() > Limits.NAME_CHARS
                || trimmed.chars().anyMatch(Character::isISOControl) || !Limits.isWellFormed(trimmed)) {
            throw new IllegalArgumentException("invalid environment '" + printable(environment) + "': expected a name "
                    + "of 1.." + Limits.NAME_CHARS + " characters without control characters or lone surrogates");
        }
        return trimmed;
    }

    /** Returns a copy of {@code metadata} after checking it fits {@link Limits}. */
    static Map<String, String> checkMetadata(Map<String, String> metadata) {
        Objects.requireNonNull(metadata, "metadata");
        if (metadata.size() > Limits.METADATA_ENTRIES) {
            throw new IllegalArgumentException("metadata may have at most " + Limits.METADATA_ENTRIES
                    + " entries, had " + metadata.size());
        }
        Map<String, String> copy = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            String key = e.getKey();
            String value = e.getValue();
            if (key == null || key.isEmpty() || key.length() > Limits.METADATA_KEY_CHARS) {
                throw new IllegalArgumentException("invalid metadata key '" + printable(key) + "': expected 1.."
                        + Limits.METADATA_KEY_CHARS + " characters");
            }
            if (value == null || value.length() > Limits.METADATA_VALUE_CHARS) {
                throw new IllegalArgumentException("invalid value for metadata key '" + printable(key)
                        + "': expected a non-null text of at most " + Limits.METADATA_VALUE_CHARS
                        + " characters, was " + (value == null ? "null" : value.length() + " characters"));
            }
            Limits.checkWellFormed("metadata key", key);
            if (!Limits.isWellFormed(value)) {
                throw new IllegalArgumentException("invalid value for metadata key '" + printable(key) + "': '"
                        + printable(value) + "' has a lone UTF-16 surrogate, which cannot be sent to other members");
            }
            copy.put(key, value);
        }
        return copy;
    }

    /** Returns {@code text} quotable in a message: control characters and lone surrogates escaped, at most 300 characters. */
    private static String printable(String text) {
        if (text == null) {
            return "null";
        }
        return Names.printable(text.length() > 300 ? text.substring(0, 300) + "..." : text);
    }
}
