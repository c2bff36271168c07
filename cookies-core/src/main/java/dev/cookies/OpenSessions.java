package dev.cookies;

import dev.cookies.spi.CookieJar;
import java.util.List;

/**
 * The sessions of one request, opened by an adapter through {@link Sessions#open}. Each session is
 * also a request attribute under its name, and this object under {@link #ATTRIBUTE}.
 *
 * <p>The adapter calls {@link #commit(CookieJar)} once, just before the response commits: unlocked
 * changes are saved and the {@code Set-Cookie} headers are added.
 *
 * @since 0.1
 */
public interface OpenSessions {

    /** The request-attribute key this object is kept under. */
    String ATTRIBUTE = "dev.cookies.OpenSessions";

    /**
     * Returns a session by name.
     *
     * @param name the session manager's name
     * @return the session
     * @throws IllegalArgumentException if no manager has that name
     */
    Session session(String name);

    /**
     * Returns every session, in the order of the managers.
     *
     * @return the sessions
     */
    List<Session> all();

    /**
     * Saves what the request changed and adds the {@code Set-Cookie} headers it needs: a cookie for a
     * new session that holds data, a rotated id, a changed client-side session, an expiry refresh that
     * is due, or an expired cookie for a deleted session. A read-only request on a known session adds
     * nothing. Calling it again does nothing.
     *
     * @param jar where the headers go
     * @throws StoreUnavailableException if a store failed (adapters answer 503)
     * @throws SessionLockTimeoutException if a lock could not be had (adapters answer 503)
     * @throws SessionTooLargeException if a client-side session does not fit in a cookie; its previous
     *     cookie is left as it was
     * @throws IllegalStateException if the response was already committed and a cookie had to be sent
     */
    void commit(CookieJar jar);

    /**
     * Returns whether {@link #commit(CookieJar)} was called.
     *
     * @return {@code true} after the first commit
     */
    boolean isCommitted();
}
