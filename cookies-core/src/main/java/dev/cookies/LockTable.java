package dev.cookies;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Per-id locks in the process. Entries are reference-counted and removed when nobody holds or waits
 * for them, so the table is only as large as the number of ids in use at once, never the number of
 * ids ever seen. {@link ReentrantLock} rather than {@code synchronized}, so virtual threads do not pin.
 *
 * <p>One table serves the whole process ({@link #SHARED}), so that two managers over one store still
 * exclude each other; ids are unguessable and unique, so unrelated sessions do not collide.
 */
final class LockTable {

    static final LockTable SHARED = new LockTable();

    private static final class Entry {
        final ReentrantLock lock = new ReentrantLock();
        int users; // guarded by the map's per-key compute
    }

    /** A held lock; release it exactly once, on the thread that acquired it. */
    final class Held {
        private final String id;
        private final Entry entry;
        private boolean released;

        private Held(String id, Entry entry) {
            this.id = id;
            this.entry = entry;
        }

        void release() {
            if (released) {
                return;
            }
            released = true;
            entry.lock.unlock();
            leave(id, entry);
        }
    }

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    LockTable() {
    }

    Held acquire(String sessionName, String id, Duration wait) {
        Entry entry = entries.compute(id, (k, e) -> {
            Entry result = e == null ? new Entry() : e;
            result.users++;
            return result;
        });
        if (entry.lock.isHeldByCurrentThread()) {
            leave(id, entry);
            throw new IllegalStateException("session '" + sessionName
                    + "' is already locked by this thread (nested lock on the same session id)");
        }
        boolean acquired = false;
        try {
            acquired = entry.lock.tryLock(wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (!acquired) {
                leave(id, entry);
            }
        }
        if (!acquired) {
            throw SessionLockTimeoutException.of(sessionName, wait);
        }
        return new Held(id, entry);
    }

    private void leave(String id, Entry entry) {
        entries.computeIfPresent(id, (k, e) -> {
            if (e != entry) {
                return e;
            }
            return --e.users == 0 ? null : e;
        });
    }

    /** The number of ids currently locked or waited for. */
    int size() {
        return entries.size();
    }
}
