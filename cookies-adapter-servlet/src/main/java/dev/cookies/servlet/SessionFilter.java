package dev.cookies.servlet;

import dev.cookies.OpenSessions;
import dev.cookies.Session;
import dev.cookies.SessionManager;
import dev.cookies.Sessions;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Opens the application's sessions on each request, commits them just before the response commits,
 * whichever way it commits, and ends the request in the core when the handler is done. Every rule
 * (which cookies to send, what a failed handler keeps, the answer to a store outage or a session too
 * large) is the core's ({@link OpenSessions}); this filter only tells it when.
 *
 * <pre>{@code
 * Session session = SessionFilter.session(request, "session");   // also request.getAttribute("session")
 * session.update(s -> s.put("count", s.get("count", Integer.class).orElse(0) + 1));
 * }</pre>
 *
 * <p>Map it to {@code /*} before every filter and servlet that uses sessions, for the {@code REQUEST}
 * and {@code ASYNC} dispatcher types (forward, include and error dispatches pass through it untouched).
 * The sessions are committed before the first byte, flush or close of the body (stream or writer, so a
 * body larger than the buffer is covered), {@code flushBuffer}, {@code sendRedirect},
 * {@code sendError}, the {@code AsyncContext}'s {@code complete()}, an asynchronous timeout or error,
 * and otherwise at the end of the chain. Once they are committed a session can no longer change on
 * that request: touch it before writing the body.
 *
 * <p>{@code request.getSession()} answers with an {@code HttpSession} view of one Cookies session
 * (the application's only one, or the one named {@code session}), so code written against the Servlet
 * API keeps working on any Cookies store and the container never issues a {@code JSESSIONID}; see
 * {@link HttpSessionBridge} for what carries over, how to choose another session, and how to turn it
 * off.
 *
 * <p>In {@code web.xml}, declare it without arguments and put the {@link Sessions} in the
 * {@code ServletContext} attribute {@value #SESSIONS_ATTRIBUTE} (from a {@code ServletContextListener}
 * or {@code ServletContainerInitializer}) before filters start; the init parameter
 * {@value #SESSIONS_ATTRIBUTE_PARAM} names another attribute. The {@code HttpSession} bridge comes from
 * the {@code ServletContext} attribute {@value HttpSessionBridge#CONTEXT_ATTRIBUTE} if set, else from
 * the init parameter {@value HttpSessionBridge#SESSION_PARAM} (a session's name, or
 * {@value HttpSessionBridge#OFF}), else {@link HttpSessionBridge#defaults()}.
 *
 * @since 0.1
 */
public final class SessionFilter implements Filter {

    /** The {@code ServletContext} attribute the no-argument filter reads its {@link Sessions} from. */
    public static final String SESSIONS_ATTRIBUTE = "dev.cookies.Sessions";

    /** The init parameter that names a different {@code ServletContext} attribute. */
    public static final String SESSIONS_ATTRIBUTE_PARAM = "sessions-attribute";

    private volatile Sessions sessions;
    private volatile HttpSessionBridge bridge;
    /** The manager the bridge shows, or {@code null} when the choice is ambiguous or the bridge is off. */
    private volatile SessionManager bridged;
    private volatile ServletContext context;
    private volatile Object binding;

    /** For {@code web.xml}: the container creates the filter, and {@link #init} finds its sessions. */
    public SessionFilter() {
    }

    /**
     * Creates a filter for the given sessions, with the default {@code HttpSession} bridge
     * ({@link HttpSessionBridge#defaults()}); for registering it in code.
     *
     * @param sessions the application's sessions
     * @throws NullPointerException if {@code sessions} is null
     */
    public SessionFilter(Sessions sessions) {
        this(sessions, HttpSessionBridge.defaults());
    }

    /**
     * Creates a filter for the given sessions and {@code HttpSession} bridge; for registering it in code.
     *
     * @param sessions the application's sessions
     * @param bridge how {@code request.getSession()} is answered, or {@link HttpSessionBridge#off()}
     * @throws IllegalArgumentException if the bridge names a session that {@code sessions} lacks
     * @throws NullPointerException if an argument is null
     */
    public SessionFilter(Sessions sessions, HttpSessionBridge bridge) {
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.bridge = Objects.requireNonNull(bridge, "bridge");
        this.bridged = bridged(sessions, bridge);
    }

    private static SessionManager bridged(Sessions sessions, HttpSessionBridge bridge) {
        if (!bridge.isOn()) {
            return null;
        }
        try {
            return bridge.resolve(sessions);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("HttpSessionBridge: no session is named '" + bridge.sessionName().orElse("")
                    + "'; the sessions are " + names(sessions), e);
        }
    }

    private static String names(Sessions sessions) {
        return sessions.managers().stream().map(SessionManager::name).toList().toString();
    }

    /**
     * Returns a session of a request; called by handlers, filters and error pages behind this filter.
     *
     * @param request the request, as the handler got it
     * @param name the session manager's name, for example {@code "session"}
     * @return the session
     * @throws IllegalArgumentException if no manager has that name
     * @throws IllegalStateException if no {@code SessionFilter} opened the request's sessions
     */
    public static Session session(HttpServletRequest request, String name) {
        return openSessions(request).session(name);
    }

    /**
     * Returns every session of a request and its lifecycle; called by the guards behind this filter
     * and by adapters built on it (the Javalin plugin). Handlers need only {@link #session}.
     *
     * @param request the request
     * @return the sessions this filter opened on it
     * @throws IllegalStateException if no {@code SessionFilter} opened the request's sessions
     */
    public static OpenSessions openSessions(ServletRequest request) {
        Object open = request.getAttribute(OpenSessions.ATTRIBUTE);
        if (!(open instanceof OpenSessions)) {
            throw new IllegalStateException("no Cookies sessions are open on this request: map SessionFilter to /* "
                    + "in front of every filter and servlet that uses them, for the same dispatcher types");
        }
        return (OpenSessions) open;
    }

    /**
     * Finds the sessions and the {@code HttpSession} bridge in the {@code ServletContext} and the init
     * parameters if none were given to the constructor, and has the bridge tell this context's listeners
     * of expiries; called by the container once, before the first request.
     *
     * @param config the filter's configuration
     * @throws ServletException if neither the constructor nor the context gave sessions, or the bridge's
     *     settings are wrong
     */
    @Override
    public void init(FilterConfig config) throws ServletException {
        context = config.getServletContext();
        if (sessions == null) {
            String param = config.getInitParameter(SESSIONS_ATTRIBUTE_PARAM);
            String attribute = param == null || param.isBlank() ? SESSIONS_ATTRIBUTE : param.trim();
            Object found = config.getServletContext().getAttribute(attribute);
            if (!(found instanceof Sessions)) {
                throw new ServletException("SessionFilter '" + config.getFilterName() + "' found no dev.cookies.Sessions in the "
                        + "ServletContext attribute '" + attribute + "' (found " + (found == null ? "nothing" : found.getClass().getName())
                        + "); set it from a ServletContextListener or ServletContainerInitializer before filters start, "
                        + "or construct new SessionFilter(sessions)");
            }
            sessions = (Sessions) found;
            bridge = bridgeFrom(config);
            try {
                bridged = bridged(sessions, bridge);
            } catch (IllegalArgumentException e) {
                throw new ServletException("SessionFilter '" + config.getFilterName() + "': " + e.getMessage(), e);
            }
        }
        if (bridge.isOn()) {
            binding = bridge.bind(context, bridged == null ? null : bridged.name());
        }
    }

    /** The bridge of a filter declared in web.xml: the context attribute's, else the init parameter's. */
    private static HttpSessionBridge bridgeFrom(FilterConfig config) throws ServletException {
        Object attribute = config.getServletContext().getAttribute(HttpSessionBridge.CONTEXT_ATTRIBUTE);
        String param = config.getInitParameter(HttpSessionBridge.SESSION_PARAM);
        param = param == null || param.isBlank() ? null : param.trim();
        if (attribute != null) {
            if (!(attribute instanceof HttpSessionBridge)) {
                throw new ServletException("SessionFilter '" + config.getFilterName() + "': the ServletContext attribute '"
                        + HttpSessionBridge.CONTEXT_ATTRIBUTE + "' holds a " + attribute.getClass().getName()
                        + ", not an HttpSessionBridge");
            }
            if (param != null) {
                throw new ServletException("SessionFilter '" + config.getFilterName() + "': both the ServletContext attribute '"
                        + HttpSessionBridge.CONTEXT_ATTRIBUTE + "' and the init parameter '" + HttpSessionBridge.SESSION_PARAM
                        + "' configure the HttpSession bridge; keep one");
            }
            return (HttpSessionBridge) attribute;
        }
        if (param == null) {
            return HttpSessionBridge.defaults();
        }
        return param.equals(HttpSessionBridge.OFF) ? HttpSessionBridge.off() : HttpSessionBridge.builder().session(param).build();
    }

    /**
     * Stops telling this context's listeners of expiries; called by the container once, when the filter
     * is taken out of service.
     */
    @Override
    public void destroy() {
        Object b = binding;
        if (b != null) {
            bridge.unbind(b);
            binding = null;
        }
    }

    /**
     * Opens the sessions, runs the chain with a request and response that commit them in time, and
     * ends the request in the core, unless an asynchronous cycle goes on (its completion ends it).
     * Forward, include and error dispatches pass through: the dispatch that opened the sessions ends
     * them. Called by the container for each request.
     *
     * @throws IOException as the chain throws it, unless the core answered it
     * @throws ServletException as the chain throws it, unless the core answered it
     */
    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        DispatcherType type = req.getDispatcherType();
        if ((type != DispatcherType.REQUEST && type != DispatcherType.ASYNC)
                || !(req instanceof HttpServletRequest request) || !(res instanceof HttpServletResponse response)) {
            Supplier<BridgeState> state = req instanceof HttpServletRequest r ? dispatchedState(r) : null;
            // A forward, include or error dispatch of a request this filter opened keeps the Cookies HttpSession.
            chain.doFilter(state != null ? new BridgeRequest((HttpServletRequest) req, state) : req, res);
            return;
        }
        if (sessions == null) {
            throw new ServletException("SessionFilter was not initialized: it has no Sessions");
        }
        SessionResponse wrapped = new SessionResponse(request, response);
        // An asynchronous dispatch finds the sessions its request opened.
        OpenSessions open = wrapped.open = sessions.open(wrapped);
        Supplier<BridgeState> state = bridgeOn() ? () -> bridgeState(request, open) : null;
        try {
            chain.doFilter(new SessionRequest(request, wrapped, state), wrapped);
        } catch (IOException | ServletException | RuntimeException e) {
            if (!open.end(e)) {
                throw e;
            }
            return;
        }
        if (!request.isAsyncStarted()) {
            open.end(null);
        }
    }

    /**
     * The HttpSession side of a forward, include or error dispatch: the one its request made, or, if
     * none was made yet, one made on first use for the sessions this filter opened; {@code null} for a
     * request this filter did not open, or when the bridge is off.
     */
    private Supplier<BridgeState> dispatchedState(HttpServletRequest request) {
        BridgeState made = BridgeState.of(request);
        if (made != null) {
            return () -> made;
        }
        Object open = request.getAttribute(OpenSessions.ATTRIBUTE);
        return bridgeOn() && open instanceof OpenSessions o ? () -> bridgeState(request, o) : null;
    }

    private boolean bridgeOn() {
        return bridge != null && bridge.isOn();
    }

    /** The request's HttpSession side: the one an earlier use or dispatch made, or a new one. */
    private BridgeState bridgeState(HttpServletRequest request, OpenSessions open) {
        synchronized (open) { // two threads of one asynchronous request make one
            BridgeState state = BridgeState.of(request);
            if (state == null) {
                ServletContext servletContext = context != null ? context : request.getServletContext();
                state = new BridgeState(bridge, bridged, open, servletContext, request);
                request.setAttribute(BridgeState.ATTRIBUTE, state);
                state.registerWriteBack();
            }
            return state;
        }
    }
}
