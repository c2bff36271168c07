package dev.cookies.servlet;

import dev.cookies.OpenSessions;
import dev.cookies.Session;
import dev.cookies.Sessions;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Objects;

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
 * <p>In {@code web.xml}, declare it without arguments and put the {@link Sessions} in the
 * {@code ServletContext} attribute {@value #SESSIONS_ATTRIBUTE} (from a {@code ServletContextListener}
 * or {@code ServletContainerInitializer}) before filters start; the init parameter
 * {@value #SESSIONS_ATTRIBUTE_PARAM} names another attribute.
 *
 * @since 0.1
 */
public final class SessionFilter implements Filter {

    /** The {@code ServletContext} attribute the no-argument filter reads its {@link Sessions} from. */
    public static final String SESSIONS_ATTRIBUTE = "dev.cookies.Sessions";

    /** The init parameter that names a different {@code ServletContext} attribute. */
    public static final String SESSIONS_ATTRIBUTE_PARAM = "sessions-attribute";

    private volatile Sessions sessions;

    /** For {@code web.xml}: the container creates the filter, and {@link #init} finds its sessions. */
    public SessionFilter() {
    }

    /**
     * Creates a filter for the given sessions; for registering it in code.
     *
     * @param sessions the application's sessions
     * @throws NullPointerException if {@code sessions} is null
     */
    public SessionFilter(Sessions sessions) {
        this.sessions = Objects.requireNonNull(sessions, "sessions");
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
     * Finds the sessions in the {@code ServletContext} if none were given to the constructor; called
     * by the container once, before the first request.
     *
     * @param config the filter's configuration
     * @throws ServletException if neither the constructor nor the context gave sessions
     */
    @Override
    public void init(FilterConfig config) throws ServletException {
        if (sessions != null) {
            return;
        }
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
            chain.doFilter(req, res);
            return;
        }
        if (sessions == null) {
            throw new ServletException("SessionFilter was not initialized: it has no Sessions");
        }
        SessionResponse wrapped = new SessionResponse(request, response);
        // An asynchronous dispatch finds the sessions its request opened.
        OpenSessions open = wrapped.open = sessions.open(wrapped);
        try {
            chain.doFilter(new SessionRequest(request, wrapped), wrapped);
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
}
