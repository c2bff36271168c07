package dev.cookies.undertow;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.cookies.OpenSessions;
import dev.cookies.SessionData;
import dev.cookies.SessionEvent;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.session.Session;
import io.undertow.server.session.SessionConfig;
import io.undertow.server.session.SessionListener;
import io.undertow.server.session.SessionManager;
import io.undertow.server.session.SessionManagerStatistics;
import java.lang.reflect.ParameterizedType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Undertow's session API on a Cookies session: code written against {@link io.undertow.util.Sessions}
 * and {@link Session} runs unchanged, while the session itself is one named Cookies session, on
 * whatever store that session uses. Undertow never sets a cookie of its own; the Cookies session's
 * cookie is the only one.
 *
 * <pre>{@code
 * SessionBridge bridge = SessionBridge.builder().attribute("cart", Cart.class).build();
 * Sessions sessions = Sessions.of(SessionManager.builder("session").store("redis://localhost:6379/0")
 *         .listener(bridge.expiryListener())   // optional: Undertow listeners hear of expiries
 *         .build());
 * HttpHandler app = new SessionHandler(sessions,
 *         new SessionAttachmentHandler(routes, bridge, bridge.sessionConfig()));
 * // in a handler, unchanged:
 * Session session = io.undertow.util.Sessions.getOrCreateSession(exchange);
 * }</pre>
 *
 * <p><b>Which session.</b> The one named in {@link Builder#session(String)}; by default the only session
 * of the request, or the one named {@code session}. It must stand behind a {@link SessionHandler}.
 *
 * <p><b>Values.</b> A session holds plain JSON. {@code setAttribute} converts the value at once (a value
 * that cannot be converted fails there, naming the attribute) and is an unlocked write of that key
 * alone, so concurrent requests setting different attributes keep each other's. {@code getAttribute}
 * returns {@code String}, {@code Boolean}, numbers, and mutable {@code Map}s and {@code List}s, or, for
 * an attribute registered with {@link Builder#attribute(String, Class)}, an instance of its type. A value
 * that would not read back as its own type (a {@code Long}, a {@code Set}, an unregistered application
 * object) is refused by {@code setAttribute}. A {@code Map}, {@code List} or registered object read or
 * set in a request and then changed in place is written back just before the session commits, if its
 * JSON changed; one only read is never written.
 *
 * <p><b>Listeners.</b> Undertow {@link SessionListener}s registered here are told, on the request's
 * thread, of sessions created, invalidated and moved to a new id and of attributes added, replaced and
 * removed, all through this API; and of expiries the store reports, through
 * {@link #expiryListener()}. A listener that throws is logged and the next one is called.
 *
 * <p>Sessions are reached only inside their request: {@link #getSession(String)} and the lists of
 * sessions are empty, and there are no statistics.
 *
 * @since 0.2
 */
public final class SessionBridge implements SessionManager {

    private static final Logger LOG = LoggerFactory.getLogger(SessionBridge.class);

    private static final AtomicLong INSTANCES = new AtomicLong();

    private final String sessionName;
    private final Map<String, Registered> types;
    private final List<SessionListener> listeners = new CopyOnWriteArrayList<>();
    /** The request-attribute key of this bridge's per-request state. */
    private final String slotKey = SessionBridge.class.getName() + "#" + INSTANCES.incrementAndGet();
    private final SessionConfig config = new BridgeConfig();

    private SessionBridge(Builder b) {
        this.sessionName = b.sessionName;
        this.types = Map.copyOf(b.types);
    }

    /**
     * Starts a bridge, at start-up.
     *
     * @return a builder: the default session, no registered attribute types
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the {@link SessionConfig} to pair with this manager (in a {@code SessionAttachmentHandler},
     * or a servlet deployment's session config wrapper). It sets no cookie and rewrites no URL: the
     * Cookies session's own cookie carries the session.
     *
     * @return the config
     */
    public SessionConfig sessionConfig() {
        return config;
    }

    /**
     * Returns a Cookies listener that tells this bridge's Undertow listeners of sessions that expired, as
     * {@code sessionDestroyed(session, null, TIMEOUT)}: those a request finds past their lifetime, and
     * those the store reports removing. Register it on the session manager the bridge serves, when the
     * application builds it: {@code SessionManager.builder("session").listener(bridge.expiryListener())}.
     * A client-side (cookie) store cannot tell of any. The session passed is already gone: its id is the
     * core's handle of the id (never the id itself), and it has no attributes.
     *
     * @return the listener
     */
    public dev.cookies.SessionListener expiryListener() {
        return event -> {
            if (event.kind() == SessionEvent.Kind.EXPIRED && (sessionName == null || sessionName.equals(event.sessionName()))) {
                Session expired = new ExpiredSession(this, event.handle());
                fire(l -> l.sessionDestroyed(expired, null, SessionListener.SessionDestroyedReason.TIMEOUT));
            }
        };
    }

    /**
     * Returns this bridge's name for Undertow.
     *
     * @return {@code cookies}, or {@code cookies:} and the session's name when one was chosen
     */
    @Override
    public String getDeploymentName() {
        return sessionName == null ? "cookies" : "cookies:" + sessionName;
    }

    /** Does nothing: the application's {@code Sessions} own the stores. */
    @Override
    public void start() { }

    /** Does nothing: the application closes its {@code Sessions}. */
    @Override
    public void stop() { }

    /**
     * Starts a session on this request, telling the listeners. It is kept only if it holds an attribute
     * when the request commits (Cookies saves no empty session).
     *
     * @param exchange the request
     * @param ignored Undertow's session config; this bridge uses none
     * @return the new session
     * @throws IllegalStateException if the request already has a session, or its sessions were already
     *     committed, or no {@link SessionHandler} stands in front
     */
    @Override
    public Session createSession(HttpServerExchange exchange, SessionConfig ignored) {
        Objects.requireNonNull(exchange, "exchange");
        BridgedSession.Slot slot = slot(exchange);
        if (slot.committed()) {
            throw new IllegalStateException("cannot create a session: the request's sessions were already committed");
        }
        if (slot.find() != null) {
            throw new IllegalStateException("this request already has a session");
        }
        BridgedSession created = slot.create();
        fire(l -> l.sessionCreated(created, exchange));
        return created;
    }

    /**
     * Returns the request's session: one created in this request, or one the client's cookie loads
     * (loading it, once). Once the request's sessions were committed, only a session this request
     * already used is returned, so that Undertow's end-of-request bookkeeping costs no store call.
     *
     * @param exchange the request, or {@code null} (then {@code null})
     * @param ignored Undertow's session config; this bridge uses none
     * @return the session, or {@code null} if there is none
     * @throws IllegalStateException if no {@link SessionHandler} stands in front
     */
    @Override
    public Session getSession(HttpServerExchange exchange, SessionConfig ignored) {
        if (exchange == null) {
            return null;
        }
        Map<String, Object> attributes = exchange.getAttachment(SessionHandler.ATTRIBUTES);
        if (attributes != null && (exchange.isResponseStarted() || exchange.isResponseComplete())
                && !attributes.containsKey(slotKey)) {
            // Undertow's servlet container asks at the end of every request (to bump the access time).
            // The bridge was not used and the sessions are committed: there is nothing to find, and no
            // state to make for it. (The sessions commit before the response starts.)
            return null;
        }
        return slot(exchange).find();
    }

    /**
     * Returns {@code null}: a session is reached only through its request.
     *
     * @param sessionId any id
     * @return {@code null}
     */
    @Override
    public Session getSession(String sessionId) { return null; }

    /**
     * Adds a listener; the application calls it at start-up (a servlet deployment adds its own).
     *
     * @param listener the listener
     * @throws NullPointerException if {@code listener} is null
     */
    @Override
    public void registerSessionListener(SessionListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Removes a listener.
     *
     * @param listener the listener
     */
    @Override
    public void removeSessionListener(SessionListener listener) { listeners.remove(listener); }

    /**
     * Does nothing: the Cookies session manager's idle timeout is the default
     * ({@code SessionManager.Builder.idleTimeout}); a session's own is set with
     * {@link Session#setMaxInactiveInterval(int)}.
     *
     * @param timeout ignored
     */
    @Override
    public void setDefaultSessionTimeout(int timeout) { }

    /**
     * Returns an empty set: sessions live in the store, not in this node.
     *
     * @return an empty set
     */
    @Override
    public Set<String> getTransientSessions() { return Set.of(); }

    /**
     * Returns an empty set: this bridge does not list the store's sessions.
     *
     * @return an empty set
     */
    @Override
    public Set<String> getActiveSessions() { return Set.of(); }

    /**
     * Returns an empty set: this bridge does not list the store's sessions.
     *
     * @return an empty set
     */
    @Override
    public Set<String> getAllSessions() { return Set.of(); }

    /**
     * Returns {@code null}: no statistics (meters come from the Cookies session manager's observer).
     *
     * @return {@code null}
     */
    @Override
    public SessionManagerStatistics getStatistics() { return null; }

    @Override
    public String toString() { return "SessionBridge[" + getDeploymentName() + "]"; }

    // ---- inside

    /** This bridge's state on a request, made on first use; the request-attribute map is concurrent. */
    private BridgedSession.Slot slot(HttpServerExchange exchange) {
        OpenSessions open = SessionHandler.sessions(exchange);
        Map<String, Object> attributes = exchange.getAttachment(SessionHandler.ATTRIBUTES);
        return (BridgedSession.Slot) attributes.computeIfAbsent(slotKey, k -> new BridgedSession.Slot(this, open, pick(open)));
    }

    private dev.cookies.Session pick(OpenSessions open) {
        if (sessionName != null) {
            return open.session(sessionName);
        }
        List<dev.cookies.Session> all = open.all();
        if (all.size() == 1) {
            return all.get(0);
        }
        for (dev.cookies.Session s : all) {
            if (s.name().equals("session")) {
                return s;
            }
        }
        throw new IllegalStateException("the request has several sessions and none is named 'session': choose one with "
                + "SessionBridge.builder().session(name)");
    }

    /** The registered type of an attribute, or {@code null}. */
    Registered type(String attribute) {
        return types.get(attribute);
    }

    /** Tells every listener, logging one that throws. */
    void fire(Consumer<SessionListener> call) {
        for (SessionListener listener : listeners) {
            try {
                call.accept(listener);
            } catch (RuntimeException | LinkageError e) {
                LOG.warn("an Undertow SessionListener failed; the request goes on", e);
            }
        }
    }

    /** An attribute's registered type: its class, for checks, and how a session converts to it. */
    record Registered(Class<?> raw, BiFunction<dev.cookies.Session, String, Optional<?>> read) {
    }

    /**
     * Undertow's session config for a Cookies session: the core sends, expires and reads the cookie,
     * so there is nothing to set or clear here.
     */
    private final class BridgeConfig implements SessionConfig {
        @Override public void setSessionId(HttpServerExchange exchange, String sessionId) { }
        @Override public void clearSession(HttpServerExchange exchange, String sessionId) { }
        @Override public String rewriteUrl(String originalUrl, String sessionId) { return originalUrl; }

        @Override
        public String findSessionId(HttpServerExchange exchange) {
            Session s = getSession(exchange, this);
            return s == null ? null : s.getId();
        }

        @Override
        public SessionCookieSource sessionCookieSource(HttpServerExchange exchange) {
            BridgedSession.Slot slot = slot(exchange);
            return slot.find() != null && !slot.session.isNew() ? SessionCookieSource.COOKIE : SessionCookieSource.NONE;
        }
    }

    /**
     * Builds a {@link SessionBridge}. Each setter checks its value at once.
     *
     * @since 0.2
     */
    public static final class Builder {
        private String sessionName;
        private final Map<String, Registered> types = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Chooses the Cookies session Undertow's API works on. Default: the request's only session, or
         * the one named {@code session}.
         *
         * @param name a session manager's name
         * @return this builder
         * @throws IllegalStateException if a session was already chosen
         * @throws NullPointerException if {@code name} is null
         */
        public Builder session(String name) {
            Objects.requireNonNull(name, "name");
            if (sessionName != null) {
                throw new IllegalStateException("session was already set to '" + sessionName + "'");
            }
            sessionName = name;
            return this;
        }

        /**
         * Registers an attribute's type: {@code getAttribute(name)} returns an instance of it, converted
         * from the session's JSON, and {@code setAttribute(name, value)} takes only instances of it.
         *
         * @param name the attribute's name
         * @param type its type, for example {@code Cart.class}
         * @return this builder
         * @throws IllegalStateException if the attribute was already registered
         * @throws IllegalArgumentException if the name is reserved
         * @throws NullPointerException if an argument is null
         */
        public Builder attribute(String name, Class<?> type) {
            Objects.requireNonNull(type, "type");
            return register(name, new Registered(type, (s, key) -> s.get(key, type)));
        }

        /**
         * Registers an attribute's generic type, for example {@code new TypeReference<Set<Long>>() {}}; as
         * {@link #attribute(String, Class)}, with instances checked against its raw class.
         *
         * @param name the attribute's name
         * @param type its type
         * @return this builder
         * @throws IllegalStateException if the attribute was already registered
         * @throws IllegalArgumentException if the name is reserved, or the type is not a class or a
         *     parameterized class
         * @throws NullPointerException if an argument is null
         */
        public Builder attribute(String name, TypeReference<?> type) {
            Objects.requireNonNull(type, "type");
            java.lang.reflect.Type t = type.getType();
            Object raw = t instanceof ParameterizedType ? ((ParameterizedType) t).getRawType() : t;
            if (!(raw instanceof Class)) {
                throw new IllegalArgumentException("attribute '" + name + "': " + t.getTypeName()
                        + " is not a class or a parameterized class");
            }
            return register(name, new Registered((Class<?>) raw, (s, key) -> s.get(key, type)));
        }

        private Builder register(String name, Registered registered) {
            Objects.requireNonNull(name, "name");
            if (name.equals(SessionData.RESERVED_KEY)) {
                throw new IllegalArgumentException("the attribute name '" + name + "' is reserved");
            }
            if (types.containsKey(name)) {
                throw new IllegalStateException("attribute '" + name + "' was already registered as "
                        + types.get(name).raw().getName());
            }
            types.put(name, registered);
            return this;
        }

        /**
         * Returns the bridge.
         *
         * @return the bridge, to register with Undertow as its {@link SessionManager}
         */
        public SessionBridge build() {
            return new SessionBridge(this);
        }
    }
}
