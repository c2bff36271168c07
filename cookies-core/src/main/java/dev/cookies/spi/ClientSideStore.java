package dev.cookies.spi;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A store that keeps the session inside the cookie, sealed (encrypted and authenticated).
 *
 * <p>It has no id to lock across requests and cannot be combined with mirrors. The core decides when
 * to seal (a changed session, a due expiry refresh, a re-seal after key rotation) and checks the idle
 * timeout and absolute lifetime; the store only seals and opens.
 *
 * @since 0.1
 */
public interface ClientSideStore extends SessionStore {

    /**
     * Opens a cookie value. Anything invalid (garbage, tampered, wrong key, too far in the future,
     * undecryptable) is simply empty, never an exception.
     *
     * @param cookieValue the value the client sent
     * @return the payload and its seal time, or empty
     */
    Optional<Unsealed> open(String cookieValue);

    /**
     * Seals a payload into a cookie value.
     *
     * @param payload the encoded session
     * @param issuedAt the time to record as the seal time: now for a write, the original time for a
     *     re-seal that must not extend the session
     * @return a cookie value made of cookie-safe characters
     */
    String seal(byte[] payload, Instant issuedAt);

    /**
     * An opened cookie.
     *
     * @param payload the encoded session
     * @param issuedAt when it was sealed
     * @param reseal whether the core should seal it again on this response (for example because an
     *     older key opened it and the store re-seals on read)
     * @since 0.1
     */
    record Unsealed(byte[] payload, Instant issuedAt, boolean reseal) {
        /**
         * Checks the fields.
         *
         * @throws NullPointerException if {@code payload} or {@code issuedAt} is null
         */
        public Unsealed {
            Objects.requireNonNull(payload, "payload");
            Objects.requireNonNull(issuedAt, "issuedAt");
        }
    }
}
