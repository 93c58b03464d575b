package io.seaport.examples.cli;

import io.seaport.Role;
import io.seaport.RoleRange;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Checks arguments while they are parsed, so that a bad one is a usage error (exit 2) with the
 * registry's own message, before anything joins a cluster.
 */
final class Converters {
    private Converters() {
    }

    /** Accepts a role such as {@code web@1.2.0}; returns the text as typed. */
    static final class RoleText implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            try {
                Role.parse(value);
                return value;
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** Accepts a range such as {@code web@^1.2} or a bare name; returns the text as typed. */
    static final class RangeText implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            try {
                RoleRange.parse(value);
                return value;
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** Accepts a TCP port, 1..65535. */
    static final class Port implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return parsePort(value, 1);
        }
    }

    /** Accepts a TCP port to listen on, 0..65535, where 0 means any free port. */
    static final class ListenPort implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return parsePort(value, 0);
        }
    }

    /** Accepts a duration in seconds ({@code 30}, {@code 2.5}) or ISO-8601 ({@code PT1M}). */
    static final class Seconds implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                if (value.startsWith("P") || value.startsWith("p")) {
                    return nonNegative(value, Duration.parse(value));
                }
                return nonNegative(value, Duration.ofMillis(Math.round(Double.parseDouble(value) * 1000)));
            } catch (NumberFormatException | DateTimeParseException e) {
                throw new TypeConversionException(
                        "'" + value + "' is not a duration: expected seconds such as 30 or 2.5, or ISO-8601 such as PT1M");
            }
        }

        private static Duration nonNegative(String value, Duration duration) {
            if (duration.isNegative()) {
                throw new TypeConversionException("'" + value + "' is negative: expected a duration of 0 or more");
            }
            return duration;
        }
    }

    /**
     * Accepts a health check kind: {@code tcp}, {@code http:/PATH} or {@code none}; returns
     * {@code "tcp"}, the path, or {@code "none"}.
     */
    static final class CheckText implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            String text = value.strip();
            if (text.equals("tcp") || text.equals("none")) {
                return text;
            }
            if (text.startsWith("http:")) {
                String path = text.substring("http:".length());
                try {
                    io.seaport.HealthCheck.http(path, Duration.ofSeconds(1));
                    return path;
                } catch (IllegalArgumentException e) {
                    throw new TypeConversionException(e.getMessage());
                }
            }
            throw new TypeConversionException("'" + value + "' is not a check: expected tcp, http:/PATH "
                    + "(such as http:/health) or none");
        }
    }

    static int parsePort(String value, int lowest) {
        int port;
        try {
            port = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new TypeConversionException(
                    "'" + value + "' is not a port: expected a number in " + lowest + "..65535");
        }
        if (port < lowest || port > 65535) {
            throw new TypeConversionException(
                    "'" + value + "' is not a port: expected a number in " + lowest + "..65535");
        }
        return port;
    }
}
