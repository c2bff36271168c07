package dev.cookies;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The library's own bookkeeping for one session, stored inside the session's JSON object under
 * {@code "__meta"}: when it was created (for the absolute lifetime), when its expiry was last
 * refreshed (when its cookie was last sent), and the per-session timeout and cookie kind a login may
 * set. Missing fields fall back to the manager's settings, so data written by others still opens.
 *
 * @param created epoch seconds
 * @param refreshed epoch seconds
 * @param ttlSeconds this session's own idle timeout, or 0 for the manager's
 * @param persistent 1 or 0 for this session's own cookie kind, or -1 for the manager's
 * @param absoluteSeconds this session's own absolute lifetime (a remember-me login's), or 0 for the
 *     manager's
 * @param principal the logged-in user's principal name, for the per-user index, or {@code null}
 * @param nonce a client-side session's stable identifier ({@link Session#ensureId()}), or {@code null}
 */
record Meta(long created, long refreshed, long ttlSeconds, int persistent, long absoluteSeconds, String principal,
            String nonce) {

    static Meta fresh(Instant now) {
        long s = now.getEpochSecond();
        return new Meta(s, s, 0, -1, 0, null, null);
    }

    Meta refreshedAt(Instant now) {
        return new Meta(created, now.getEpochSecond(), ttlSeconds, persistent, absoluteSeconds, principal, nonce);
    }

    Meta createdAt(Instant now) {
        return new Meta(now.getEpochSecond(), refreshed, ttlSeconds, persistent, absoluteSeconds, principal, nonce);
    }

    Meta sealedAt(long createdAtMost, long sealed) {
        return new Meta(Math.min(created, createdAtMost), sealed, ttlSeconds, persistent, absoluteSeconds, principal, nonce);
    }

    Meta withPrincipal(String name) {
        return new Meta(created, refreshed, ttlSeconds, persistent, absoluteSeconds, name, nonce);
    }

    Meta withNonce(String value) {
        return new Meta(created, refreshed, ttlSeconds, persistent, absoluteSeconds, principal, value);
    }

    /** A login's own settings: idle timeout, cookie kind and absolute lifetime; {@code null} keeps the current one. */
    Meta withOverrides(Duration ttl, Boolean persistentCookie, Duration absolute) {
        return new Meta(created, refreshed, ttl == null ? ttlSeconds : ttl.getSeconds(),
                persistentCookie == null ? persistent : (persistentCookie ? 1 : 0),
                absolute == null ? absoluteSeconds : absolute.getSeconds(), principal, nonce);
    }

    Map<String, Object> toMap(boolean withRefreshed) {
        Map<String, Object> m = new LinkedHashMap<>(4);
        m.put("c", created);
        if (withRefreshed) {
            m.put("r", refreshed);
        }
        if (ttlSeconds > 0) {
            m.put("t", ttlSeconds);
        }
        if (persistent >= 0) {
            m.put("p", persistent == 1);
        }
        if (absoluteSeconds > 0) {
            m.put("a", absoluteSeconds);
        }
        if (principal != null) {
            m.put("u", principal);
        }
        if (nonce != null) {
            m.put("i", nonce);
        }
        return m;
    }

    /** Reads the map written by {@link #toMap}, leniently: anything odd falls back. */
    static Meta fromMap(Object value, Instant fallback) {
        long now = fallback.getEpochSecond();
        if (!(value instanceof Map)) {
            return new Meta(now, now, 0, -1, 0, null, null);
        }
        Map<?, ?> m = (Map<?, ?>) value;
        long created = longOr(m.get("c"), now);
        long refreshed = longOr(m.get("r"), now);
        long ttl = Math.max(0, longOr(m.get("t"), 0));
        Object p = m.get("p");
        int persistent = p instanceof Boolean ? (((Boolean) p) ? 1 : 0) : -1;
        long absolute = Math.max(0, longOr(m.get("a"), 0));
        Object u = m.get("u");
        Object i = m.get("i");
        return new Meta(created, refreshed, ttl, persistent, absolute, u instanceof String ? (String) u : null,
                i instanceof String ? (String) i : null);
    }

    private static long longOr(Object v, long fallback) {
        return v instanceof Integer || v instanceof Long ? ((Number) v).longValue() : fallback;
    }
}
