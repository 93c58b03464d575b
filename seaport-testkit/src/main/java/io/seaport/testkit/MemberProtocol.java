package io.seaport.testkit;

import io.seaport.Health;
import io.seaport.Service;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The line format spoken between {@link MemberMain} and {@link MemberProcess}.
 *
 * <p><b>Commands</b> (stdin) are words separated by blanks; a word with blanks, quotes or
 * backslashes is written in double quotes with {@code \"} and {@code \\} escapes
 * ({@link #quote(String)}). <b>Answers</b> (stdout) are words that never contain blanks: free text
 * is URL-encoded ({@link #encode(String)}), and a service is one word in query-string form,
 * {@code id=..&role=..&version=..&host=..&port=..&member=..&env=..&m.KEY=VALUE...}, every value
 * URL-encoded ({@link #encode(Service)}).
 *
 * <p>Stateless and thread-safe.
 */
public final class MemberProtocol {
    private MemberProtocol() {
    }

    /**
     * Returns {@code word} as one command word: unchanged if it has no blank, quote or backslash
     * and is not empty, otherwise in double quotes with escapes.
     *
     * @param word any text without line breaks
     * @return the word as it may be written in a command
     * @throws IllegalArgumentException if it contains a line break
     */
    public static String quote(String word) {
        if (word.indexOf('\n') >= 0 || word.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("a command word cannot hold a line break, was '" + word + "'");
        }
        if (!word.isEmpty() && word.chars().noneMatch(c -> Character.isWhitespace(c) || c == '"' || c == '\\')) {
            return word;
        }
        return '"' + word.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    /**
     * Returns the words of a command line, with quotes removed and escapes resolved.
     *
     * @param line a command line
     * @return the words; empty for a blank line
     * @throws IllegalArgumentException if a quote is not closed
     */
    public static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '"') {
                StringBuilder word = new StringBuilder();
                i++;
                while (true) {
                    if (i >= line.length()) {
                        throw new IllegalArgumentException("unclosed quote in '" + line + "'");
                    }
                    char d = line.charAt(i++);
                    if (d == '"') {
                        break;
                    }
                    if (d == '\\' && i < line.length()) {
                        d = line.charAt(i++);
                    }
                    word.append(d);
                }
                words.add(word.toString());
            } else {
                int end = i;
                while (end < line.length() && !Character.isWhitespace(line.charAt(end))) {
                    end++;
                }
                words.add(line.substring(i, end));
                i = end;
            }
        }
        return words;
    }

    /**
     * Returns {@code text} URL-encoded (UTF-8), so that it is one answer word.
     *
     * @param text any text
     * @return the encoded word
     */
    public static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    /**
     * Returns the text of a word made by {@link #encode(String)}.
     *
     * @param word an encoded word
     * @return the text
     */
    public static String decode(String word) {
        return URLDecoder.decode(word, StandardCharsets.UTF_8);
    }

    /**
     * Returns {@code service} as one answer word.
     *
     * @param service a service
     * @return the word
     */
    public static String encode(Service service) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("id", service.id());
        fields.put("role", service.role());
        fields.put("version", service.version());
        fields.put("host", service.host());
        fields.put("port", Integer.toString(service.port()));
        fields.put("member", service.member());
        fields.put("env", service.environment());
        fields.put("health", service.health().name());
        service.metadata().forEach((k, v) -> fields.put("m." + k, v));
        StringBuilder word = new StringBuilder();
        fields.forEach((k, v) -> {
            if (word.length() > 0) {
                word.append('&');
            }
            word.append(encode(k)).append('=').append(encode(v));
        });
        return word.toString();
    }

    /**
     * Returns the service written by {@link #encode(Service)}.
     *
     * @param word the word
     * @return the service
     * @throws IllegalArgumentException if the word is not a service
     */
    public static Service decodeService(String word) {
        Map<String, String> fields = new LinkedHashMap<>();
        Map<String, String> metadata = new TreeMap<>();
        for (String pair : word.split("&")) {
            int eq = pair.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("expected key=value in service word '" + word + "'");
            }
            String key = decode(pair.substring(0, eq));
            String value = decode(pair.substring(eq + 1));
            if (key.startsWith("m.")) {
                metadata.put(key.substring(2), value);
            } else {
                fields.put(key, value);
            }
        }
        try {
            return new Service(fields.get("id"), fields.get("role"), fields.get("version"), fields.get("host"),
                    Integer.parseInt(fields.get("port")), metadata, fields.get("member"), fields.get("env"),
                    Health.valueOf(fields.getOrDefault("health", "PASSING")));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a service word: '" + word + "'", e);
        }
    }

    /**
     * Returns the services written as words from index {@code from} of {@code words}.
     *
     * @param words the words of an answer
     * @param from the index of the first service word
     * @return the services, in order
     */
    public static List<Service> decodeServices(List<String> words, int from) {
        List<Service> services = new ArrayList<>();
        for (int i = from; i < words.size(); i++) {
            services.add(decodeService(words.get(i)));
        }
        return services;
    }
}
