package dev.cookies;

import dev.cookies.spi.ConditionalStore;
import dev.cookies.spi.ObjectStore;
import dev.cookies.spi.ServerSideStore;
import dev.cookies.spi.SessionObserver;
import dev.cookies.spi.StoreLock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/** A server-side store whose calls a {@link SessionObserver} times. Only made when an observer is set. */
final class ObservedStore implements ObjectStore, ConditionalStore {

    private final ServerSideStore store;
    private final SessionObserver observer;
    private final String sessionName;

    private ObservedStore(ServerSideStore store, SessionObserver observer, String sessionName) {
        this.store = store;
        this.observer = observer;
        this.sessionName = sessionName;
    }

    /** The store itself when nobody observes it, else a timing wrapper. */
    static ServerSideStore of(ServerSideStore store, SessionManager manager) {
        SessionObserver observer = manager.observer();
        return observer == SessionManager.NO_OBSERVER ? store : new ObservedStore(store, observer, manager.name());
    }

    private <T> T timed(String operation, Supplier<T> call) {
        long start = System.nanoTime();
        boolean failed = true;
        try {
            T result = call.get();
            failed = false;
            return result;
        } finally {
            report(operation, start, failed);
        }
    }

    private void timed(String operation, Runnable call) {
        timed(operation, () -> {
            call.run();
            return null;
        });
    }

    private void report(String operation, long start, boolean failed) {
        try {
            observer.storeCall(sessionName, store.description(), operation, Duration.ofNanos(System.nanoTime() - start), failed);
        } catch (RuntimeException e) {
            SessionManager.LOG.warn("session '{}': a SessionObserver failed; ignored", sessionName, e);
        }
    }

    @Override
    public Optional<byte[]> load(String id, Duration ttl) {
        return timed("load", () -> store.load(id, ttl));
    }

    @Override
    public void save(String id, byte[] data, Duration ttl) {
        timed("save", () -> store.save(id, data, ttl));
    }

    @Override
    public void delete(String id) {
        timed("delete", () -> store.delete(id));
    }

    @Override
    public void touch(String id, Duration ttl) {
        timed("touch", () -> store.touch(id, ttl));
    }

    @Override
    public StoreLock lock(String id, Duration ttl, Duration wait) {
        StoreLock lock = timed("lock", () -> store.lock(id, ttl, wait));
        return new StoreLock() {
            @Override
            public Optional<byte[]> data() {
                return lock.data();
            }

            @Override
            public void save(byte[] data, Duration saveTtl) {
                timed("locked-save", () -> lock.save(data, saveTtl));
            }

            @Override
            public void delete() {
                timed("locked-delete", lock::delete);
            }

            @Override
            public void close() {
                timed("release", lock::close);
            }
        };
    }

    @Override
    public Optional<Object> loadObject(String id, Duration ttl) {
        return timed("load", () -> ((ObjectStore) store).loadObject(id, ttl));
    }

    @Override
    public void saveObject(String id, Object value, long weight, Duration ttl) {
        timed("save", () -> ((ObjectStore) store).saveObject(id, value, weight, ttl));
    }

    @Override
    public boolean replace(String id, byte[] expected, byte[] data, Duration ttl) {
        return timed("replace", () -> ((ConditionalStore) store).replace(id, expected, data, ttl));
    }

    @Override
    public void onExpiry(ExpiryListener listener) {
        store.onExpiry(listener);
    }

    @Override
    public String description() {
        return store.description();
    }
}
