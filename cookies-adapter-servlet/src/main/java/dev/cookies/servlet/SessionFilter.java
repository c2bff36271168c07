package dev.cookies.servlet;

import dev.cookies.OpenSessions;
import dev.cookies.Sessions;
import dev.cookies.spi.AdapterSupport;
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
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the application's sessions on each request and commits them just before the response
 * commits, whichever way it commits: the end of the chain, a flush, the first byte of the body (so a
 * body larger than the buffer is covered), {@code sendRedirect}, {@code sendError}, or the end of an
 * asynchronous cycle. Each session is a request attribute under its name:
 *
 * <pre>{@code
 * Session session = (Session) request.getAttribute("session");   // or manager.session(request)
 * session.update(s -> s.put("count", s.get("count", Integer.class).orElse(0) + 1));
 * }</pre>
 *
 * <p>Map it to {@code /*} before every filter and servlet that uses sessions, for the {@code REQUEST},
 * {@code ASYNC} and {@code ERROR} dispatcher types. A session store that is down or a lock that cannot
 * be had gives a {@code 503} with {@link AdapterSupport#UNAVAILABLE_BODY}; other failures go on to the
 * container. Once the body has started the session can no longer change on that request: touch it
 * before writing.
 *
 * <p>In {@code web.xml}, declare it without arguments and put the {@link Sessions} in the
 * {@code ServletContext} attribute {@value #SESSIONS_ATTRIBUTE} (from a
 * {@code ServletContextListener} or {@code ServletContainerInitializer}) before filters start; the
 * init parameter {@value #SESSIONS_ATTRIBUTE_PARAM} names another attribute.
 *
 * @since 0.1
 */
public final class SessionFilter implements Filter {

    /** The {@code ServletContext} attribute the no-argument filter reads its {@link Sessions} from. */
    public static final String SESSIONS_ATTRIBUTE = "dev.cookies.Sessions";

    /** The init parameter that names a different {@code ServletContext} attribute. */
    public static final String SESSIONS_ATTRIBUTE_PARAM = "sessions-attribute";

    static final Logger LOG = LoggerFactory.getLogger(SessionFilter.class);


    private volatile Sessions sessions;

    /** For {@code web.xml}: the sessions come from the {@code ServletContext} in {@link #init}. */
    public SessionFilter() {
    }

    /**
     * Creates a filter for the given sessions.
     *
     * @param sessions the application's sessions
     * @throws NullPointerException if {@code sessions} is null
     */
    public SessionFilter(Sessions sessions) {
        this.sessions = Objects.requireNonNull(sessions, "sessions");
    }

    /**
     * Finds the sessions in the {@code ServletContext} if none were given to the constructor.
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
     * commits them at the end unless an asynchronous cycle goes on.
     */
    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        Sessions all = sessions;
        if (all == null) {
            throw new ServletException("SessionFilter was not initialized: it has no Sessions");
        }
        DispatcherType type = req.getDispatcherType();
        boolean nested = type == DispatcherType.FORWARD || type == DispatcherType.INCLUDE
                || (type == DispatcherType.REQUEST && req.getAttribute(OpenSessions.ATTRIBUTE) != null);
        if (nested || !(req instanceof HttpServletRequest request) || !(res instanceof HttpServletResponse response)) {
            chain.doFilter(req, res); // the invocation that opened the sessions commits them
            return;
        }
        OpenSessions open = all.open(new ServletRequestContext(request));
        SessionResponse wrapped = new SessionResponse(response, open);
        try {
            chain.doFilter(new SessionRequest(request, wrapped, response), wrapped);
        } catch (IOException | ServletException | RuntimeException e) {
            if (!answerUnavailable(response, e)) {
                throw e;
            }
            return;
        }
        if (!request.isAsyncStarted()) {
            commitOrAnswer(wrapped, response);
        }
    }

    /**
     * Commits at the end of the chain or of an async cycle. If the response was already committed
     * behind the wrapper's back, what can be saved is saved and the lost cookie is logged; if the
     * store is down and the response is still open, the answer becomes a 503.
     */
    static void commitOrAnswer(SessionResponse wrapped, HttpServletResponse response) {
        if (wrapped.sessionsCommitted()) {
            return;
        }
        boolean late = response.isCommitted();
        try {
            wrapped.commitSessions();
        } catch (RuntimeException e) {
            if (late) {
                logLate(e);
                return;
            }
            boolean answered;
            try {
                answered = answerUnavailable(response, e);
            } catch (IOException io) {
                e.addSuppressed(io);
                throw e;
            }
            if (!answered) {
                throw e;
            }
        }
    }

    /** After an async cycle ended without committing the sessions (the response is already out). */
    static void commitLate(SessionResponse wrapped) {
        if (wrapped.sessionsCommitted()) {
            return;
        }
        try {
            wrapped.commitSessions();
        } catch (RuntimeException e) {
            logLate(e);
        }
    }

    private static void logLate(RuntimeException e) {
        LOG.error("Cookies: the response was committed before its sessions, behind the SessionFilter's back (a handler "
                + "or filter wrote to the unwrapped response, or completed an async cycle through the container's own "
                + "AsyncContext). Changes that needed no cookie were saved; this one could not be sent: {}", e.toString(), e);
    }

    /**
     * Answers 503 with the short JSON body if the failure is a session store or lock being unavailable
     * and the response can still change.
     *
     * @return whether it answered
     */
    static boolean answerUnavailable(HttpServletResponse response, Throwable failure) throws IOException {
        if (AdapterSupport.statusFor(failure) != 503 || response.isCommitted()) {
            return false;
        }
        AdapterSupport.logUnavailable(failure);
        byte[] body = AdapterSupport.UNAVAILABLE_BODY.getBytes(StandardCharsets.UTF_8);
        response.reset();
        response.setStatus(503);
        response.setContentType(AdapterSupport.JSON);
        response.setContentLength(body.length);
        try {
            response.getOutputStream().write(body);
        } catch (IllegalStateException writerInUse) {
            response.getWriter().write(AdapterSupport.UNAVAILABLE_BODY);
        }
        response.flushBuffer();
        return true;
    }
}
