package dev.cookies.undertow;

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
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One request's Undertow view of a Cookies session. Values handed in or out as objects are kept, with
 * the JSON they had, until the session commits; then those changed in place are written back.
 */
final class BridgedSession implements Session {

    /** Only tells whether a registered object's JSON changed; the session's own codec stores it. */
    private static final SessionCodec MIRROR = SessionCodec.json();

    private final Slot slot;
    private final dev.cookies.Session session;
    private final Map<String, Held> held = new ConcurrentHashMap<>();
    private volatile boolean valid = true;
    private volatile String idWhenInvalidated;

    private BridgedSession(Slot slot) {
        this.slot = slot;
        this.session = slot.session;
    }

    @Override
    public String getId() {
        return valid ? session.ensureId() : idWhenInvalidated;
    }

    @Override
    public SessionManager getSessionManager() {
        return slot.bridge;
    }

    @Override
    public void requestDone(HttpServerExchange exchange) {
        // The core refreshes the session's expiry when the request commits.
    }

    @Override
    public long getCreationTime() {
        requireValid();
        return session.createdAt().toEpochMilli();
    }

    @Override
    public long getLastAccessedTime() {
        requireValid();
        return session.lastUsedAt().toEpochMilli();
    }

    @Override
    public void setMaxInactiveInterval(int interval) {
        requireValid();
        long most = dev.cookies.CookieSettings.MAX_LIFETIME.getSeconds();
        // "Never" has no Cookies form: every session ends; the longest a timeout may be stands for it.
        session.idleTimeout(Duration.ofSeconds(interval <= 0 || interval > most ? most : interval));
    }

    @Override
    public int getMaxInactiveInterval() {
        requireValid();
        return (int) session.idleTimeout().getSeconds();
    }

    @Override
    public Object getAttribute(String name) {
        Objects.requireNonNull(name, "name");
        requireValid();
        Optional<Object> stored = session.get(name);
        if (stored.isEmpty()) {
            held.remove(name);
            return null;
        }
        Object plain = stored.get();
        Held h = held.get(name);
        if (h != null && Objects.equals(h.plain, plain)) {
            return h.value;
        }
        SessionBridge.Registered type = slot.bridge.type(name);
        Object value = type != null ? type.read().apply(session, name).orElseThrow() : mutable(plain);
        keep(name, value, plain, type);
        return value;
    }

    @Override
    public Set<String> getAttributeNames() {
        requireValid();
        return session.keys();
    }

    @Override
    public Object setAttribute(String name, Object value) {
        Objects.requireNonNull(name, "name");
        if (value == null) {
            return removeAttribute(name);
        }
        requireValid();
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
        requireValid();
        Object old = previous(name);
        if (old != null) {
            session.remove(name);
        }
        held.remove(name);
        slot.bridge.fire(l -> l.attributeRemoved(this, name, old));
        return old;
    }

    @Override
    public void invalidate(HttpServerExchange exchange) {
        requireValid();
        slot.bridge.fire(l -> l.sessionDestroyed(this, exchange, SessionListener.SessionDestroyedReason.INVALIDATED));
        idWhenInvalidated = session.ensureId();
        valid = false;
        held.clear();
        session.invalidate();
    }

    @Override
    public String changeSessionId(HttpServerExchange exchange, SessionConfig config) {
        requireValid();
        String old = session.ensureId();
        session.rotateId();
        String now = session.ensureId();
        slot.bridge.fire(l -> l.sessionIdChanged(this, old));
        return now;
    }

    @Override
    public boolean isInvalid() {
        return !valid;
    }

    @Override
    public String toString() {
        return "BridgedSession[" + session.name() + (valid ? "" : ", invalidated") + "]";
    }

    private void requireValid() {
        if (!valid) {
            throw new IllegalStateException("the session was invalidated");
        }
    }

    /** The value being replaced, for listeners: as its registered type if it still converts, else as stored. */
    private Object previous(String name) {
        try {
            return getAttribute(name);
        } catch (IllegalArgumentException storedOtherwise) {
            return session.get(name).orElse(null);
        }
    }

    /** Keeps an object handed in or out, to write it back if it changes in place; scalars cannot. */
    private void keep(String name, Object value, Object plain, SessionBridge.Registered type) {
        if (type == null && !(value instanceof Map) && !(value instanceof List)) {
            held.remove(name);
            return;
        }
        held.put(name, new Held(value, plain, type == null ? null : json(value), type != null));
    }

    /** Writes back, just before the session commits, each object whose JSON changed in place. */
    private void writeBack() {
        if (!valid) {
            return;
        }
        for (Map.Entry<String, Held> e : held.entrySet()) {
            Held h = e.getValue();
            // Written back only over the value it was read from: a later put or remove wins.
            if (h.changed() && session.get(e.getKey()).map(h.plain::equals).orElse(false)) {
                session.put(e.getKey(), h.value);
            }
        }
    }

    private static Object json(Object value) {
        try {
            return MIRROR.toPlain(value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Whether a value reads back from JSON as the same Java types (deeper than a session may be: its put says so). */
    private static boolean readsBack(Object value, int depth) {
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Integer
                || value instanceof Double || depth > 64) {
            return true;
        }
        if (value instanceof Map) {
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                if (!(e.getKey() instanceof String) || !readsBack(e.getValue(), depth + 1)) {
                    return false;
                }
            }
            return true;
        }
        if (value instanceof List) {
            for (Object item : (List<?>) value) {
                if (!readsBack(item, depth + 1)) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    /** A mutable deep copy of a plain JSON value. */
    private static Object mutable(Object plain) {
        if (plain instanceof Map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            ((Map<?, ?>) plain).forEach((k, v) -> copy.put((String) k, mutable(v)));
            return copy;
        }
        if (plain instanceof List) {
            List<Object> copy = new ArrayList<>(((List<?>) plain).size());
            for (Object item : (List<?>) plain) {
                copy.add(mutable(item));
            }
            return copy;
        }
        return plain;
    }

    /**
     * An object handed in or out and the session's value it came from. A plain {@code Map} or
     * {@code List} is compared with that value as it is; a registered object by its JSON then
     * ({@code mirror}; {@code null} if the default codec cannot write it, and then it is always written
     * back).
     */
    private record Held(Object value, Object plain, Object mirror, boolean registered) {
        boolean changed() {
            if (!registered) {
                return !plain.equals(value);
            }
            Object now = mirror == null ? null : json(value);
            return now == null || !now.equals(mirror);
        }
    }

    /**
     * A bridge's state on one request: the Cookies session, the Undertow view of it (new after an
     * invalidation), and whether the request's sessions committed.
     */
    static final class Slot {
        final SessionBridge bridge;
        final dev.cookies.Session session;
        private final ReentrantLock lock = new ReentrantLock();
        private BridgedSession current;
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

        /** Whether the client's cookie loaded an existing session. */
        boolean existed() {
            return !session.isNew();
        }

        /** The live view: one made in this request, else one for a session that holds data (loading it). */
        BridgedSession find() {
            lock.lock();
            try {
                if (current != null && current.valid) {
                    return current;
                }
                if (committed || session.isEmpty()) {
                    return null;
                }
                current = new BridgedSession(this);
                return current;
            } finally {
                lock.unlock();
            }
        }

        BridgedSession create() {
            lock.lock();
            try {
                current = new BridgedSession(this);
                return current;
            } finally {
                lock.unlock();
            }
        }

        private void commit() {
            BridgedSession view;
            lock.lock();
            try {
                committed = true;
                view = current;
            } finally {
                lock.unlock();
            }
            if (view != null) {
                view.writeBack();
            }
        }
    }
}
