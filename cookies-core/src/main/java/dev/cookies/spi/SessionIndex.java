package dev.cookies.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A server-side store's index of sessions by user: which sessions a principal has, so that the core
 * can list them, sign them all out, and cap how many a user may have. A {@link ServerSideStore} that
 * can keep one implements this too.
 *
 * <p>The core calls it only on a login, a logout, a rotation or deletion of a logged-in session, and
 * when the application asks for a user's sessions: never on a read or an ordinary write. Expired
 * sessions may stay in the index until {@link #sessions} next looks; it drops them then, lazily, with no
 * scan of the store. The principal is an opaque string (a user name, an email, an id); implementations
 * must accept any string, hashing it into keys where they need to.
 *
 * @since 0.2
 */
public interface SessionIndex {

    /**
     * Records that a session belongs to a principal. Called once per login, after the session was saved
     * under its new id.
     *
     * @param principal the user's principal name
     * @param id the session's id
     * @param created when the session was created or logged in
     * @param ttl how long the session lives from now unless used again: its idle timeout, or less when its
     *     absolute lifetime ends sooner
     */
    void index(String principal, String id, Instant created, Duration ttl);

    /**
     * Forgets a session of a principal. Called at logout, and when a logged-in session is rotated away or
     * deleted, after the session was deleted from the store (unless {@link #forgetsOnDelete()}).
     * Forgetting an unknown pair does nothing.
     *
     * @param principal the user's principal name
     * @param id the session's id
     */
    void unindex(String principal, String id);

    /**
     * Whether deleting a session from this store also forgets its entry here, as an index kept with the
     * session does (a column of its row, a field of its entry). The core deletes a session before it
     * unindexes it, every time; for such a store it then makes no {@link #unindex} call, which would find
     * nothing to forget. Default {@code false}: the core calls {@code unindex} after each delete.
     *
     * @return {@code true} if a session's delete forgets its index entry
     * @since 0.2
     */
    default boolean forgetsOnDelete() {
        return false;
    }

    /**
     * Lists a principal's live sessions, oldest first, forgetting those that no longer exist.
     *
     * @param principal the user's principal name
     * @return the live sessions; empty if none
     */
    List<Entry> sessions(String principal);

    /**
     * One indexed session.
     *
     * @param id the session's id
     * @param created when it was created or logged in
     * @param lastUsed when it was last read or written, as closely as the store can tell
     * @since 0.2
     */
    record Entry(String id, Instant created, Instant lastUsed) {
        /**
         * Checks the fields.
         *
         * @throws NullPointerException if a field is null
         */
        public Entry {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(created, "created");
            Objects.requireNonNull(lastUsed, "lastUsed");
        }
    }
}
