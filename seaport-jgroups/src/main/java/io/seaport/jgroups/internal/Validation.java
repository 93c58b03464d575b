package io.seaport.jgroups.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** Checks of user input that the API module does not already check; messages quote the input. */
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
        if (trimmed.isEmpty() || trimmed.length() > WireCodec.Limits.NAME_CHARS
                || trimmed.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("invalid environment '" + printable(environment) + "': expected a name "
                    + "of 1.." + WireCodec.Limits.NAME_CHARS + " characters without control characters");
        }
        return trimmed;
    }

    /** Returns a copy of {@code metadata} after checking it fits {@link WireCodec.Limits}. */
    static Map<String, String> checkMetadata(Map<String, String> metadata) {
        Objects.requireNonNull(metadata, "metadata");
        if (metadata.size() > WireCodec.Limits.METADATA_ENTRIES) {
            throw new IllegalArgumentException("metadata may have at most " + WireCodec.Limits.METADATA_ENTRIES
                    + " entries, had " + metadata.size());
        }
        Map<String, String> copy = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            String key = e.getKey();
            String value = e.getValue();
            if (key == null || key.isEmpty() || key.length() > WireCodec.Limits.METADATA_KEY_CHARS) {
                throw new IllegalArgumentException("invalid metadata key '" + printable(key) + "': expected 1.."
                        + WireCodec.Limits.METADATA_KEY_CHARS + " characters");
            }
            if (value == null || value.length() > WireCodec.Limits.METADATA_VALUE_CHARS) {
                throw new IllegalArgumentException("invalid value for metadata key '" + printable(key)
                        + "': expected a non-null text of at most " + WireCodec.Limits.METADATA_VALUE_CHARS
                        + " characters, was " + (value == null ? "null" : value.length() + " characters"));
            }
            copy.put(key, value);
        }
        return copy;
    }

    private static String printable(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder();
        text.codePoints().limit(300).forEach(c -> {
            if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }
}
