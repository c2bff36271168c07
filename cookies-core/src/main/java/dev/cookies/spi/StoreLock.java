package dev.cookies.spi;

import java.time.Duration;
import java.util.Optional;

/**
 * A store's lock on one session id, held between {@link ServerSideStore#lock} and one of
 * {@link #save}, {@link #delete} or {@link #close()}. A store can make the final write and the release
 * one round trip.
 *
 * @since 0.1
 */
public interface StoreLock extends AutoCloseable {

    /**
     * Returns the value read when the lock was taken.
     *
     * @return the stored bytes, or empty if the id was unknown
     */
    Optional<byte[]> data();

    /**
     * Writes the session and releases the lock. If it throws, the core still calls {@link #close()}.
     *
     * @param data the encoded session
     * @param ttl the time after which the entry expires
     */
    void save(byte[] data, Duration ttl);

    /** Deletes the session and releases the lock. If it throws, the core still calls {@link #close()}. */
    void delete();

    /** Releases the lock without writing. Does nothing if already released. */
    @Override
    void close();

    /**
     * Returns a lock for stores that lock nothing beyond the core's in-process lock: it reads with
     * {@link ServerSideStore#load}, writes with {@link ServerSideStore#save} and deletes with
     * {@link ServerSideStore#delete}.
     *
     * @param store the store
     * @param id the session id
     * @param ttl the idle timeout, passed to {@code load}
     * @return the lock, already holding the value read
     */
    static StoreLock inProcess(ServerSideStore store, String id, Duration ttl) {
        Optional<byte[]> value = store.load(id, ttl);
        return new StoreLock() {
            @Override
            public Optional<byte[]> data() {
                return value;
            }

            @Override
            public void save(byte[] data, Duration saveTtl) {
                store.save(id, data, saveTtl);
            }

            @Override
            public void delete() {
                store.delete(id);
            }

            @Override
            public void close() {
            }
        };
    }
}
