package dev.cookies.undertow;

import dev.cookies.CookieSettings;
import dev.cookies.OpenSessions;
import dev.cookies.spi.SessionCodec;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.session.Session;
import io.undertow.server.session.SessionConfig;
import io.undertow.server.session.SessionListener;
import io.undertow.server.session.SessionManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One request's Undertow view of a Cookies session. Values handed in or out as objects are kept, with
 * the JSON they had, until the session commits; then those changed in place are written back.
 */
final class BridgedSession implements Session {

    /** Only tells whether an object's JSON changed; the session's own codec stores it. */
    private static final SessionCodec MIRROR = SessionCodec.json();

    private final Slot slot;
    private final dev.cookies.Session session;
    private final Map<String, Held> held = new ConcurrentHashMap<>();
    /** The id it had, once invalidated; {@code null} while it lives. */
    private volatile String invalidatedId;

    private BridgedSession(Slot slot) {
        this.slot = slot;
        this.session = slot.session;
    }

    // Undertow's reads, translated one to one; an invalidated session refuses them, as Undertow's do.
    @Override public SessionManager getSessionManager() { return slot.bridge; }
    @Override public boolean isInvalid() { return invalidatedId != null; }
    @Override public long getCreationTime() { return live().createdAt().toEpochMilli(); }
    @Override public long getLastAccessedTime() { return live().lastUsedAt().toEpochMilli(); }
    @Override public int getMaxInactiveInterval() { return (int) live().idleTimeout().getSeconds(); }
    @Override public Set<String> getAttributeNames() { return live().keys(); }
    // The core refreshes the session's expiry when the request commits.
    @Override public void requestDone(HttpServerExchange exchange) { }

    @Override
    public String getId() {
        String gone = invalidatedId;
        return gone != null ? gone : session.ensureId();
    }

    @Override
    public void setMaxInactiveInterval(int interval) {
        long most = CookieSettings.MAX_LIFETIME.getSeconds();
        // "Never" has no Cookies form (every session ends): the longest timeout stands for it.
        live().idleTimeout(Duration.ofSeconds(interval <= 0 || interval > most ? most : interval));
    }

    @Override
    public Object getAttribute(String name) {
        Objects.requireNonNull(name, "name");
        Object plain = live().get(name).orElse(null);
        if (plain == null) {
            return null;
        }
        Held h = held.get(name);
        if (h != null && h.plain.equals(plain)) {
            return h.value;
        }
        SessionBridge.Registered type = slot.bridge.type(name);
        Object value = type != null ? type.read().apply(session, name).orElseThrow() : mutable(plain);
        keep(name, value, plain, type);
        return value;
    }

    @Override
    public Object setAttribute(String name, Object value) {
        Objects.requireNonNull(name, "name");
        if (value == null) {
            return removeAttribute(name);
        }
        SessionBridge.Registered type = slot.bridge.type(name);
        if (type != null && !type.raw().isInstance(value)) {
            throw new IllegalArgumentException("attribute '" + name + "' is registered as " + type.raw().getName() + "; a "
                    + value.getClass().getName() + " was given");
        }
        if (type == null && !readsBack(value, 0)) {
            throw new IllegalArgumentException("attribute '" + name + "': a " + value.getClass().getName() + " would not "
                    + "read back as one, since a session holds plain JSON (String, Boolean, Integer, Double, and Maps and "
                    + "Lists of them); register the attribute's type: SessionBridge.builder().attribute(\"" + name + "\", type)");
        }
        Object old = previous(name);
        session.put(name, value);
        keep(name, value, session.get(name).orElseThrow(), type);
        if (old == null) {
            slot.bridge.fire(l -> l.attributeAdded(this, name, value));
        } else {
            slot.bridge.fire(l -> l.attributeUpdated(this, name, value, old));
        }
        return old;
    }

    @Override
    public Object removeAttribute(String name) {
        Objects.requireNonNull(name, "name");
        Object old = previous(name);
        if (old != null) {
            session.remove(name);
        }
        slot.bridge.fire(l -> l.attributeRemoved(this, name, old));
        return old;
    }

    @Override
    public void invalidate(HttpServerExchange exchange) {
        live();
        slot.bridge.fire(l -> l.sessionDestroyed(this, exchange, SessionListener.SessionDestroyedReason.INVALIDATED));
        invalidatedId = session.ensureId();
        session.invalidate();
    }

    @Override
    public String changeSessionId(HttpServerExchange exchange, SessionConfig config) {
        String old = live().ensureId();
        session.rotateId();
        slot.bridge.fire(l -> l.sessionIdChanged(this, old));
        return session.ensureId();
    }

    @Override
    public String toString() {
        return "BridgedSession[" + session.name() + (isInvalid() ? ", invalidated" : "") + "]";
    }

    private dev.cookies.Session live() {
        if (isInvalid()) {
            throw new IllegalStateException("the session was invalidated");
        }
        return session;
    }

    /** The value being replaced, for listeners: as its registered type if it still converts, else as stored. */
    private Object previous(String name) {
        try {
            return getAttribute(name);
        } catch (IllegalArgumentException storedOtherwise) {
            return session.get(name).orElse(null);
        }
    }

    /**
     * Keeps an object handed in or out, to write it back if it changes in place; a scalar cannot. An
     * untyped map or list is plain JSON already, a copy of the session's value or its source: the
     * stored value itself is what it is compared with, without a trip through the codec.
     */
    private void keep(String name, Object value, Object plain, SessionBridge.Registered type) {
        if (type != null) {
            held.put(name, new Held(value, plain, json(value), true));
        } else if (value instanceof Map || value instanceof List) {
            held.put(name, new Held(value, plain, null, false));
        }
    }

    /** Writes back, just before the session commits, each object whose JSON changed in place. */
    private void writeBack() {
        for (Map.Entry<String, Held> e : held.entrySet()) {
            Held h = e.getValue();
            // Only over the value it came from: a later put or remove, through either API, wins.
            if (!isInvalid() && h.changed() && session.get(e.getKey()).map(h.plain::equals).orElse(false)) {
                session.put(e.getKey(), h.value);
            }
        }
    }

    /** An object's JSON through the default codec, or {@code null} if that cannot write it. */
    private static Object json(Object value) {
        try {
            return MIRROR.toPlain(value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Whether a value reads back from JSON as the same Java types (past a session's depth, its put says no). */
    private static boolean readsBack(Object value, int depth) {
        if (value instanceof Map<?, ?> map) {
            return depth > 64 || map.entrySet().stream()
                    .allMatch(e -> e.getKey() instanceof String && readsBack(e.getValue(), depth + 1));
        }
        if (value instanceof List<?> list) {
            return depth > 64 || list.stream().allMatch(item -> readsBack(item, depth + 1));
        }
        return value == null || value instanceof String || value instanceof Boolean || value instanceof Integer
                || value instanceof Double;
    }

    /** A mutable deep copy of a plain JSON value. */
    private static Object mutable(Object plain) {
        if (plain instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put((String) k, mutable(v)));
            return copy;
        }
        if (plain instanceof List<?> list) {
            return new ArrayList<>(list.stream().map(BridgedSession::mutable).toList());
        }
        return plain;
    }

    /**
     * An object handed in or out and the session's value it came from; for a registered type, its JSON
     * then ({@code null} if the default codec cannot write it: then it is always written back).
     */
    private record Held(Object value, Object plain, Object jsonThen, boolean typed) {
        boolean changed() {
            if (!typed) {
                return !value.equals(plain);
            }
            Object now = jsonThen == null ? null : json(value);
            return now == null || !now.equals(jsonThen);
        }
    }

    /**
     * A bridge's state on one request: the Cookies session, the Undertow view of it (a new one after an
     * invalidation), and whether the request's sessions committed.
     */
    static final class Slot {
        final SessionBridge bridge;
        final dev.cookies.Session session;
        private final AtomicReference<BridgedSession> current = new AtomicReference<>();
        private volatile boolean committed;

        Slot(SessionBridge bridge, OpenSessions open, dev.cookies.Session session) {
            this.bridge = bridge;
            this.session = session;
            try {
                open.beforeCommit(this::commit);
            } catch (IllegalStateException alreadyCommitted) {
                committed = true;
            }
        }

        boolean committed() {
            return committed;
        }

        /** The live view: one made in this request, else one for a session that holds data (loading it). */
        BridgedSession find() {
            BridgedSession s = current.get();
            if (s != null && !s.isInvalid()) {
                return s;
            }
            if (committed || session.isEmpty()) {
                return null;
            }
            BridgedSession found = new BridgedSession(this);
            return current.compareAndSet(s, found) ? found : current.get();
        }

        BridgedSession create() {
            BridgedSession created = new BridgedSession(this);
            current.set(created);
            return created;
        }

        private void commit() {
            committed = true;
            BridgedSession s = current.get();
            if (s != null) {
                s.writeBack();
            }
        }
    }
}
