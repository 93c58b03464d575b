package io.seaport.examples.cli;

import io.seaport.Service;
import io.seaport.ServiceEvent;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes services as JSON (RFC 8259): strings escaped, numbers plain, no library. Field order is
 * fixed so that output is stable and diffable.
 */
final class Json {
    private Json() {
    }

    /** Returns a JSON array of {@code services}, one object per line. */
    static String array(List<Service> services) {
        if (services.isEmpty()) {
            return "[]";
        }
        StringBuilder out = new StringBuilder("[\n");
        for (int i = 0; i < services.size(); i++) {
            out.append("  ").append(object(services.get(i))).append(i + 1 < services.size() ? ",\n" : "\n");
        }
        return out.append(']').toString();
    }

    /** Returns one JSON object for a watch event: its type, reason (or previous health) and service. */
    static String event(ServiceEvent event) {
        StringBuilder out = new StringBuilder("{");
        if (event instanceof ServiceEvent.Freed freed) {
            field(out, "event", "freed").append(',');
            field(out, "reason", freed.reason().name().toLowerCase(Locale.ROOT)).append(',');
        } else if (event instanceof ServiceEvent.HealthChanged changed) {
            field(out, "event", "health").append(',');
            field(out, "previous", changed.previous().name().toLowerCase(Locale.ROOT)).append(',');
        } else {
            field(out, "event", "registered").append(',');
        }
        return out.append(quote("service")).append(':').append(object(event.service())).append('}').toString();
    }

    /** Returns one JSON object holding every field of {@code service}. */
    static String object(Service service) {
        StringBuilder out = new StringBuilder("{");
        field(out, "role", service.role()).append(',');
        field(out, "version", service.version()).append(',');
        field(out, "host", service.host()).append(',');
        out.append(quote("port")).append(':').append(service.port()).append(',');
        field(out, "address", service.address()).append(',');
        field(out, "member", service.member()).append(',');
        field(out, "environment", service.environment()).append(',');
        field(out, "health", service.health().name().toLowerCase(Locale.ROOT)).append(',');
        field(out, "id", service.id()).append(',');
        out.append(quote("registered")).append(':');
        out.append(service.registered().map(t -> quote(t.toString())).orElse("null")).append(',');
        out.append(quote("metadata")).append(":{");
        boolean first = true;
        for (Map.Entry<String, String> entry : service.metadata().entrySet()) {
            if (!first) {
                out.append(',');
            }
            field(out, entry.getKey(), entry.getValue());
            first = false;
        }
        return out.append("}}").toString();
    }

    private static StringBuilder field(StringBuilder out, String name, String value) {
        return out.append(quote(name)).append(':').append(quote(value));
    }

    /** Returns {@code text} as a JSON string literal. */
    static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    // Other control characters, and the two line separators JavaScript treats as
                    // newlines, are written as escapes so the output stays on one line everywhere.
                    if (c < 0x20 || c == '\u2028' || c == '\u2029' || c == 0x7f) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
