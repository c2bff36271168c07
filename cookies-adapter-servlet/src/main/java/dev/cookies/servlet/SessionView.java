package dev.cookies.servlet;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.cookies.CookieSettings;
import dev.cookies.Session;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.HttpSessionAttributeListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An {@code HttpSession} over one Cookies session, for one request. Attributes are the session's
 * values; the objects this request handed out or was given are remembered with the JSON form they had
 * then, so that those changed in place can be written back before commit. Every method holds the
 * request's {@link BridgeState} monitor.
 */
final class SessionView implements HttpSession {

    /** A snapshot that could not be made: the value is not written back. */
    private static final Object UNTRACKED = new Object();

    private final BridgeState state;
    private final Session session;
    private final boolean isNew;
    /** Per attribute: the object handed out or given, the session's value it came from, its JSON form then. */
    private final Map<String, Held> held = new LinkedHashMap<>();
    private String id;
    private boolean invalidating;
    private boolean valid = true;

    private record Held(Object value, Object stored, Object snapshot) {
    }

    SessionView(BridgeState state, Session session, boolean isNew) {
        this.state = state;
        this.session = session;
        this.isNew = isNew;
    }

    /** Whether the request may still use this view: not invalidated, or its listeners being told. */
    boolean usable() {
        return valid;
    }

    private void requireValid(String method) {
        if (!valid || invalidating && method.equals("invalidate")) {
            throw new IllegalStateException(method + ": the session was invalidated");
        }
    }

    @Override
    public long getCreationTime() {
        synchronized (state) {
            requireValid("getCreationTime");
            return session.createdAt().toEpochMilli();
        }
    }

    @Override
    public String getId() {
        synchronized (state) {
            if (id == null) {
                id = session.ensureId();
            }
            return id;
        }
    }

    @Override
    public long getLastAccessedTime() {
        synchronized (state) {
            requireValid("getLastAccessedTime");
            return session.lastUsedAt().toEpochMilli();
        }
    }

    @Override
    public ServletContext getServletContext() {
        return state.context;
    }

    /**
     * Sets the session's own idle timeout. Zero or less (never time out, in the Servlet API) and anything
     * longer than a cookie may live become 400 days; the manager's absolute lifetime still applies.
     */
    @Override
    public void setMaxInactiveInterval(int interval) {
        synchronized (state) {
            if (!valid) {
                return;
            }
            Duration max = CookieSettings.MAX_LIFETIME;
            Duration timeout = interval <= 0 || interval > max.getSeconds() ? max : Duration.ofSeconds(interval);
            session.idleTimeout(timeout);
        }
    }

    @Override
    public int getMaxInactiveInterval() {
        synchronized (state) {
            return (int) Math.min(Integer.MAX_VALUE, session.idleTimeout().getSeconds());
        }
    }

    @Override
    public Object getAttribute(String name) {
        Objects.requireNonNull(name, "name");
        synchronized (state) {
            requireValid("getAttribute");
            if (name.equals(HttpSessionBridge.CREATED_KEY)) {
                return null;
            }
            Object stored = session.get(name).orElse(null);
            Held h = held.get(name);
            if (h != null) {
                if (Objects.equals(stored, h.stored)) {
                    return h.value;
                }
                // Replaced through the Cookies API since: what this view held is stale.
                held.remove(name);
            }
            if (stored == null) {
                return null;
            }
            Object value = convert(name, stored);
            // A plain copy's JSON form is the stored value; a converted object's must be taken.
            Object snapshot = state.bridge.typeOf(name) == null ? stored
                    : state.bridge.writeBack() ? snapshot(value) : UNTRACKED;
            held.put(name, new Held(value, stored, snapshot));
            return value;
        }
    }

    @Override
    public Enumeration<String> getAttributeNames() {
        synchronized (state) {
            requireValid("getAttributeNames");
            return Collections.enumeration(names());
        }
    }

    private List<String> names() {
        List<String> names = new ArrayList<>(session.keys());
        names.remove(HttpSessionBridge.CREATED_KEY);
        return names;
    }

    @Override
    public void setAttribute(String name, Object value) {
        Objects.requireNonNull(name, "name");
        if (value == null) {
            removeAttribute(name);
            return;
        }
        synchronized (state) {
            requireValid("setAttribute");
            if (name.equals(HttpSessionBridge.CREATED_KEY)) {
                throw new IllegalArgumentException("setAttribute: '" + name + "' is reserved by the HttpSession bridge");
            }
            Object old = current(name);
            Listeners.bound(this, name, value);
            try {
                session.put(name, value);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("HttpSession attribute '" + name + "' cannot be stored: " + e.getMessage(), e);
            }
            Object stored = session.get(name).orElseThrow();
            held.put(name, new Held(value, stored, stored));
            if (old != null && old != value) {
                Listeners.unbound(this, name, old);
            }
            if (old == null) {
                state.listeners().added(this, name, value);
            } else {
                state.listeners().replaced(this, name, old);
            }
        }
    }

    @Override
    public void removeAttribute(String name) {
        Objects.requireNonNull(name, "name");
        synchronized (state) {
            requireValid("removeAttribute");
            if (name.equals(HttpSessionBridge.CREATED_KEY)) {
                return;
            }
            Object old = current(name);
            if (old == null) {
                return;
            }
            session.remove(name);
            held.remove(name);
            Listeners.unbound(this, name, old);
            state.listeners().removed(this, name, old);
        }
    }

    /**
     * The value an attribute has now, as the events and binding listeners are told it: the object held,
     * else the stored value converted; {@code null} if absent. Converted only when someone listens.
     */
    private Object current(String name) {
        Object stored = session.get(name).orElse(null);
        if (stored == null) {
            return null;
        }
        Held h = held.get(name);
        if (h != null && Objects.equals(stored, h.stored)) {
            return h.value;
        }
        if (state.bridge.typeOf(name) == null && !state.listeners().has(HttpSessionAttributeListener.class)) {
            return stored;
        }
        return convert(name, stored);
    }

    /**
     * Tells the session listeners, then removes each attribute (its listeners and binding listeners
     * told), then deletes the session, as containers do.
     */
    @Override
    public void invalidate() {
        synchronized (state) {
            requireValid("invalidate");
            getId();
            invalidating = true;
            try {
                state.listeners().destroyed(this);
                for (String name : names()) {
                    Object old = current(name);
                    if (old != null) {
                        Listeners.unbound(this, name, old);
                        state.listeners().removed(this, name, old);
                    }
                }
            } finally {
                valid = false;
                invalidating = false;
                held.clear();
                state.invalidating();
            }
            session.invalidate();
        }
    }

    @Override
    public boolean isNew() {
        synchronized (state) {
            requireValid("isNew");
            return isNew;
        }
    }

    /** Moves the session to a new id (the way a login does) and tells the id listeners. */
    String changeId() {
        String old = getId();
        session.rotateId();
        id = null;
        String now = getId();
        state.listeners().idChanged(this, old);
        return now;
    }

    /** Stores again each value handed out or given whose JSON form changed in place; run just before commit. */
    void writeBack() {
        if (!valid) {
            return;
        }
        for (Map.Entry<String, Held> e : held.entrySet()) {
            Held h = e.getValue();
            if (h.snapshot == UNTRACKED || h.value == h.stored
                    || !Objects.equals(session.get(e.getKey()).orElse(null), h.stored)) {
                continue;
            }
            Object now;
            try {
                now = state.bridge.codec().toPlain(h.value);
            } catch (IllegalArgumentException e2) {
                now = UNTRACKED;
            }
            if (!Objects.equals(now, h.snapshot)) {
                // What the application changed in place: stored as a setAttribute would, so a value that no
                // longer encodes fails the commit here, naming the attribute.
                session.put(e.getKey(), h.value);
            }
        }
    }

    private Object convert(String name, Object stored) {
        Object type = state.bridge.typeOf(name);
        if (type instanceof Class<?> c) {
            return session.get(name, c).orElse(null);
        }
        if (type instanceof TypeReference<?> t) {
            return session.get(name, t).orElse(null);
        }
        return mutableCopy(stored);
    }

    /** A mutable deep copy of a plain JSON value; strings, numbers and booleans are immutable already. */
    private static Object mutableCopy(Object plain) {
        if (plain instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>(Math.max(4, map.size() * 2));
            for (Map.Entry<?, ?> e : map.entrySet()) {
                copy.put(String.valueOf(e.getKey()), mutableCopy(e.getValue()));
            }
            return copy;
        }
        if (plain instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            for (Object o : list) {
                copy.add(mutableCopy(o));
            }
            return copy;
        }
        return plain;
    }

    private Object snapshot(Object value) {
        try {
            return state.bridge.codec().toPlain(value);
        } catch (IllegalArgumentException e) {
            return UNTRACKED;
        }
    }

    @Override
    public String toString() {
        return "HttpSession[" + session.name() + (valid ? "" : ", invalidated") + "]";
    }
}
