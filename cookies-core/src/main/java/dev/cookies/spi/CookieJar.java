package dev.cookies.spi;

/**
 * The outgoing side of a request: where the core puts the {@code Set-Cookie} headers it rendered.
 *
 * <p>The core renders the whole header value (RFC 6265bis), so every adapter writes byte-identical
 * cookies. It calls these methods from {@link dev.cookies.OpenSessions#commit}, which the adapter
 * calls once, just before the response commits.
 *
 * @since 0.1
 */
public interface CookieJar {

    /**
     * Adds one {@code Set-Cookie} header to the response, keeping any already there.
     *
     * @param headerValue the complete header value, for example {@code "SESSION=abc; Path=/; HttpOnly; SameSite=Lax"}
     */
    void addSetCookie(String headerValue);

    /**
     * Returns whether the response's headers were already sent, so that a header added now would be
     * lost. The core then fails with a clear error instead of losing a session silently.
     *
     * @return {@code true} if headers can no longer be added
     */
    boolean isCommitted();
}
