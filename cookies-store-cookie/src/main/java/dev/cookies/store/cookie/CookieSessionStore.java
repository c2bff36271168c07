package dev.cookies.store.cookie;

import dev.cookies.SessionConfigException;
import dev.cookies.spi.ClientSideStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A client-side session store: the session's JSON is sealed into the cookie as a Fernet token
 * (AES-128-CBC and HMAC-SHA256), the format of the Python original (sanic_cookies), so that a cookie
 * written by a Python application with the same key opens here and one written here opens there.
 *
 * <pre>{@code
 * SessionManager session = SessionManager.builder("session")
 *         .store(CookieSessionStore.builder().keys(System.getenv("COOKIES_KEYS").split(",")).build())
 *         .build();
 * // or, from configuration (system property cookies.keys or environment variable COOKIES_KEYS):
 * SessionManager session = SessionManager.builder("session").store("cookie:").build();
 * }</pre>
 *
 * <ul>
 *   <li><b>Keys.</b> Fernet keys: url-safe base64 of 32 bytes ({@link #generateKey()}, the
 *       {@link KeyGen} entry point, or Python's {@code Fernet.generate_key()}). With several keys, the
 *       first seals and every one opens, so a key can be rotated in without logging anyone out.</li>
 *   <li><b>Rotation.</b> A cookie opened with an older key is sealed with the first key the next time
 *       the session is written or its expiry refreshed, and, with {@link Builder#resealOnRead(boolean)},
 *       on the first response that reads it; a re-seal keeps the token's original timestamp, so it
 *       never extends the session.</li>
 *   <li><b>Time.</b> The token's timestamp is the seal time; the session manager counts the idle
 *       timeout from it and keeps the absolute lifetime inside the payload. A token more than 60
 *       seconds in the future does not open.</li>
 *   <li><b>Hostile input.</b> Garbage, a tampered or truncated token, a wrong key or version, or a
 *       value over 4096 characters opens to nothing, never to an exception.</li>
 * </ul>
 *
 * <p>The session manager refuses, with {@link dev.cookies.SessionTooLargeException}, to save a
 * session whose {@code Set-Cookie} header would exceed 4096 bytes. Thread-safe; one instance serves
 * every request.
 *
 * @since 0.1
 */
public final class CookieSessionStore implements ClientSideStore {

    private final List<Fernet> keys;
    private final boolean resealOnRead;
    private final Clock clock;

    private CookieSessionStore(Builder builder) {
        this.keys = List.copyOf(builder.keys);
        this.resealOnRead = builder.resealOnRead;
        this.clock = builder.clock;
    }

    /**
     * Starts a store.
     *
     * @return a builder; {@link Builder#keys(String...)} is required
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Makes a fresh Fernet key from {@link java.security.SecureRandom}.
     *
     * @return 44 characters of url-safe base64, usable here and by Python's {@code Fernet}
     */
    public static String generateKey() {
        return Fernet.generateKey();
    }

    /**
     * Opens a cookie value with each key in turn. Anything that does not open (see the class
     * description) is empty.
     *
     * @param cookieValue the value the client sent
     * @return the payload, the token's timestamp, and whether to re-seal: {@code true} only when a
     *     key other than the first opened it and {@link Builder#resealOnRead(boolean)} is on
     */
    @Override
    public Optional<Unsealed> open(String cookieValue) {
        Optional<byte[]> raw = Fernet.decodeToken(cookieValue);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        long timestamp = Fernet.timestamp(raw.get());
        if (Fernet.isTooFarAhead(timestamp, clock.instant().getEpochSecond())) {
            return Optional.empty();
        }
        for (int i = 0; i < keys.size(); i++) {
            Optional<byte[]> payload = keys.get(i).open(raw.get());
            if (payload.isPresent()) {
                // Not too far ahead of a sane clock, so the unsigned timestamp is a small positive long.
                return Optional.of(new Unsealed(payload.get(), Instant.ofEpochSecond(timestamp), i > 0 && resealOnRead));
            }
        }
        return Optional.empty();
    }

    /**
     * Seals a payload with the first key and a fresh random IV.
     *
     * @param payload the encoded session
     * @param issuedAt the token's timestamp, truncated to whole seconds
     * @return the token: url-safe base64 with padding, all RFC 6265 cookie-octets
     * @throws IllegalArgumentException if {@code issuedAt} is before 1970, which a Fernet timestamp
     *     cannot hold
     * @throws NullPointerException if an argument is null
     */
    @Override
    public String seal(byte[] payload, Instant issuedAt) {
        Objects.requireNonNull(payload, "payload");
        long seconds = Objects.requireNonNull(issuedAt, "issuedAt").getEpochSecond();
        if (seconds < 0) {
            throw new IllegalArgumentException("a Fernet timestamp cannot be before 1970, was " + issuedAt);
        }
        return keys.get(0).encrypt(payload, seconds);
    }

    /**
     * Describes the store without its keys.
     *
     * @return for example {@code "cookie (Fernet, 2 keys, re-seal on read)"}
     */
    @Override
    public String description() {
        return "cookie (Fernet, " + keys.size() + (keys.size() == 1 ? " key" : " keys")
                + (resealOnRead ? ", re-seal on read)" : ")");
    }

    @Override
    public String toString() {
        return description();
    }

    /**
     * Parses keys, naming the setting and the key's position (never the key) when one is wrong.
     *
     * @param setting the setting the keys came from
     * @param keys the keys, first seals
     * @return the parsed keys
     * @throws SessionConfigException if there is none or one is malformed
     */
    static List<Fernet> parseKeys(String setting, List<String> keys) {
        Objects.requireNonNull(keys, setting);
        if (keys.isEmpty()) {
            throw SessionConfigException.of(setting, "at least one Fernet key is needed; " + KeyGen.HINT);
        }
        List<Fernet> parsed = new ArrayList<>(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            String key = keys.get(i);
            if (key == null || key.isBlank()) {
                throw SessionConfigException.of(setting, "key #" + (i + 1) + " of " + keys.size()
                        + " is empty; " + KeyGen.HINT);
            }
            try {
                parsed.add(Fernet.fromKey(key.strip()));
            } catch (IllegalArgumentException e) {
                throw SessionConfigException.of(setting, "key #" + (i + 1) + " of " + keys.size() + " "
                        + e.getMessage() + "; " + KeyGen.HINT);
            }
        }
        return parsed;
    }

    /**
     * Builds a {@link CookieSessionStore}. Each setter checks its value at once.
     *
     * @since 0.1
     */
    public static final class Builder {
        private List<Fernet> keys;
        private boolean resealOnRead;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /**
         * Sets the keys. Required. The first seals; every one opens, so an older key can stay listed
         * while cookies sealed with it are still in use. Surrounding whitespace is ignored.
         *
         * @param keys Fernet keys, url-safe base64 of 32 bytes, at least one
         * @return this builder
         * @throws SessionConfigException naming {@code keys} and the key's position, if none is given or
         *     one is malformed
         * @throws NullPointerException if {@code keys} is null
         */
        public Builder keys(String... keys) {
            Objects.requireNonNull(keys, "keys");
            return keys(java.util.Arrays.asList(keys));
        }

        /**
         * Sets the keys, as {@link #keys(String...)} does.
         *
         * @param keys Fernet keys, first seals, at least one
         * @return this builder
         * @throws SessionConfigException naming {@code keys} and the key's position, if none is given or
         *     one is malformed
         * @throws NullPointerException if {@code keys} is null
         */
        public Builder keys(List<String> keys) {
            return keys("keys", keys);
        }

        /** Sets the keys, naming {@code setting} in the error for a malformed one. */
        Builder keys(String setting, List<String> keys) {
            this.keys = parseKeys(setting, keys);
            return this;
        }

        /**
         * Sets whether a cookie opened with a key other than the first is sealed again with the first
         * on the response that read it, not only on its next write or expiry refresh. The re-seal keeps
         * the original timestamp. Default {@code false}: a read-only request sends no cookie.
         *
         * @param resealOnRead whether to re-seal on read
         * @return this builder
         */
        public Builder resealOnRead(boolean resealOnRead) {
            this.resealOnRead = resealOnRead;
            return this;
        }

        /**
         * Sets the clock the future-timestamp check uses. Default {@link Clock#systemUTC()}; give it the
         * session manager's clock.
         *
         * @param clock the clock
         * @return this builder
         * @throws NullPointerException if {@code clock} is null
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Creates the store.
         *
         * @return the store
         * @throws SessionConfigException naming {@code keys} if no key was set
         */
        public CookieSessionStore build() {
            if (keys == null) {
                throw SessionConfigException.of("keys", "no key set; call keys(...) with at least one Fernet key; "
                        + KeyGen.HINT);
            }
            return new CookieSessionStore(this);
        }
    }
}
