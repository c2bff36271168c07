package dev.cookies;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Something that happened to a session, as a {@link SessionListener} is told.
 *
 * @param kind what happened
 * @param sessionName the session manager's name
 * @param handle a short, non-secret name of the session's id (the id itself is never handed out):
 *     the same for the same id, useless to someone who wants the id
 * @param principal the logged-in user's principal name, when the session had one
 * @param at when it happened, by the manager's clock; for an expiry a store reports, when it reported it
 * @since 0.2
 */
public record SessionEvent(Kind kind, String sessionName, String handle, Optional<String> principal, Instant at) {

    /**
     * Checks the fields.
     *
     * @throws NullPointerException if a field is null
     */
    public SessionEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(sessionName, "sessionName");
        Objects.requireNonNull(handle, "handle");
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(at, "at");
    }

    /**
     * The kinds of event.
     *
     * @since 0.2
     */
    public enum Kind {
        /** A new session was saved (or sealed) for the first time. */
        CREATED,
        /** A session was deleted by the application: invalidated, emptied, or logged out. */
        INVALIDATED,
        /** A session ended by its idle timeout or absolute lifetime (where the store can tell; see docs). */
        EXPIRED,
        /** A user logged in; the handle is the session's new id's. */
        LOGGED_IN,
        /** A user logged out. */
        LOGGED_OUT,
        /** A session moved to a new id (a login, or {@link Session#rotateId()}); the handle is the new id's. */
        ID_CHANGED
    }
}
