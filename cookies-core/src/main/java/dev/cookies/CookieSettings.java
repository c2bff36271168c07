package dev.cookies;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * How a session's cookie is written: its name and the attributes of its {@code Set-Cookie} header.
 *
 * <p>Defaults are the safe ones: {@code Path=/}, {@code HttpOnly}, {@code SameSite=Lax}, host-only
 * (no {@code Domain}), persistent ({@code Max-Age} and {@code Expires} follow the session's idle
 * timeout). {@code Secure} is off by default so that plain-HTTP development works; turn it on in
 * production. Every rule a browser enforces is checked when the settings are made, and the
 * {@link SessionConfigException} names the setting at fault:
 * <ul>
 *   <li>{@code SameSite=None} and {@code Partitioned} need {@code Secure};</li>
 *   <li>a {@code __Secure-} name needs {@code Secure};</li>
 *   <li>a {@code __Host-} name needs {@code Secure}, no {@code Domain} and {@code Path=/};</li>
 *   <li>the name is an RFC 9110 token; path and domain hold no {@code ;}, CR, LF or other control character.</li>
 * </ul>
 *
 * <pre>{@code
 * CookieSettings cookie = CookieSettings.builder("__Host-SESSION").secure(true).sameSite(SameSite.STRICT).build();
 * }</pre>
 *
 * @param name the cookie name; an RFC 9110 token
 * @param domain the {@code Domain} attribute, or {@code ""} for a host-only cookie (the default)
 * @param path the {@code Path} attribute; starts with {@code /}
 * @param secure whether {@code Secure} is written
 * @param httpOnly whether {@code HttpOnly} is written
 * @param sameSite the {@code SameSite} attribute
 * @param partitioned whether {@code Partitioned} (CHIPS) is written
 * @param persistent {@code true} to write {@code Max-Age} and {@code Expires}; {@code false} for a
 *     browser-session cookie, which the browser drops when it closes
 * @since 0.1
 */
public record CookieSettings(String name, String domain, String path, boolean secure, boolean httpOnly,
                             SameSite sameSite, boolean partitioned, boolean persistent) {

    /**
     * The longest lifetime browsers give a cookie (RFC 6265bis caps {@code Max-Age} and {@code Expires}
     * at 400 days): the upper bound of every timeout and login duration in this library.
     */
    public static final Duration MAX_LIFETIME = Duration.ofDays(400);

    /**
     * The largest {@code Set-Cookie} header value, name, value and attributes together, that browsers
     * are sure to keep (RFC 6265 sections 6.1 and 6.3 ask for at least 4096 bytes per cookie): a session
     * sealed into its cookie must fit, and a longer cookie value cannot be one of ours.
     */
    public static final int MAX_HEADER_BYTES = 4096;

    private static final int MAX_ATTRIBUTE_LENGTH = 1024;

    /**
     * Validates the settings.
     *
     * @throws SessionConfigException if a setting is invalid or settings contradict each other
     * @throws NullPointerException if {@code name}, {@code domain}, {@code path} or {@code sameSite} is null
     */
    public CookieSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(sameSite, "sameSite");
        if (!isToken(name)) {
            throw SessionConfigException.of("cookie.name",
                    "'" + printable(name) + "' is not a valid cookie name (an RFC 9110 token: letters, digits and !#$%&'*+-.^_`|~)");
        }
        if (domain.startsWith(".")) {
            domain = domain.substring(1);
        }
        if (!domain.isEmpty() && !isDomain(domain)) {
            throw SessionConfigException.of("cookie.domain", "'" + printable(domain) + "' is not a valid domain");
        }
        if (!path.startsWith("/") || path.length() > MAX_ATTRIBUTE_LENGTH || !isAttributeValue(path)) {
            throw SessionConfigException.of("cookie.path",
                    "'" + printable(path) + "' is not a valid path (must start with '/', no ';', CR, LF or control characters)");
        }
        if (sameSite == SameSite.NONE && !secure) {
            throw SessionConfigException.of("cookie.sameSite", "SameSite=None requires Secure; set cookie.secure(true)");
        }
        if (partitioned && !secure) {
            throw SessionConfigException.of("cookie.partitioned", "Partitioned requires Secure; set cookie.secure(true)");
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.startsWith("__secure-") && !secure) {
            throw SessionConfigException.of("cookie.secure", "a __Secure- cookie name requires Secure");
        }
        if (lower.startsWith("__host-")) {
            if (!secure) {
                throw SessionConfigException.of("cookie.secure", "a __Host- cookie name requires Secure");
            }
            if (!domain.isEmpty()) {
                throw SessionConfigException.of("cookie.domain", "a __Host- cookie must not have a Domain");
            }
            if (!path.equals("/")) {
                throw SessionConfigException.of("cookie.path", "a __Host- cookie must have Path=/");
            }
        }
    }

    /**
     * Returns the default settings for a cookie name.
     *
     * @param name the cookie name
     * @return settings with the defaults described on this class
     * @throws SessionConfigException if the name is not a valid cookie name
     */
    public static CookieSettings of(String name) {
        return builder(name).build();
    }

    /**
     * Starts settings for a cookie name, with the defaults described on this class.
     *
     * @param name the cookie name
     * @return a builder
     * @throws NullPointerException if {@code name} is null
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /**
     * Returns a builder holding these settings, to derive changed settings from.
     *
     * @return a builder
     */
    public Builder toBuilder() {
        return new Builder(name).domain(domain).path(path).secure(secure).httpOnly(httpOnly)
                .sameSite(sameSite).partitioned(partitioned).persistent(persistent);
    }

    /**
     * Returns whether a {@code Domain} attribute is written.
     *
     * @return {@code false} for a host-only cookie
     */
    public boolean hasDomain() {
        return !domain.isEmpty();
    }

    /**
     * Builds {@link CookieSettings}. Not thread-safe; rules that involve several settings are
     * checked by {@link #build()}.
     *
     * @since 0.1
     */
    public static final class Builder {
        private final String name;
        private String domain = "";
        private String path = "/";
        private boolean secure;
        private boolean httpOnly = true;
        private SameSite sameSite = SameSite.LAX;
        private boolean partitioned;
        private boolean persistent = true;

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
        }

        /**
         * Sets the {@code Domain} attribute.
         *
         * @param domain a domain, or {@code ""} for a host-only cookie
         * @return this builder
         */
        public Builder domain(String domain) {
            this.domain = Objects.requireNonNull(domain, "domain");
            return this;
        }

        /**
         * Sets the {@code Path} attribute. Default {@code /}.
         *
         * @param path a path starting with {@code /}
         * @return this builder
         */
        public Builder path(String path) {
            this.path = Objects.requireNonNull(path, "path");
            return this;
        }

        /**
         * Sets whether {@code Secure} is written. Default off.
         *
         * @param secure whether the cookie is sent over HTTPS only
         * @return this builder
         */
        public Builder secure(boolean secure) {
            this.secure = secure;
            return this;
        }

        /**
         * Sets whether {@code HttpOnly} is written. Default on.
         *
         * @param httpOnly whether scripts are denied the cookie
         * @return this builder
         */
        public Builder httpOnly(boolean httpOnly) {
            this.httpOnly = httpOnly;
            return this;
        }

        /**
         * Sets the {@code SameSite} attribute. Default {@link SameSite#LAX}.
         *
         * @param sameSite the attribute
         * @return this builder
         */
        public Builder sameSite(SameSite sameSite) {
            this.sameSite = Objects.requireNonNull(sameSite, "sameSite");
            return this;
        }

        /**
         * Sets whether {@code Partitioned} is written. Default off; needs {@code Secure}.
         *
         * @param partitioned whether the cookie is partitioned (CHIPS)
         * @return this builder
         */
        public Builder partitioned(boolean partitioned) {
            this.partitioned = partitioned;
            return this;
        }

        /**
         * Chooses a persistent cookie ({@code Max-Age} and {@code Expires} from the session's idle
         * timeout) or a browser-session cookie (neither). Default persistent.
         *
         * @param persistent {@code false} for a browser-session cookie
         * @return this builder
         */
        public Builder persistent(boolean persistent) {
            this.persistent = persistent;
            return this;
        }

        /**
         * Checks and returns the settings.
         *
         * @return the settings
         * @throws SessionConfigException naming the setting at fault
         */
        public CookieSettings build() {
            return new CookieSettings(name, domain, path, secure, httpOnly, sameSite, partitioned, persistent);
        }
    }

    static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAttributeValue(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e || c == ';') {
                return false;
            }
        }
        return true;
    }

    private static boolean isDomain(String s) {
        if (s.length() > 253) {
            return false;
        }
        for (String label : s.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")) {
                return false;
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-')) {
                    return false;
                }
            }
        }
        return true;
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && i < 64; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
