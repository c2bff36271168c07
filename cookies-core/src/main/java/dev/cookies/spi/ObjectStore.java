package dev.cookies.spi;

import java.time.Duration;
import java.util.Optional;

/**
 * A server-side store in the application's own process that keeps each session as the core gives it:
 * an immutable value in the core's own compact form, kept and handed back as the same instance, rather
 * than JSON bytes copied in and out (the memory store). A request then pays neither a JSON parse for
 * what it reads, nor JSON for what it writes, nor the copies. The core uses these methods instead of
 * {@link #load} and {@link #save} when its master store is one.
 *
 * <p>The value is opaque to the store: it must keep it as given and hand back the same instance. The
 * core never changes a value after saving it, so requests stay isolated from each other exactly as
 * with copied bytes. An id saved with {@link #saveObject} is read only with {@link #loadObject} (and
 * deleted, touched and expired as any other); {@link #load} returns empty for it.
 *
 * <p>Such a store is in-process by definition, so the core's in-process lock is all its locked blocks
 * need: the core does not call {@link #lock} on it.
 *
 * @since 0.2
 */
public interface ObjectStore extends ServerSideStore {

    /**
     * Reads a session and slides its expiry to {@code ttl}, as {@link #load} does.
     *
     * @param id a well-formed session id
     * @param ttl the idle timeout to extend the entry's expiry to
     * @return the value given to {@link #saveObject}, or the bytes given to {@link #save}; empty if
     *     the id is unknown or expired
     */
    Optional<Object> loadObject(String id, Duration ttl);

    /**
     * Writes a session, replacing what was there, to expire after {@code ttl}.
     *
     * @param id a well-formed session id
     * @param value the core's immutable value of the session
     * @param weight the session's size in bytes, as the core reckons its encoding, for the store's
     *     byte bound
     * @param ttl the time after which the entry expires unless saved or loaded again
     */
    void saveObject(String id, Object value, long weight, Duration ttl);
}
