package dev.cookies;

/**
 * A session held under its lock: the freshest copy from the master store, which no other request
 * (in this process, or, with a store that locks across instances, in any other) can change until
 * {@link #close()}.
 *
 * <pre>{@code
 * try (LockedSession s = session.lock()) {
 *     int count = s.get("count", Integer.class).orElse(0);
 *     s.put("count", count + 1);
 * }
 * }</pre>
 *
 * <p>Not for sharing between threads: close it on the thread that opened it.
 *
 * @since 0.1
 */
public sealed interface LockedSession extends SessionData, AutoCloseable permits AbstractSession.Locked {

    /**
     * Drops the changes made under this lock; {@link #close()} then only releases the lock.
     */
    void discard();

    /**
     * Saves the session (to the master store and every mirror), or deletes it if it is empty, and
     * releases the lock. Closing twice does nothing.
     *
     * @throws StoreUnavailableException if the store failed; the lock is released all the same
     * @throws SessionTooLargeException if the session does not fit; nothing is saved
     */
    @Override
    void close();
}
