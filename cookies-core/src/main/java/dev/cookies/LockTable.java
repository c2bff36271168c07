package dev.cookies;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
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
        /**
         * Its holder and waiters. It starts at 1 (its maker) and only the last one out takes it to 0,
         * which retires the entry for good: it is removed, and nobody joins it again.
         */
        volatile int users = 1;
    }

    private static final AtomicIntegerFieldUpdater<Entry> USERS = AtomicIntegerFieldUpdater.newUpdater(Entry.class, "users");

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
        Entry entry = join(id);
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

    /**
     * Counts the caller in on the id's entry, making one if there is none. Without a lock: a lookup and
     * a compare-and-set when the id is in use, an insert when it is not. An entry found retired (its
     * last user is removing it) is removed here too, and the lookup starts again.
     */
    private Entry join(String id) {
        while (true) {
            Entry entry = entries.get(id);
            if (entry == null) {
                Entry made = new Entry();
                entry = entries.putIfAbsent(id, made);
                if (entry == null) {
                    return made;
                }
            }
            int users = entry.users;
            if (users > 0) {
                if (USERS.compareAndSet(entry, users, users + 1)) {
                    return entry;
                }
            } else {
                entries.remove(id, entry);
            }
        }
    }

    /** Counts the caller out; the last one out retires the entry and removes it. */
    private void leave(String id, Entry entry) {
        if (USERS.decrementAndGet(entry) == 0) {
            entries.remove(id, entry);
        }
    }

    /** The number of ids currently locked or waited for. */
    int size() {
        return entries.size();
    }
}
