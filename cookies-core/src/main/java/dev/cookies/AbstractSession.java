package dev.cookies;

import com.fasterxml.jackson.core.type.TypeReference;
import java.lang.reflect.Type;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What server-side and client-side sessions share: the unlocked view (the loaded copy with the
 * request's delta on top), the lock policy, and locked blocks. Subclasses say how a session loads,
 * how its lock is taken and released, and what commit sends.
 */
abstract sealed class AbstractSession implements Session permits ServerSession, ClientSession {

    final SessionManager manager;
    /** Guards this object's state; a request may use its session from several threads. */
    final ReentrantLock mutex = new ReentrantLock();
    /** Whether the client sent this session's cookie or id header at all. */
    final boolean cookiePresent;
    /** The path the id came by, and so the one the response answers on. */
    final Via via;

    boolean loaded;
    Map<String, Object> base = new LinkedHashMap<>();
    Meta meta;
    final Delta delta = new Delta();
    Locked openLock;
    boolean committed;
    /** The session's own idle timeout, set during this request and applied when it is saved. */
    java.time.Duration pendingTtl;
    /** Whether the next save carries a new idle timeout, so its cookie must be sent again. */
    boolean ttlChanged;
    /** Whether an existing session was found for this request. */
    boolean existed;
    /** Whether the response must expire the client's cookie. */
    boolean expireCookie;
    private boolean warned;

    AbstractSession(SessionManager manager, boolean cookiePresent, Via via) {
        this.manager = manager;
        this.cookiePresent = cookiePresent;
        this.via = via;
    }

    /** Loads the session once; afterwards {@link #base} and {@link #meta} describe it. */
    abstract void ensureLoaded();

    /**
     * Opens a block to be saved by compare-and-set rather than under the store's lock, if this session
     * can be: a server-side session the request already read, on a {@link dev.cookies.spi.ConditionalStore}.
     * Called with the mutex held.
     *
     * @return the working copy, or {@code null} to take the lock instead
     */
    Map<String, Object> acquireOptimistic() {
        return null;
    }

    /**
     * Saves a block opened by {@link #acquireOptimistic()} if the stored session is unchanged since it
     * was read. Called with the mutex held.
     *
     * @return {@code false} if it changed meanwhile: nothing was saved, and the block must run again
     *     under the lock
     */
    boolean saveOptimistic(Map<String, Object> working) {
        throw new IllegalStateException("no optimistic block is open");
    }

    /**
     * What a logout needs to tell of the session it ended, read under the same lock that ends it, so a
     * logout costs no read of its own.
     *
     * @param id the ended session's id, or {@code null} if it had none
     * @param principal its principal, or {@code null}
     * @param loggedIn whether it held a user
     */
    record Ended(String id, String principal, boolean loggedIn) {
    }

    /**
     * Invalidates the session, as {@link #invalidate()}, and returns what it held.
     *
     * @return who the ended session belonged to
     */
    abstract Ended end();

    @Override
    public final void invalidate() {
        end();
    }

    /** Takes the lock and returns a fresh working copy with the delta applied (and reset). */
    abstract Map<String, Object> acquire();

    /** Saves (or deletes, if empty) the working copy, then releases the lock, even on failure. */
    abstract void saveLocked(Map<String, Object> working);

    /** Releases the lock without saving. */
    abstract void abandon();

    /** Applies what is pending and hands over the response headers ({@code Set-Cookie}, the id header) to send. */
    abstract void commitLocked(BiConsumer<String, String> headers);

    /** The path a session's id came by: its cookie, its header, or (nothing came, either is accepted) both. */
    enum Via {
        COOKIE(true, false), HEADER(false, true), BOTH(true, true);

        final boolean cookie;
        final boolean header;

        Via(boolean cookie, boolean header) {
            this.cookie = cookie;
            this.header = header;
        }
    }

    /** Whether unlocked writes fall under the lock policy. */
    abstract boolean policed();

    /**
     * Moves the session to a new id (server-side) or re-seals it (client-side) in one locked step,
     * optionally changing its data, its own timeout and cookie kind, and restarting its lifetime.
     */
    abstract void rotate(Consumer<Map<String, Object>> change, java.util.function.UnaryOperator<Meta> metaChange,
            boolean restart);

    /** The logged-in user's principal name, loading the session if needed. */
    final String principal() {
        mutex.lock();
        try {
            ensureLoaded();
            return meta == null ? null : meta.principal();
        } finally {
            mutex.unlock();
        }
    }

    /** The session's id, or {@code null} if it has none (new, or client-side). */
    String currentId() {
        return null;
    }

    @Override
    public final boolean isNew() {
        mutex.lock();
        try {
            ensureLoaded();
            return !existed;
        } finally {
            mutex.unlock();
        }
    }

    @Override
    public final java.time.Instant createdAt() {
        mutex.lock();
        try {
            ensureLoaded();
            return meta == null ? manager.now() : java.time.Instant.ofEpochSecond(meta.created());
        } finally {
            mutex.unlock();
        }
    }

    @Override
    public final java.time.Instant lastUsedAt() {
        mutex.lock();
        try {
            ensureLoaded();
            return meta == null ? manager.now() : java.time.Instant.ofEpochSecond(meta.refreshed());
        } finally {
            mutex.unlock();
        }
    }

    @Override
    public final java.time.Duration idleTimeout() {
        mutex.lock();
        try {
            ensureLoaded();
            if (pendingTtl != null) {
                return pendingTtl;
            }
            return meta == null ? manager.idleTimeout() : manager.ttl(meta);
        } finally {
            mutex.unlock();
        }
    }

    @Override
    public final void idleTimeout(java.time.Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.compareTo(java.time.Duration.ofSeconds(1)) < 0 || timeout.compareTo(CookieSettings.MAX_LIFETIME) > 0) {
            throw new IllegalArgumentException("a session's idle timeout must be between 1 second and "
                    + CookieSettings.MAX_LIFETIME.toDays() + " days, was " + timeout);
        }
        mutex.lock();
        try {
            requireOpen();
            pendingTtl = timeout;
            delta.markMetaChanged();
        } finally {
            mutex.unlock();
        }
    }

    /** Applies the idle timeout set during this request to {@link #meta}; called where a save takes its copy. */
    final void applyPendingMeta() {
        if (pendingTtl != null && meta != null) {
            meta = meta.withOverrides(pendingTtl, null, null);
            pendingTtl = null;
            ttlChanged = true;
        }
    }

    @Override
    public final void rotateId() {
        rotate(null, m -> m, false);
    }

    /** Refuses an operation that must not run inside this request's own lock block, or after commit. */
    void requireUnlocked(String instead) {
        requireOpen();
        if (openLock != null) {
            throw new IllegalStateException("session '" + name() + "' is locked by this request; " + instead);
        }
    }

    @Override
    public final String name() {
        return manager.name();
    }

    // ---- the unlocked view

    @Override
    public final Optional<Object> get(String key) {
        Objects.requireNonNull(key, "key");
        mutex.lock();
        try {
            return Optional.ofNullable(lookup(key));
        } finally {
            mutex.unlock();
        }
    }

    @Override
    public final <T> Optional<T> get(String key, Class<T> type) {
        Objects.requireNonNull(type, "type");
        return convert(key, get(key), type);
    }

    @Override
    public final <T> Optional<T> get(String key, TypeReference<T> type) {
        Objects.requireNonNull(type, "type");
        return convert(key, get(key), type.getType());
    }

    @Override
    public final void put(String key, Object value) {
        checkKey(key);
        Objects.requireNonNull(value, "value (use remove(key) to remove a key)");
        Object plain = manager.toPlain(key, value);
        mutex.lock();
        try {
            if (openLock != null) {
                openLock.working.put(key, plain);
                return;
            }
            unlockedWrite();
            delta.put(key, plain);
        } finally {
            mutex.unlock();
        }
    }

    @Override
    public final void remove(String key) {
        Objects.requireNonNull(key, "key");
        mutex.lock();
        try {
            if (openLock != null) {
                openLock.working.remove(key);
                return;
            }
            unlockedWrite();
            delta.remove(key);
        } finally {
            mutex.unlock();
        }
    }

    @Override
    public final void clear() {
        mutex.lock();
        try {
            if (openLock != null) {
                openLock.working.clear();
                return;
            }
            unlockedWrite();
            delta.clear();
        } finally {
            mutex.unlock();
        }
    }

    @Override
    public final Set<String> keys() {
        return asMap().keySet();
    }

    @Override
    public final boolean isEmpty() {
        return asMap().isEmpty();
    }

    @Override
    public final Map<String, Object> asMap() {
        mutex.lock();
        try {
            if (openLock != null) {
                return Collections.unmodifiableMap(new LinkedHashMap<>(openLock.working));
            }
            Map<String, Object> view = new LinkedHashMap<>();
            if (!delta.cleared()) {
                ensureLoaded();
                view.putAll(base);
            }
            delta.applyTo(view);
            return Collections.unmodifiableMap(view);
        } finally {
            mutex.unlock();
        }
    }

    private Object lookup(String key) {
        if (openLock != null) {
            return openLock.working.get(key);
        }
        Object change = delta.change(key);
        if (change == Delta.REMOVED) {
            return null;
        }
        if (change != null) {
            return change;
        }
        if (delta.cleared()) {
            return null;
        }
        ensureLoaded();
        return base.get(key);
    }

    private <T> Optional<T> convert(String key, Optional<Object> value, Type type) {
        return value.map(v -> manager.fromPlain(key, v, type));
    }

    private void unlockedWrite() {
        requireOpen();
        if (!policed()) {
            return;
        }
        LockPolicy policy = manager.config().lockPolicy();
        if (policy == LockPolicy.STRICT) {
            throw new IllegalStateException("unlocked write to session '" + name()
                    + "' refused (LockPolicy.STRICT): write inside session.lock() or session.update()");
        }
        if (policy == LockPolicy.WARN && !warned) {
            warned = true;
            manager.unlockedWriteLog.warn("Unlocked write to session '" + name() + "': it is applied at commit, but a "
                    + "read-compute-write can still race; use session.lock() or session.update() "
                    + "(set LockPolicy.OFF to silence)");
        }
    }

    static void checkKey(String key) {
        Objects.requireNonNull(key, "key");
        if (key.equals(SessionData.RESERVED_KEY)) {
            throw new IllegalArgumentException("the key '" + SessionData.RESERVED_KEY + "' is reserved");
        }
    }

    void requireOpen() {
        if (committed) {
            throw new IllegalStateException("session '" + name() + "' was already committed for this request");
        }
    }

    // ---- locked blocks

    /** Opens an optimistic block, or returns {@code null} if this session must take the lock. */
    private Locked lockOptimistic() {
        mutex.lock();
        try {
            requireOpen();
            if (openLock != null) {
                throw new IllegalStateException("session '" + name() + "' is already locked by this request");
            }
            Map<String, Object> working = acquireOptimistic();
            if (working == null) {
                return null;
            }
            Locked locked = new Locked(working);
            locked.optimistic = true;
            openLock = locked;
            return locked;
        } finally {
            mutex.unlock();
        }
    }

    @Override
    public final LockedSession lock() {
        mutex.lock();
        try {
            requireOpen();
            if (openLock != null) {
                throw new IllegalStateException("session '" + name() + "' is already locked by this request");
            }
            openLock = new Locked(acquire());
            return openLock;
        } finally {
            mutex.unlock();
        }
    }

    @Override
    public final void update(Consumer<? super SessionData> change) {
        Objects.requireNonNull(change, "change");
        compute(data -> {
            change.accept(data);
            return null;
        });
    }

    @Override
    public final <R> R compute(Function<? super SessionData, ? extends R> change) {
        Objects.requireNonNull(change, "change");
        Locked optimistic = lockOptimistic();
        if (optimistic != null) {
            R result;
            try {
                result = change.apply(optimistic);
            } catch (RuntimeException | Error e) {
                optimistic.discard();
                try {
                    optimistic.close();
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
            if (optimistic.closeOptimistic()) {
                return result;
            }
            // Changed by another request since this one read it: run the change again under the lock.
        }
        LockedSession locked = lock();
        R result;
        try {
            result = change.apply(locked);
        } catch (RuntimeException | Error e) {
            locked.discard();
            try {
                locked.close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        locked.close();
        return result;
    }

    /**
     * Commits this session, once: saves what is pending and hands over the response headers to send.
     * Called by {@link OpenSessions}.
     */
    final void commit(BiConsumer<String, String> headers) {
        mutex.lock();
        try {
            if (committed) {
                return;
            }
            committed = true;
            if (openLock != null) {
                SessionManager.LOG.warn("session '{}' is committed while a lock block is open: the block "
                        + "saves when it closes, but a cookie it needs can no longer be sent", name());
                return;
            }
            commitLocked(headers);
        } finally {
            mutex.unlock();
        }
    }

    /** Whether this request read or wrote the session, so that the response depends on its cookie. */
    final boolean touched() {
        mutex.lock();
        try {
            return loaded || !delta.isEmpty();
        } finally {
            mutex.unlock();
        }
    }

    /** A held lock: a working copy that close() saves. */
    final class Locked implements LockedSession {
        final Map<String, Object> working;
        private boolean discarded;
        private boolean closed;
        /** Opened by {@link #lockOptimistic()}: saved by compare-and-set, not under a store lock. */
        private boolean optimistic;

        Locked(Map<String, Object> working) {
            this.working = working;
        }

        @Override
        public Optional<Object> get(String key) {
            Objects.requireNonNull(key, "key");
            mutex.lock();
            try {
                return Optional.ofNullable(working.get(key));
            } finally {
                mutex.unlock();
            }
        }

        @Override
        public <T> Optional<T> get(String key, Class<T> type) {
            Objects.requireNonNull(type, "type");
            return convert(key, get(key), type);
        }

        @Override
        public <T> Optional<T> get(String key, TypeReference<T> type) {
            Objects.requireNonNull(type, "type");
            return convert(key, get(key), type.getType());
        }

        @Override
        public void put(String key, Object value) {
            checkKey(key);
            Objects.requireNonNull(value, "value (use remove(key) to remove a key)");
            Object plain = manager.toPlain(key, value);
            mutex.lock();
            try {
                requireHeld();
                working.put(key, plain);
            } finally {
                mutex.unlock();
            }
        }

        @Override
        public void remove(String key) {
            Objects.requireNonNull(key, "key");
            mutex.lock();
            try {
                requireHeld();
                working.remove(key);
            } finally {
                mutex.unlock();
            }
        }

        @Override
        public void clear() {
            mutex.lock();
            try {
                requireHeld();
                working.clear();
            } finally {
                mutex.unlock();
            }
        }

        @Override
        public Set<String> keys() {
            mutex.lock();
            try {
                return Collections.unmodifiableSet(new LinkedHashSet<>(working.keySet()));
            } finally {
                mutex.unlock();
            }
        }

        @Override
        public boolean isEmpty() {
            mutex.lock();
            try {
                return working.isEmpty();
            } finally {
                mutex.unlock();
            }
        }

        @Override
        public Map<String, Object> asMap() {
            mutex.lock();
            try {
                return Collections.unmodifiableMap(new LinkedHashMap<>(working));
            } finally {
                mutex.unlock();
            }
        }

        @Override
        public void discard() {
            mutex.lock();
            try {
                discarded = true;
            } finally {
                mutex.unlock();
            }
        }

        @Override
        public void close() {
            mutex.lock();
            try {
                if (closed) {
                    return;
                }
                closed = true;
                openLock = null;
                if (discarded) {
                    abandon();
                } else if (optimistic) {
                    throw new IllegalStateException("an optimistic block closes with closeOptimistic()");
                } else {
                    saveLocked(working);
                }
            } finally {
                mutex.unlock();
            }
        }

        /**
         * Closes an optimistic block: saves it if the stored session did not change since it was read.
         *
         * @return {@code false} if it changed: nothing was saved
         */
        boolean closeOptimistic() {
            mutex.lock();
            try {
                closed = true;
                openLock = null;
                return saveOptimistic(working);
            } finally {
                mutex.unlock();
            }
        }

        private void requireHeld() {
            if (closed) {
                throw new IllegalStateException("the lock on session '" + name() + "' was already closed");
            }
        }
    }
}
