package io.seaport.examples.cli;

import io.seaport.Service;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Formats services as an aligned text table: role, version, address, health, member, age, the site
 * when any service is of a site other than {@link io.seaport.Seaport#DEFAULT_SITE} (the cluster is
 * bridged to others), and metadata when any service has some. Columns are separated by two spaces;
 * the last is not padded.
 */
final class ServiceTable {
    private ServiceTable() {
    }

    /**
     * Returns the table, one line per service after a header line.
     *
     * @param services the rows, in the order to print them
     * @param now the time ages are measured to
     * @return the lines, without a trailing newline
     */
    static String format(List<Service> services, Instant now) {
        boolean withMeta = services.stream().anyMatch(s -> !s.metadata().isEmpty());
        boolean withSite = services.stream().anyMatch(s -> !s.site().equals(io.seaport.Seaport.DEFAULT_SITE));
        List<String[]> rows = new ArrayList<>();
        rows.add(row(withSite, withMeta, "ROLE", "VERSION", "ADDRESS", "HEALTH", "MEMBER", "AGE", "SITE", "META"));
        for (Service s : services) {
            String age = s.registered().map(t -> age(Duration.between(t, now))).orElse("?");
            rows.add(row(withSite, withMeta, s.role(), s.version(), s.address(), health(s), s.member(), age, s.site(),
                    withMeta ? meta(s.metadata()) : ""));
        }
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(row[i]);
                if (i + 1 < row.length) {
                    line.append(" ".repeat(widths[i] - row[i].length() + 2));
                }
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.substring(0, out.length() - 1);
    }

    /** Returns the first six cells, then the site and the metadata if they are shown. */
    private static String[] row(boolean withSite, boolean withMeta, String... cells) {
        List<String> row = new ArrayList<>(List.of(cells).subList(0, 6));
        if (withSite) {
            row.add(cells[6]);
        }
        if (withMeta) {
            row.add(cells[7]);
        }
        return row.toArray(String[]::new);
    }

    /** Returns a short age such as {@code 42s}, {@code 3m05s}, {@code 2h07m} or {@code 5d03h}. */
    static String age(Duration duration) {
        long seconds = Math.max(0, duration.getSeconds()); // clocks of two hosts may disagree a little
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return String.format("%dm%02ds", seconds / 60, seconds % 60);
        }
        if (seconds < 86400) {
            return String.format("%dh%02dm", seconds / 3600, seconds % 3600 / 60);
        }
        return String.format("%dd%02dh", seconds / 86400, seconds % 86400 / 3600);
    }

    /** Returns the health in lower case: {@code passing}, {@code failing}, {@code draining}. */
    static String health(Service service) {
        return service.health().name().toLowerCase(java.util.Locale.ROOT);
    }

    private static String meta(Map<String, String> metadata) {
        return metadata.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(","));
    }
}
