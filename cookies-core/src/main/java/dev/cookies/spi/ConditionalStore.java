package dev.cookies.spi;

import java.time.Duration;

/**
 * A server-side store that can replace a session only if it is unchanged since the request read it:
 * a compare-and-set. With one, a request that reads its session and then updates it costs one more
 * call, not a lock's two: the core reads the session, runs the update on what it read, and sends the
 * result with {@link #replace}; only if that fails does it take the lock, read again and run the update
 * once more.
 *
 * <p>{@code replace} must keep the guarantee of {@link #lock}: it never writes over a change it did not
 * see. It therefore fails while anyone holds the session's lock (taken with {@link #lock}, by this
 * instance or another), and when the stored bytes are no longer exactly those given as expected. It
 * must be atomic with respect to {@link #lock}, {@link StoreLock#save} and every other
 * {@code replace} on the same id, across every instance that shares the store.
 *
 * <p>A store that offers it costs, per request that reads then updates its session: a read, and one
 * conditional write. The core uses it only for {@code update}, {@code compute} and the unlocked
 * writes it applies at commit, on a session the request already read; {@code lock()} blocks, new
 * sessions, id rotations and deletions still take the lock.
 *
 * @since 0.2
 */
public interface ConditionalStore extends ServerSideStore {

    /**
     * Writes {@code data} in place of the session's bytes, to expire after {@code ttl}, only if the
     * stored bytes are exactly {@code expected} and nobody holds the session's lock.
     *
     * @param id a well-formed session id
     * @param expected the bytes the request read, as {@link #load} returned them
     * @param data the new bytes
     * @param ttl the time after which the entry expires unless saved or loaded again
     * @return {@code true} if written; {@code false} if the session changed, was deleted or expired,
     *     or is locked, in which case nothing was written
     * @throws RuntimeException if the store failed; whether the write was applied is then unknown, as
     *     for {@link #save}. A store must throw, never answer {@code false}, when a write of its own may
     *     have been applied (a retry after a lost reply would find the new bytes and answer "changed",
     *     and the core would then apply the change a second time)
     */
    boolean replace(String id, byte[] expected, byte[] data, Duration ttl);
}
