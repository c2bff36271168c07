package dev.cookies;

import dev.cookies.spi.ServerSideStore;
import dev.cookies.spi.StoreLock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** A session whose cookie holds an id and whose data lives in a server-side store. */
final class ServerSession extends AbstractSession {

    /** Well-formed ids the client sent, at most a few; garbage never gets here. */
    private final List<String> candidates;
    /** The current id: the one loaded, or one assigned for a new session. */
    private String id;
    /** Whether the master holds {@link #id}. */
    private boolean known;
    private boolean sendCookie;
    /**
     * The stored form of {@link #base} (bytes, or an object store's value), to skip decoding again when
     * the locked re-read finds it unchanged.
     */
    private Object baseRaw;

    private LockTable.Held held;
    private StoreLock storeLock;

    /** Whether this request gave the session a new id (a new session, a rotation), which a header must carry. */
    private boolean idIssued;
    /** The id {@link #ensureId()} gave a session that is not saved yet; it is saved under it. */
    private String reserved;

    ServerSession(SessionManager manager, List<String> candidates, boolean cookiePresent, Via via) {
        super(manager, cookiePresent, via);
        this.candidates = candidates;
    }

    private ServerSideStore store() {
        return manager.serverStore();
    }

    @Override
    boolean policed() {
        return true;
    }

    @Override
    void ensureLoaded() {
        if (loaded) {
            return;
        }
        Instant now = manager.now();
        for (String candidate : candidates) {
            Optional<Object> raw = manager.loadRaw(candidate, manager.idleTimeout());
            if (raw.isEmpty()) {
                continue;
            }
            SessionManager.Decoded decoded = manager.fromRaw(raw.get(), now);
            if (decoded == null) {
                continue;
            }
            if (manager.isExpired(decoded.meta(), now, false)) {
                store().delete(candidate);
                reindex(decoded.meta().principal(), candidate, null, null);
                manager.fire(SessionEvent.Kind.EXPIRED, candidate, decoded.meta().principal());
                continue;
            }
            adopt(candidate, decoded);
            baseRaw = raw.get();
            Duration ttl = manager.ttl(meta);
            if (!ttl.equals(manager.idleTimeout())) {
                // load() slid the expiry by the manager's timeout; this session has its own.
                store().touch(candidate, manager.remaining(meta, now));
            }
            break;
        }
        loaded = true;
    }

    private void observeWait(long start, boolean acquired) {
        if (manager.observer() != SessionManager.NO_OBSERVER) {
            try {
                manager.observer().lockWait(name(), Duration.ofNanos(System.nanoTime() - start), acquired);
            } catch (RuntimeException e) {
                SessionManager.LOG.warn("session '{}': a SessionObserver failed; ignored", name(), e);
            }
        }
    }

    /**
     * Moves a logged-in session in the per-user index: forgets the old pair, records the new one. A
     * failure of the index is logged, not thrown: the session itself was saved, and the index drops
     * dead entries when it is next read.
     */
    private void reindex(String oldPrincipal, String oldId, String newPrincipal, String newId) {
        manager.index().ifPresent(index -> {
            try {
                // Every caller deleted oldId first; a store whose delete forgot its entry needs no call.
                if (oldPrincipal != null && oldId != null && !index.forgetsOnDelete()) {
                    index.unindex(oldPrincipal, oldId);
                }
                if (newPrincipal != null && newId != null) {
                    index.index(newPrincipal, newId, Instant.ofEpochSecond(meta.created()), manager.remaining(meta, manager.now()));
                }
            } catch (RuntimeException e) {
                SessionManager.LOG.warn("session '{}': the per-user index could not be updated; it catches up when next "
                        + "read: {}", name(), e.toString());
            }
        });
    }

    @Override
    String currentId() {
        return known ? id : null;
    }

    /** Whether what was read under the lock is what this request already decoded (values are immutable). */
    private boolean unchanged(Object raw) {
        if (baseRaw == null || !known) {
            return false;
        }
        return raw == baseRaw || (raw instanceof byte[] && baseRaw instanceof byte[]
                && java.util.Arrays.equals((byte[]) raw, (byte[]) baseRaw));
    }

    private void adopt(String candidate, SessionManager.Decoded decoded) {
        id = candidate;
        known = true;
        if (!loaded) {
            existed = true;
        }
        base = decoded.data();
        meta = decoded.meta();
    }

    @Override
    Map<String, Object> acquire() {
        Duration wait = manager.config().lockWait();
        long deadline = System.nanoTime() + wait.toNanos();
        String target = null;
        if (known) {
            target = id;
        } else if (!loaded && candidates.size() == 1) {
            // Lock and read in one step rather than read, then lock and read again.
            target = candidates.get(0);
        } else if (!loaded) {
            ensureLoaded();
            target = known ? id : null;
        }
        Map<String, Object> fresh = null;
        if (target != null) {
            long waitStart = System.nanoTime();
            try {
                held = manager.lock(target, wait);
            } catch (SessionLockTimeoutException e) {
                observeWait(waitStart, false);
                throw e;
            }
            try {
                Optional<Object> stored;
                if (manager.objectStore().isPresent()) {
                    // An object store is in-process: the in-process lock is its lock.
                    observeWait(waitStart, true);
                    stored = manager.loadRaw(target, manager.idleTimeout());
                } else {
                    try {
                        storeLock = store().lock(target, manager.idleTimeout(),
                                Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
                    } catch (SessionLockTimeoutException e) {
                        observeWait(waitStart, false);
                        // The store does not know the session's name; the caller should see it.
                        throw SessionLockTimeoutException.of(name(), wait);
                    }
                    observeWait(waitStart, true);
                    stored = storeLock.data().map(b -> b);
                }
                Instant now = manager.now();
                SessionManager.Decoded decoded = stored.map(raw -> unchanged(raw)
                        ? new SessionManager.Decoded(base, meta) // never changed in place; copied below
                        : manager.fromRaw(raw, now)).orElse(null);
                baseRaw = stored.orElse(null);
                if (decoded != null && manager.isExpired(decoded.meta(), now, false)) {
                    if (storeLock != null) {
                        finishLock(StoreLock::delete);
                    } else {
                        store().delete(target);
                    }
                    reindex(decoded.meta().principal(), target, null, null);
                    manager.fire(SessionEvent.Kind.EXPIRED, target, decoded.meta().principal());
                    decoded = null;
                }
                if (decoded == null) {
                    releaseLocks();
                    known = false;
                    loaded = true;
                } else {
                    adopt(target, decoded);
                    loaded = true;
                    fresh = decoded.data();
                }
            } catch (RuntimeException e) {
                releaseLocks();
                throw e;
            }
        }
        if (fresh == null) {
            // A new session. Its id is fresh, so no other request or instance can know it yet:
            // the in-process lock is all it needs.
            id = reserved != null ? reserved : manager.config().idGenerator().newId();
            reserved = null;
            known = false;
            loaded = true;
            meta = Meta.fresh(manager.now());
            base = new LinkedHashMap<>();
            fresh = base;
            held = manager.lock(id, wait);
        }
        applyPendingMeta();
        Map<String, Object> working = new LinkedHashMap<>(fresh);
        delta.applyTo(working);
        delta.reset();
        return working;
    }

    /**
     * An update on a store that can compare-and-set: only the in-process lock is taken, and the store's
     * lock is left for a conflict (see {@link #saveOptimistic}). A session not read yet is read now,
     * under the in-process lock, so that concurrent requests of this instance never conflict: the read
     * and the conditional write cost two calls, as the store's lock and its final write would, and the
     * read is the store's plainest. Unlocked writes stay pending until the save succeeds, so a retry
     * under the lock applies them again.
     */
    @Override
    Map<String, Object> acquireOptimistic() {
        if (pendingTtl != null || manager.conditionalStore() == null) {
            return null;
        }
        Duration wait = manager.config().lockWait();
        if (!loaded && candidates.size() == 1) {
            held = manager.lock(candidates.get(0), wait);
            try {
                ensureLoaded();
            } catch (RuntimeException e) {
                releaseLocks();
                throw e;
            }
            if (!known || !(baseRaw instanceof byte[])) {
                releaseLocks();
                return null;
            }
        } else {
            if (!loaded) {
                ensureLoaded();
            }
            if (!known || !(baseRaw instanceof byte[])) {
                return null;
            }
            held = manager.lock(id, wait);
        }
        Map<String, Object> working = new LinkedHashMap<>(base);
        delta.applyTo(working);
        return working;
    }

    @Override
    boolean saveOptimistic(Map<String, Object> working) {
        try {
            if (working.isEmpty()) {
                // Deleting is done under the lock, as every deletion is.
                return false;
            }
            Instant now = manager.now();
            boolean refresh = ttlChanged || manager.refreshDue(meta, now);
            Meta toSave = refresh ? meta.refreshedAt(now) : meta;
            byte[] encoded = manager.encode(working, toSave);
            Duration ttl = manager.remaining(toSave, now);
            if (!manager.conditionalStore().replace(id, (byte[]) baseRaw, encoded, ttl)) {
                return false;
            }
            delta.reset();
            ttlChanged = false;
            meta = toSave;
            base = working;
            baseRaw = encoded;
            expireCookie = false;
            if (refresh && manager.persistent(toSave)) {
                sendCookie = true;
            }
            if (!manager.config().mirrors().isEmpty()) {
                manager.saveToMirrors(id, encoded, ttl);
            }
            return true;
        } finally {
            releaseLocks();
        }
    }

    @Override
    void saveLocked(Map<String, Object> working) {
        try {
            if (working.isEmpty()) {
                if (known) {
                    if (storeLock != null) {
                        finishLock(StoreLock::delete);
                    } else {
                        store().delete(id);
                    }
                    known = false;
                    sendCookie = false;
                    expireCookie = true;
                    manager.deleteFromMirrors(id);
                    reindex(meta.principal(), id, null, null);
                    manager.fire(SessionEvent.Kind.INVALIDATED, id, meta.principal());
                }
                base = new LinkedHashMap<>();
                return;
            }
            Instant now = manager.now();
            boolean isNew = !known;
            boolean refresh = isNew || ttlChanged || manager.refreshDue(meta, now);
            ttlChanged = false;
            Meta toSave = refresh ? meta.refreshedAt(now) : meta;
            write(id, working, toSave, now);
            if (isNew || (refresh && manager.persistent(toSave))) {
                sendCookie = true;
            }
            idIssued |= isNew;
            if (isNew) {
                manager.fire(SessionEvent.Kind.CREATED, id, meta.principal());
            }
        } finally {
            releaseLocks();
        }
    }

    /** Writes the master (through the held store lock, if any) and then the mirrors. */
    private void write(String toId, Map<String, Object> working, Meta toSave, Instant now) {
        Duration ttl = manager.remaining(toSave, now);
        Optional<dev.cookies.spi.ObjectStore> objects = manager.objectStore();
        Object raw;
        byte[] bytes = null;
        if (objects.isPresent()) {
            // The core's compact form, kept as it is: no JSON, no copy; JSON only if a mirror needs it.
            byte[] compact = manager.encodeCompact(working, toSave);
            raw = compact;
            objects.get().saveObject(toId, compact, compact.length, ttl);
        } else {
            byte[] encoded = manager.encode(working, toSave);
            bytes = encoded;
            raw = encoded;
            if (storeLock != null && toId.equals(id)) {
                finishLock(lock -> lock.save(encoded, ttl));
            } else {
                store().save(toId, encoded, ttl);
            }
        }
        meta = toSave;
        base = working;
        baseRaw = raw;
        known = true;
        expireCookie = false;
        if (!manager.config().mirrors().isEmpty()) {
            manager.saveToMirrors(toId, bytes != null ? bytes : manager.encode(working, toSave), ttl);
        }
    }

    /**
     * Ends the held store lock with its final write (which releases it); if the write fails, the lock
     * is released all the same.
     */
    private void finishLock(java.util.function.Consumer<StoreLock> write) {
        StoreLock lock = storeLock;
        storeLock = null;
        try {
            write.accept(lock);
        } catch (RuntimeException e) {
            try {
                lock.close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    @Override
    void abandon() {
        // A discarded block drops the request's pending unlocked writes with it, optimistic or not.
        delta.reset();
        releaseLocks();
    }

    private void releaseLocks() {
        try {
            if (storeLock != null) {
                StoreLock lock = storeLock;
                storeLock = null;
                lock.close();
            }
        } finally {
            if (held != null) {
                LockTable.Held h = held;
                held = null;
                h.release();
            }
        }
    }

    @Override
    void commitLocked(java.util.function.BiConsumer<String, String> headers) {
        Instant now = manager.now();
        // A header carries no expiry to refresh; the store slides its own on every read.
        boolean refresh = loaded && known && manager.refreshDue(meta, now)
                && ((via.cookie && manager.persistent(meta)) || !manager.config().mirrors().isEmpty());
        if (!delta.isEmpty() || refresh) {
            Map<String, Object> optimistic = acquireOptimistic();
            if (optimistic == null || !saveOptimistic(optimistic)) {
                saveLocked(acquire());
            }
        }
        String header = manager.config().transport().headerName().orElse(null);
        if (sendCookie && known) {
            if (via.cookie) {
                Duration maxAge = manager.persistent(meta) ? manager.remaining(meta, now) : null;
                headers.accept("Set-Cookie", SetCookies.render(manager.cookie(), id, maxAge, now));
            }
            if (via.header && idIssued) {
                headers.accept(header, id);
            }
        } else if (expireCookie && cookiePresent) {
            if (via.cookie) {
                headers.accept("Set-Cookie", SetCookies.renderExpired(manager.cookie()));
            }
            if (via.header) {
                headers.accept(header, "");
            }
        }
    }

    @Override
    public String ensureId() {
        mutex.lock();
        try {
            ensureLoaded();
            if (known) {
                return id;
            }
            if (reserved == null) {
                reserved = manager.config().idGenerator().newId();
            }
            return reserved;
        } finally {
            mutex.unlock();
        }
    }

    @Override
    public Optional<String> id() {
        mutex.lock();
        try {
            ensureLoaded();
            return known ? Optional.of(id) : Optional.empty();
        } finally {
            mutex.unlock();
        }
    }

    /**
     * Moves the session to a new id under the old id's lock, optionally changing it on the way: the
     * new id is written first, then the old one deleted from the master and every mirror.
     */
    @Override
    void rotate(Consumer<Map<String, Object>> change, java.util.function.UnaryOperator<Meta> metaChange, boolean restart) {
        mutex.lock();
        try {
            requireUnlocked("rotate outside the lock block");
            Map<String, Object> working = acquire();
            try {
                String oldId = known ? id : null;
                String oldPrincipal = known ? meta.principal() : null;
                if (change != null) {
                    change.accept(working);
                }
                Instant now = manager.now();
                Meta toSave = metaChange.apply(meta).refreshedAt(now);
                if (restart) {
                    toSave = toSave.createdAt(now);
                }
                String newId = manager.config().idGenerator().newId();
                if (!working.isEmpty()) {
                    write(newId, working, toSave, now);
                } else {
                    base = new LinkedHashMap<>();
                    meta = toSave;
                }
                if (oldId != null) {
                    if (storeLock != null) {
                        finishLock(StoreLock::delete);
                    } else {
                        store().delete(oldId);
                    }
                    manager.deleteFromMirrors(oldId);
                }
                id = newId;
                known = !working.isEmpty();
                sendCookie = known;
                idIssued = known;
                expireCookie = !known && (oldId != null || cookiePresent);
                reindex(oldPrincipal, oldId, known ? meta.principal() : null, known ? newId : null);
                if (oldId != null && known) {
                    manager.fire(SessionEvent.Kind.ID_CHANGED, newId, meta.principal());
                } else if (oldId == null && known) {
                    manager.fire(SessionEvent.Kind.CREATED, newId, meta.principal());
                } else if (oldId != null) {
                    manager.fire(SessionEvent.Kind.INVALIDATED, oldId, oldPrincipal);
                }
            } finally {
                releaseLocks();
            }
        } finally {
            mutex.unlock();
        }
    }

    @Override
    Ended end() {
        mutex.lock();
        try {
            requireUnlocked("clear it inside the block instead");
            Map<String, Object> working = acquire();
            Ended ended = new Ended(currentId(), meta == null ? null : meta.principal(),
                    working.containsKey(AuthSession.USER_KEY));
            working.clear();
            saveLocked(working);
            sendCookie = false;
            expireCookie = true;
            return ended;
        } finally {
            mutex.unlock();
        }
    }
}
