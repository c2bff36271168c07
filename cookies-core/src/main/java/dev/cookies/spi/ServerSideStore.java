package dev.cookies.spi;

import java.time.Duration;
import java.util.Optional;

/**
 * A store that keeps session data under an id: in memory, in Redis, anywhere.
 *
 * <p>The core calls it only with ids that passed the id generator's format check, and only when a
 * request touches its session: {@link #load} once per request at most, and {@link #lock} for locked
 * blocks and for committing unlocked changes. Data is opaque bytes from the codec. Every method may
 * throw {@link dev.cookies.StoreUnavailableException} when the store cannot be reached; none may hang
 * beyond the store's own timeouts.
 *
 * @since 0.1
 */
public interface ServerSideStore extends SessionStore {

    /**
     * Reads a session and, where the store can do so in the same operation, extends its expiry to
     * {@code ttl} (sliding expiry). Called at most once per request, on the first read.
     *
     * @param id a well-formed session id
     * @param ttl the idle timeout to extend the entry's expiry to
     * @return the stored bytes, or empty if the id is unknown or expired
     */
    Optional<byte[]> load(String id, Duration ttl);

    /**
     * Writes a session, replacing what was there, to expire after {@code ttl}. The bytes are copied or
     * written out before this returns: the caller may reuse the array.
     *
     * @param id a well-formed session id
     * @param data the encoded session
     * @param ttl the time after which the entry expires unless saved or loaded again
     */
    void save(String id, byte[] data, Duration ttl);

    /**
     * Deletes a session. Deleting an unknown id does nothing.
     *
     * @param id a well-formed session id
     */
    void delete(String id);

    /**
     * Sets a session's expiry to {@code ttl} from now without reading or writing it. Called after a
     * {@link #load} only for a session whose own timeout differs from the one {@code load} was given
     * (a login with its own duration). Touching an unknown id does nothing.
     *
     * @param id a well-formed session id
     * @param ttl the new time to live
     */
    void touch(String id, Duration ttl);

    /**
     * Takes the store's lock on an id, waiting up to {@code wait}, and reads its current value in the
     * same step. The core already holds its in-process lock on the id; a store that can lock across
     * application instances (Redis) overrides this with a distributed lock. The default reads with
     * {@link #load} and locks nothing more.
     *
     * @param id a well-formed session id
     * @param ttl the session's idle timeout
     * @param wait how long to wait for the lock at most
     * @return the held lock, with the value read under it
     * @throws dev.cookies.SessionLockTimeoutException if the lock was not had within {@code wait}
     */
    default StoreLock lock(String id, Duration ttl, Duration wait) {
        return StoreLock.inProcess(this, id, ttl);
    }

    /**
     * Registers who to tell when the store itself removes a session because it expired (idle timeout),
     * so that the core can report {@code EXPIRED} events. Called once by each session manager that uses
     * the store, when the manager is built. The default does nothing: the store cannot tell.
     *
     * @param listener called with each expired session's id and, if the store still had them, its last
     *     bytes; on whatever thread the store notices the expiry
     */
    default void onExpiry(ExpiryListener listener) {
    }

    /**
     * Told of sessions a store removed because they expired.
     *
     * @since 0.2
     */
    @FunctionalInterface
    interface ExpiryListener {
        /**
         * A session expired.
         *
         * @param id the session's id
         * @param lastData its last stored bytes, if the store still had them when it noticed
         */
        void expired(String id, Optional<byte[]> lastData);

        /**
         * A session saved as a value ({@link ObjectStore#saveObject}) expired. The default reports it
         * without its data.
         *
         * @param id the session's id
         * @param lastValue its last value, as the core gave it
         */
        default void expiredObject(String id, Object lastValue) {
            expired(id, Optional.empty());
        }
    }
}
