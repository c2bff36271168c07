package dev.cookies;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Renders {@code Set-Cookie} header values per RFC 6265bis, so every adapter sends byte-identical
 * cookies. Values a browser would reject are refused.
 */
final class SetCookies {

    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);
    private static final String EPOCH = "Thu, 01 Jan 1970 00:00:00 GMT";

    private SetCookies() {
    }

    /**
     * Renders a cookie that sets a value.
     *
     * @param settings name and attributes
     * @param value the value: cookie-octets only
     * @param maxAge the lifetime for a persistent cookie, or {@code null} for a browser-session cookie
     * @param now the current time, for {@code Expires}
     * @return the header value
     * @throws IllegalArgumentException if the value holds a character a browser would reject
     */
    static String render(CookieSettings settings, String value, Duration maxAge, Instant now) {
        requireCookieValue(value);
        StringBuilder b = new StringBuilder(settings.name().length() + value.length() + 128);
        b.append(settings.name()).append('=').append(value);
        if (maxAge != null) {
            long seconds = Math.max(0, Math.min(maxAge.getSeconds(), CookieSettings.MAX_LIFETIME.getSeconds()));
            b.append("; Max-Age=").append(seconds);
            b.append("; Expires=").append(IMF_FIXDATE.format(now.plusSeconds(seconds)));
        }
        return attributes(b, settings);
    }

    /**
     * Renders a cookie that deletes the client's copy: empty value, {@code Max-Age=0}, {@code Expires}
     * in 1970, and the same {@code Domain}, {@code Path} and flags, so the browser matches it.
     *
     * @param settings name and attributes
     * @return the header value
     */
    static String renderExpired(CookieSettings settings) {
        StringBuilder b = new StringBuilder(settings.name().length() + 128);
        b.append(settings.name()).append("=; Max-Age=0; Expires=").append(EPOCH);
        return attributes(b, settings);
    }

    private static String attributes(StringBuilder b, CookieSettings settings) {
        if (settings.hasDomain()) {
            b.append("; Domain=").append(settings.domain());
        }
        b.append("; Path=").append(settings.path());
        if (settings.secure()) {
            b.append("; Secure");
        }
        if (settings.httpOnly()) {
            b.append("; HttpOnly");
        }
        b.append("; SameSite=").append(settings.sameSite().attributeValue());
        if (settings.partitioned()) {
            b.append("; Partitioned");
        }
        return b.toString();
    }

    /**
     * Checks that a value is made of RFC 6265 cookie-octets.
     *
     * @param value the value
     * @throws IllegalArgumentException if it is not
     */
    /** RFC 6265's cookie-octets, by character: one load per character, however long the value. */
    private static final boolean[] COOKIE_OCTET = new boolean[128];

    static {
        for (char c = 0; c < 128; c++) {
            COOKIE_OCTET[c] = c == 0x21 || (c >= 0x23 && c <= 0x2b) || (c >= 0x2d && c <= 0x3a)
                    || (c >= 0x3c && c <= 0x5b) || (c >= 0x5d && c <= 0x7e);
        }
    }

    static void requireCookieValue(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (!isCookieOctet(value.charAt(i))) {
                throw new IllegalArgumentException("cookie value has a character browsers reject at index " + i
                        + String.format(" (\\u%04x)", (int) value.charAt(i)));
            }
        }
    }

    static boolean isCookieOctet(char c) {
        return c < 128 && COOKIE_OCTET[c];
    }
}
