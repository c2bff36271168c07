package dev.cookies;

import dev.cookies.spi.ClientSideStore;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A session sealed into its cookie. There is no id to lock across requests: a locked block works on
 * this request's copy, and saving means sealing, which is where the cookie size is checked, before
 * the response commits.
 */
final class ClientSession extends AbstractSession {

    private final List<String> candidates;
    /** The seal time of the opened cookie. */
    private Instant issuedAt;
    /** The store asked for the opened cookie to be sealed again (an older key opened it). */
    private boolean reseal;
    /** The data changed in this request: the cookie must be re-sent, or expired if now empty. */
    private boolean changed;
    /** The header already sealed for {@link #base} by a locked block, if any. */
    private String sealedHeader;
    /** Whether this request's CREATED or INVALIDATED event was told. */
    private boolean told;

    ClientSession(SessionManager manager, List<String> candidates, boolean cookiePresent) {
        super(manager, cookiePresent, Via.COOKIE);
        this.candidates = candidates;
    }

    private ClientSideStore store() {
        return manager.clientStore();
    }

    @Override
    boolean policed() {
        return false;
    }

    @Override
    void ensureLoaded() {
        if (loaded) {
            return;
        }
        loaded = true;
        Instant now = manager.now();
        for (String candidate : candidates) {
            Optional<ClientSideStore.Unsealed> unsealed;
            try {
                unsealed = store().open(candidate);
            } catch (RuntimeException e) {
                manager.badInput("the cookie store failed to open a cookie: " + e);
                continue;
            }
            if (unsealed.isEmpty()) {
                manager.badInput("ignored a cookie that does not open");
                continue;
            }
            SessionManager.Decoded decoded = manager.decode(unsealed.get().payload(), unsealed.get().issuedAt());
            if (decoded == null) {
                continue;
            }
            Instant sealedAt = unsealed.get().issuedAt();
            Meta m = decoded.meta();
            // The seal time is the authority on the last refresh: a payload cannot claim a later one.
            m = m.sealedAt(sealedAt.getEpochSecond(), sealedAt.getEpochSecond());
            if (manager.isExpired(m, now, true)) {
                manager.badInput("ignored an expired cookie");
                continue;
            }
            if (m.principal() != null && manager.revoked(m.principal(), m.created())) {
                manager.badInput("ignored a logged-in cookie issued before its user signed out everywhere");
                continue;
            }
            existed = true;
            issuedAt = sealedAt;
            reseal = unsealed.get().reseal();
            base = decoded.data();
            meta = m;
            return;
        }
        meta = Meta.fresh(now);
    }

    @Override
    Map<String, Object> acquire() {
        ensureLoaded();
        applyPendingMeta();
        Map<String, Object> working = new LinkedHashMap<>(base);
        delta.applyTo(working);
        delta.reset();
        return working;
    }

    @Override
    void saveLocked(Map<String, Object> working) {
        if (working.isEmpty()) {
            ended();
            return;
        }
        Instant now = sealTime();
        Meta toSave = meta.refreshedAt(now);
        sealedHeader = seal(working, toSave, now, now);
        base = working;
        meta = toSave;
        changed = true;
        expireCookie = false;
        if (!existed && !told) {
            told = true;
            manager.fire(SessionEvent.Kind.CREATED, null, meta.principal());
        }
    }

    /** Seals and renders; refuses, before anything is sent, a header browsers would drop. */
    /**
     * Now, or the session's creation if that is later: a login in the same second as its user's sign
     * out everywhere is dated from the next second ({@link SessionManager#issueTime}), and a cookie is
     * never sealed before the session it carries was created (the seal time bounds the creation time
     * when the cookie is opened).
     */
    private Instant sealTime() {
        Instant now = manager.now();
        return meta != null && meta.created() > now.getEpochSecond() ? Instant.ofEpochSecond(meta.created()) : now;
    }

    private String seal(Map<String, Object> data, Meta m, Instant sealAt, Instant now) {
        byte[] payload = manager.encode(data, m);
        String value = store().seal(payload, sealAt);
        Duration maxAge = null;
        if (manager.persistent(m)) {
            // A re-seal keeps the original seal time, and the idle timeout counts from it.
            Duration sinceSeal = Duration.between(sealAt, now);
            Duration idleLeft = manager.ttl(m).minus(sinceSeal.isNegative() ? Duration.ZERO : sinceSeal);
            Duration left = manager.remaining(m, now);
            maxAge = idleLeft.compareTo(left) < 0 ? idleLeft : left;
        }
        String header = SetCookies.render(manager.cookie(), value, maxAge, now);
        int size = header.length();
        if (size > CookieSettings.MAX_HEADER_BYTES) {
            throw SessionTooLargeException.of(name(), "Set-Cookie header", size, CookieSettings.MAX_HEADER_BYTES);
        }
        return header;
    }

    @Override
    void abandon() {
    }

    @Override
    void commitLocked(java.util.function.BiConsumer<String, String> headers) {
        if (!delta.isEmpty()) {
            saveLocked(acquire());
        }
        Instant now = sealTime();
        if (changed) {
            if (!base.isEmpty()) {
                headers.accept("Set-Cookie", sealedHeader != null ? sealedHeader : seal(base, meta, now, now));
            } else if (expireCookie && cookiePresent) {
                headers.accept("Set-Cookie", SetCookies.renderExpired(manager.cookie()));
            }
            return;
        }
        if (!loaded || !existed) {
            return;
        }
        if (manager.refreshDue(meta, now)) {
            // The idle timeout counts from the seal time, so sliding it means sealing again.
            Meta refreshed = meta.refreshedAt(now);
            headers.accept("Set-Cookie", seal(base, refreshed, now, now));
        } else if (reseal) {
            // A re-seal under the current key must not extend the session: keep the original time.
            headers.accept("Set-Cookie", seal(base, meta, issuedAt, now));
        }
    }

    @Override
    public Optional<String> id() {
        return Optional.empty();
    }

    /** A random token kept in the sealed data: stable while the session lives, new after a rotation. */
    @Override
    public String ensureId() {
        mutex.lock();
        try {
            ensureLoaded();
            if (meta.nonce() == null) {
                meta = meta.withNonce(manager.config().idGenerator().newId());
                delta.markMetaChanged();
            }
            return meta.nonce();
        } finally {
            mutex.unlock();
        }
    }

    /** Re-seals the session, optionally changed; there is no id, so nothing else to rotate. */
    @Override
    void rotate(java.util.function.Consumer<Map<String, Object>> change, java.util.function.UnaryOperator<Meta> metaChange,
            boolean restart) {
        mutex.lock();
        try {
            requireUnlocked("rotate outside the lock block");
            Map<String, Object> working = acquire();
            if (change != null) {
                change.accept(working);
            }
            Meta before = meta;
            meta = metaChange.apply(meta);
            if (meta.nonce() != null) {
                meta = meta.withNonce(manager.config().idGenerator().newId());
            }
            if (restart) {
                meta = meta.createdAt(manager.issueTime(meta.principal()));
            }
            try {
                saveLocked(working);
            } catch (RuntimeException e) {
                meta = before;
                throw e;
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
            Ended ended = new Ended(null, meta.principal(), working.containsKey(AuthSession.USER_KEY));
            ended();
            return ended;
        } finally {
            mutex.unlock();
        }
    }

    /**
     * Ends the session the request holds: tells of it once, and leaves a fresh one in its place, so a
     * session started later in the same request gets a new token, creation time and no principal.
     */
    private void ended() {
        if (existed && !told) {
            manager.fire(SessionEvent.Kind.INVALIDATED, null, meta.principal());
        }
        existed = false;
        told = false;
        meta = Meta.fresh(manager.now());
        base = new LinkedHashMap<>();
        sealedHeader = null;
        changed = true;
        expireCookie = true;
    }
}
