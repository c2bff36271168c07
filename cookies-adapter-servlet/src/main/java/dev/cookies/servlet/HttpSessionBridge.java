package dev.cookies.servlet;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.cookies.SessionEvent;
import dev.cookies.SessionListener;
import dev.cookies.SessionManager;
import dev.cookies.Sessions;
import dev.cookies.spi.SessionCodec;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpSessionAttributeListener;
import jakarta.servlet.http.HttpSessionIdListener;
import jakarta.servlet.http.HttpSessionListener;
import java.util.ArrayList;
import java.util.EventListener;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * How {@link SessionFilter} answers {@code request.getSession()}: with an {@code HttpSession} view of
 * one named Cookies session, so that code written against the Servlet API (and frameworks built on it,
 * such as Javalin's {@code ctx.sessionAttribute}) keeps its sessions in any Cookies store, and the
 * container never issues a {@code JSESSIONID}. On by default, for the application's only session or,
 * if it has several, the one named {@code session}.
 *
 * <pre>{@code
 * HttpSessionBridge bridge = HttpSessionBridge.builder()
 *         .session("session")                                     // which Cookies session
 *         .attributeType("user", User.class)                      // what getAttribute("user") returns
 *         .attributeType("cart", new TypeReference<List<Item>>() { })
 *         .build();
 * SessionManager manager = SessionManager.builder("session").store("redis://localhost:6379/0")
 *         .lockPolicy(LockPolicy.OFF)                             // HttpSession writes are unlocked by design
 *         .listener(bridge.expiryListener())                      // optional: sessionDestroyed on expiry
 *         .build();
 * context.addFilter(new FilterHolder(new SessionFilter(Sessions.of(manager), bridge)), "/*",
 *         EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC));
 * }</pre>
 *
 * <h2>What the view does</h2>
 * <ul>
 *   <li><b>Values are the session's values.</b> {@code setAttribute} stores through
 *       {@link dev.cookies.Session#put} (converted to JSON at once: a value that cannot be stored fails
 *       there, naming the attribute), as an unlocked write merged key by key at commit, so concurrent
 *       requests setting different attributes keep both.</li>
 *   <li><b>What {@code getAttribute} returns.</b> In the request that set it, the object given to
 *       {@code setAttribute}. Otherwise the stored value converted to the type registered for that
 *       attribute name with {@link Builder#attributeType}, or else its plain JSON form as a mutable copy
 *       ({@code String}, {@code Boolean}, {@code Integer}/{@code Long}/{@code Double}/big numbers,
 *       {@code ArrayList}, {@code LinkedHashMap}). No type is ever read from the data.</li>
 *   <li><b>Changes in place are written back</b> (unless {@link Builder#writeBackChanges(boolean)
 *       writeBackChanges(false)}): just before the session commits, each value this request handed
 *       out or was given whose JSON form changed since is stored again, as if {@code setAttribute} had
 *       been called (without attribute events). Values only read are never written.</li>
 *   <li><b>A session is created by {@code getSession()}</b>, as in a container: it is saved, and its
 *       cookie sent, even if it holds no attribute. It keeps a marker attribute for that,
 *       {@value #CREATED_KEY}, which the view hides. A WebSocket upgrade is the exception: its
 *       {@code 101} cannot carry a new session's cookie, so {@code getSession()} there gives an empty
 *       view that creates nothing by itself.</li>
 *   <li><b>Listeners</b> ({@code HttpSessionListener}, {@code HttpSessionAttributeListener},
 *       {@code HttpSessionIdListener}) registered in the {@code ServletContext} are called for what
 *       happens through the view; values that are {@code HttpSessionBindingListener}s are told when
 *       bound and unbound. On Jetty 12 ({@code ee10}) the filter finds the listeners registered the
 *       standard way; on other containers add them with {@link Builder#listener}. Expiry reaches
 *       {@code sessionDestroyed} through {@link #expiryListener()}, where the store reports it.</li>
 * </ul>
 *
 * <p>Its settings are immutable; thread-safe. One bridge may serve several filters, and tells the
 * listeners of each of their contexts of an expiry.
 *
 * @since 0.2
 */
public final class HttpSessionBridge {

    /** The {@code ServletContext} attribute the no-argument {@link SessionFilter} reads a bridge from. */
    public static final String CONTEXT_ATTRIBUTE = "dev.cookies.servlet.HttpSessionBridge";

    /**
     * The {@link SessionFilter} init parameter that names the session the bridge shows, or is
     * {@value #OFF} to leave {@code getSession()} to the container.
     */
    public static final String SESSION_PARAM = "http-session";

    /** The value of {@value #SESSION_PARAM} that turns the bridge off. */
    public static final String OFF = "off";

    /** The session key that marks a session created through {@code getSession()}; never an attribute. */
    public static final String CREATED_KEY = "__httpsession";

    private static final HttpSessionBridge DISABLED = new HttpSessionBridge(new Builder(), false);

    private final boolean on;
    private final String sessionName;
    /** Per attribute name: a {@code Class} or a {@code TypeReference}. */
    private final Map<String, Object> types;
    private final List<EventListener> listeners;
    private final boolean writeBack;
    private final SessionCodec codec;
    /** The contexts of the filters that run this bridge, for the listeners of an expiry. */
    private final List<Bound> bound = new CopyOnWriteArrayList<>();

    private HttpSessionBridge(Builder b, boolean on) {
        this.on = on;
        this.sessionName = b.sessionName;
        this.types = Map.copyOf(b.types);
        this.listeners = List.copyOf(b.listeners);
        this.writeBack = b.writeBack;
        this.codec = b.codec;
    }

    /**
     * Returns a new default bridge: on, for the application's only session or the one named
     * {@code session}, no attribute types, changes in place written back. A new one each time, since a
     * bridge records the contexts it runs in (for {@link #expiryListener()}): give the same one to the
     * filter and to the manager's builder.
     *
     * @return a new default bridge
     */
    public static HttpSessionBridge defaults() {
        return new Builder().build();
    }

    /**
     * Returns a bridge that is off: {@code getSession()} and the other session methods of the request
     * are the container's own (and so is its {@code JSESSIONID}).
     *
     * @return the shared off switch
     */
    public static HttpSessionBridge off() {
        return DISABLED;
    }

    /**
     * Starts a bridge.
     *
     * @return a builder with the defaults of {@link #defaults()}
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns whether {@code getSession()} is answered by the bridge.
     *
     * @return {@code false} only for {@link #off()}
     */
    public boolean isOn() {
        return on;
    }

    /**
     * Returns the name of the session the bridge shows, if one was set.
     *
     * @return the name, or empty for the default choice
     */
    public Optional<String> sessionName() {
        return Optional.ofNullable(sessionName);
    }

    /**
     * Returns a core listener that tells the {@code HttpSessionListener}s of every context this bridge
     * runs in when a session expires: add it to the bridged manager's builder
     * ({@link SessionManager.Builder#listener}). Only expiries the core reports are told (a session
     * found past its lifetime when loaded, or one its store reports through
     * {@link dev.cookies.spi.ServerSideStore#onExpiry}); a client-side session (the cookie store)
     * expires in the browser, unseen. The {@code HttpSession} given to {@code sessionDestroyed} has no
     * attributes left and its {@code getId()} is the event's handle, not the id (the core never hands
     * an id to listeners).
     *
     * @return the listener
     */
    public SessionListener expiryListener() {
        return this::expired;
    }

    // ---- inside the adapter

    /** Picks the manager this bridge shows, or {@code null} if the choice is ambiguous. */
    SessionManager resolve(Sessions sessions) {
        if (sessionName != null) {
            return sessions.manager(sessionName);
        }
        List<SessionManager> all = sessions.managers();
        if (all.size() == 1) {
            return all.get(0);
        }
        for (SessionManager m : all) {
            if (m.name().equals("session")) {
                return m;
            }
        }
        return null;
    }

    /** The type registered for an attribute: a {@code Class}, a {@code TypeReference}, or {@code null}. */
    Object typeOf(String attribute) {
        return types.get(attribute);
    }

    boolean writeBack() {
        return writeBack;
    }

    SessionCodec codec() {
        return codec;
    }

    List<EventListener> ownListeners() {
        return listeners;
    }

    /** Records a context this bridge runs in (a filter's init) and returns the handle its destroy gives back. */
    Object bind(ServletContext context, String managerName) {
        Bound b = new Bound(context, managerName);
        bound.add(b);
        return b;
    }

    void unbind(Object handle) {
        bound.remove(handle);
    }

    private void expired(SessionEvent event) {
        if (event.kind() != SessionEvent.Kind.EXPIRED) {
            return;
        }
        for (Bound b : bound) {
            if (b.managerName == null || b.managerName.equals(event.sessionName())) {
                Listeners listeners = Listeners.of(b.context, this.listeners);
                listeners.destroyed(new ExpiredSession(event, b.context));
            }
        }
    }

    private record Bound(ServletContext context, String managerName) {
    }

    @Override
    public String toString() {
        return on ? "HttpSessionBridge[" + (sessionName == null ? "default session" : sessionName) + "]"
                : "HttpSessionBridge[off]";
    }

    /**
     * Builds an {@link HttpSessionBridge}; each setter checks its value at once.
     *
     * @since 0.2
     */
    public static final class Builder {
        private String sessionName;
        private final Map<String, Object> types = new LinkedHashMap<>();
        private final List<EventListener> listeners = new ArrayList<>();
        private boolean writeBack = true;
        private SessionCodec codec = SessionCodec.json();

        private Builder() {
        }

        /**
         * Names the Cookies session the {@code HttpSession} shows. Default: the application's only
         * session, or, among several, the one named {@code session}; with neither,
         * {@code getSession()} fails, asking for this setting.
         *
         * @param name a session manager's name
         * @return this builder
         * @throws IllegalArgumentException if the name is empty
         * @throws NullPointerException if {@code name} is null
         */
        public Builder session(String name) {
            Objects.requireNonNull(name, "session");
            if (name.isBlank()) {
                throw new IllegalArgumentException("session: the name must not be empty");
            }
            this.sessionName = name;
            return this;
        }

        /**
         * Says what {@code getAttribute(name)} returns for an attribute, in the requests after the one
         * that set it: the stored value converted to {@code type} by the session's codec. Without it,
         * the value comes back as plain JSON types (a record as a {@code Map}).
         *
         * @param name the attribute name
         * @param type the type, for example {@code User.class}
         * @return this builder
         * @throws IllegalArgumentException if a type was already set for {@code name}
         * @throws NullPointerException if an argument is null
         */
        public Builder attributeType(String name, Class<?> type) {
            return putType(name, Objects.requireNonNull(type, "type"));
        }

        /**
         * Says what {@code getAttribute(name)} returns for an attribute of a generic type, for example
         * {@code new TypeReference<List<Item>>() { }}.
         *
         * @param name the attribute name
         * @param type the type
         * @return this builder
         * @throws IllegalArgumentException if a type was already set for {@code name}
         * @throws NullPointerException if an argument is null
         */
        public Builder attributeType(String name, TypeReference<?> type) {
            return putType(name, Objects.requireNonNull(type, "type"));
        }

        private Builder putType(String name, Object type) {
            Objects.requireNonNull(name, "name");
            if (name.equals(CREATED_KEY)) {
                throw new IllegalArgumentException("attributeType: '" + CREATED_KEY + "' is the bridge's own key");
            }
            Object before = types.putIfAbsent(name, type);
            if (before != null) {
                throw new IllegalArgumentException("attributeType: '" + name + "' was already set to "
                        + (before instanceof Class<?> c ? c.getName() : ((TypeReference<?>) before).getType().getTypeName()));
            }
            return this;
        }

        /**
         * Adds a listener called for the bridge's sessions, besides those the filter finds in the
         * {@code ServletContext}: for containers where it cannot list them (any but Jetty 12 {@code ee10}).
         *
         * @param listener an {@code HttpSessionListener}, {@code HttpSessionAttributeListener} or
         *     {@code HttpSessionIdListener}
         * @return this builder
         * @throws IllegalArgumentException if it is none of those
         * @throws NullPointerException if {@code listener} is null
         */
        public Builder listener(EventListener listener) {
            Objects.requireNonNull(listener, "listener");
            if (!(listener instanceof HttpSessionListener) && !(listener instanceof HttpSessionAttributeListener)
                    && !(listener instanceof HttpSessionIdListener)) {
                throw new IllegalArgumentException("listener: " + listener.getClass().getName() + " is not an "
                        + "HttpSessionListener, HttpSessionAttributeListener or HttpSessionIdListener");
            }
            listeners.add(listener);
            return this;
        }

        /**
         * Sets whether values changed in place (an object from {@code getAttribute}, or one given to
         * {@code setAttribute}, changed afterwards in the same request) are stored again just before
         * the session commits. Default {@code true}, as live objects in a container would be; with
         * {@code false}, only {@code setAttribute} writes.
         *
         * @param writeBack whether to write changed values back
         * @return this builder
         */
        public Builder writeBackChanges(boolean writeBack) {
            this.writeBack = writeBack;
            return this;
        }

        /**
         * Sets the codec the bridge uses to tell whether a value changed in place: give it the same one
         * (or the same {@code ObjectMapper}, through {@link SessionCodec#json(com.fasterxml.jackson.databind.ObjectMapper)})
         * as the session manager when that has its own. Default {@link SessionCodec#json()}, the
         * managers' default. Values it cannot write are not written back.
         *
         * @param codec the codec
         * @return this builder
         * @throws NullPointerException if {@code codec} is null
         */
        public Builder codec(SessionCodec codec) {
            this.codec = Objects.requireNonNull(codec, "codec");
            return this;
        }

        /**
         * Returns the bridge.
         *
         * @return a bridge that is on
         */
        public HttpSessionBridge build() {
            return new HttpSessionBridge(this, true);
        }
    }
}
