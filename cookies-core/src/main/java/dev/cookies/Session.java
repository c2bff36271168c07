package dev.cookies;

import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One named session, as seen by one request.
 *
 * <p>Loading is lazy: a request that never touches its session costs no store call, and the first
 * read costs one. Reads and writes made directly on a {@code Session} are <em>unlocked</em>: writes
 * are recorded as a delta and applied at commit onto a fresh copy under the lock, so they never wipe
 * keys written concurrently by others, but a read-compute-write sequence should take the lock:
 *
 * <pre>{@code
 * try (LockedSession s = session.lock()) {
 *     s.put("count", s.get("count", Integer.class).orElse(0) + 1);
 * }
 * // or, in one call:
 * session.update(s -> s.put("count", s.get("count", Integer.class).orElse(0) + 1));
 * }</pre>
 *
 * <p>How unlocked writes are reported is the manager's {@link LockPolicy}. Instances are safe to use
 * from several threads of one request.
 *
 * @since 0.1
 */
public sealed interface Session extends SessionData permits AbstractSession {

    /**
     * Returns the name of the session manager this session belongs to.
     *
     * @return the name, which is also its request-attribute key
     */
    String name();

    /**
     * Returns the session id, if the session has one: a session loaded from a server-side store, or
     * one saved during this request. A new session gets its id when it is first saved; a client-side
     * session (the cookie store) has none.
     *
     * @return the id, or empty
     * @throws StoreUnavailableException if the session had to be loaded and the store failed
     */
    Optional<String> id();

    /**
     * Gives the session an id now, if it has none, and returns it: for a new server-side session, the id
     * it will be saved under (it is saved, and its cookie sent, only if it holds data when the request
     * commits); for a client-side session, a random token kept in its sealed data, stable while it
     * lives and new after {@link #rotateId()}. For code that must name a session before it is saved
     * (the {@code HttpSession} view's {@code getId()}).
     *
     * @return the id
     * @throws StoreUnavailableException if the session had to be loaded and the store failed
     */
    String ensureId();

    /**
     * Returns when the session was created, or when its user last logged in (which restarts it); now, for
     * a new session.
     *
     * @return the time, to the second
     * @throws StoreUnavailableException if the session had to be loaded and the store failed
     */
    java.time.Instant createdAt();

    /**
     * Returns when the session was last saved or had its expiry refreshed, before this request: its last
     * use, to within a quarter of its idle timeout (reads do not write the session); now, for a new one.
     *
     * @return the time, to the second
     * @throws StoreUnavailableException if the session had to be loaded and the store failed
     */
    java.time.Instant lastUsedAt();

    /**
     * Returns the session's idle timeout: its own (set by {@link #idleTimeout(java.time.Duration)} or a
     * login's duration), else the manager's.
     *
     * @return the timeout
     * @throws StoreUnavailableException if the session had to be loaded and the store failed
     */
    java.time.Duration idleTimeout();

    /**
     * Gives this session its own idle timeout, from now on, as a login's duration does. It is saved with
     * the session when the request commits (a write, like a {@code put} without the lock).
     *
     * @param timeout between 1 second and 400 days
     * @throws IllegalArgumentException if out of range
     * @throws IllegalStateException if the session was already committed for this request
     */
    void idleTimeout(java.time.Duration timeout);

    /**
     * Returns whether no existing session was found for this request (loading it if needed).
     *
     * @return {@code true} for a new session
     * @throws StoreUnavailableException if the store failed
     */
    boolean isNew();

    /**
     * Takes the session's lock, re-reads the freshest copy from the master store and returns it.
     * Unlocked changes made earlier in this request are applied onto that copy.
     *
     * @return the locked session; close it to save and release
     * @throws SessionLockTimeoutException if the lock could not be had within the lock wait
     * @throws StoreUnavailableException if the store failed
     * @throws IllegalStateException if this session is already locked by this request
     */
    LockedSession lock();

    /**
     * Runs a change under the lock and saves it, as a locked block would. If {@code change} throws,
     * nothing is saved and the lock is released.
     *
     * <p>On a store that can compare-and-set (Redis, JDBC), a session this request has already read is
     * not locked first: the change runs on what was read and is saved only if nobody changed the session
     * meanwhile (nor holds its lock); otherwise it runs again, under the lock, on the fresh copy. The
     * outcome is the same as under the lock, at one store call less, but {@code change} may run twice:
     * keep side effects out of it, or use {@link #lock()}, which runs its block once.
     *
     * @param change what to do with the locked data
     * @throws SessionLockTimeoutException if the lock could not be had within the lock wait
     * @throws StoreUnavailableException if the store failed
     */
    void update(Consumer<? super SessionData> change);

    /**
     * Runs a computation under the lock, saves the session and returns the result. As with
     * {@link #update}, {@code change} may run twice on a store that can compare-and-set; the result
     * returned is that of the run that was saved.
     *
     * @param change what to do with the locked data
     * @param <R> the result type
     * @return what {@code change} returned
     * @throws SessionLockTimeoutException if the lock could not be had within the lock wait
     * @throws StoreUnavailableException if the store failed
     */
    <R> R compute(Function<? super SessionData, ? extends R> change);

    /**
     * Gives the session a new id now, keeping its data: the data is saved under the new id and the
     * old id is deleted from the master and every mirror, so the old cookie no longer loads
     * anything. The response carries the new id. Call it when privileges change (login).
     * Does nothing for a client-side session beyond re-sealing it.
     *
     * @throws SessionLockTimeoutException if the lock could not be had within the lock wait
     * @throws StoreUnavailableException if the store failed
     */
    void rotateId();

    /**
     * Deletes the session now from the master and every mirror; the response expires its cookie. The
     * session is empty afterwards, and a later write in this request starts a new one under a new id.
     *
     * @throws StoreUnavailableException if the store failed
     */
    void invalidate();
}
