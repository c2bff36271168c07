package dev.cookies.testkit;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed {@code Set-Cookie} header, for assertions. Attribute names are matched case-insensitively.
 *
 * @param name the cookie name
 * @param value the cookie value
 * @param attributes attribute names in lower case, to their values ({@code ""} for flags)
 * @since 0.1
 */
public record SetCookie(String name, String value, Map<String, String> attributes) {

    /**
     * Parses a header value.
     *
     * @param header for example {@code "SESSION=abc; Path=/; HttpOnly"}
     * @return the parsed cookie
     * @throws IllegalArgumentException if the header has no {@code name=value} pair
     */
    public static SetCookie parse(String header) {
        String[] parts = header.split(";");
        int eq = parts[0].indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("not a Set-Cookie header: " + header);
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i].trim();
            int e = part.indexOf('=');
            String key = (e < 0 ? part : part.substring(0, e)).trim().toLowerCase(Locale.ROOT);
            attributes.put(key, e < 0 ? "" : part.substring(e + 1).trim());
        }
        return new SetCookie(parts[0].substring(0, eq).trim(), parts[0].substring(eq + 1).trim(), attributes);
    }

    /**
     * Returns an attribute's value.
     *
     * @param attribute the attribute name, any case
     * @return the value ({@code ""} for a flag), or empty if absent
     */
    public Optional<String> attribute(String attribute) {
        return Optional.ofNullable(attributes.get(attribute.toLowerCase(Locale.ROOT)));
    }

    /**
     * Returns whether an attribute is present.
     *
     * @param attribute the attribute name, any case
     * @return {@code true} if present
     */
    public boolean has(String attribute) {
        return attributes.containsKey(attribute.toLowerCase(Locale.ROOT));
    }

    /**
     * Returns whether this cookie tells the browser to delete it ({@code Max-Age} zero or less).
     *
     * @return {@code true} for an expired cookie
     */
    public boolean isExpired() {
        return attribute("Max-Age").map(v -> Long.parseLong(v) <= 0).orElse(false);
    }
}
