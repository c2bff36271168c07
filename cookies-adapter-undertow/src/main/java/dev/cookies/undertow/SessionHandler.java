package dev.cookies.undertow;

import dev.cookies.AuthSession;
import dev.cookies.OpenSessions;
import dev.cookies.Session;
import dev.cookies.Sessions;
import dev.cookies.spi.AdapterSupport;
import io.undertow.io.UndertowOutputStream;
import io.undertow.server.HandlerWrapper;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.Headers;
import java.io.OutputStream;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the next handler with the request's sessions open, on a worker thread, and commits them just
 * before the response commits.
 *
 * <pre>{@code
 * Undertow.builder()
 *         .addHttpListener(8080, "localhost")
 *         .setHandler(new SessionHandler(sessions, routes))
 *         .build()
 *         .start();
 * // in a handler:
 * Session session = SessionHandler.session(exchange, "session");
 * }</pre>
 *
 * <p><b>Threads.</b> Session stores block (a Redis round trip, a lock wait), so this handler first
 * dispatches a request that arrives on an I/O thread to a worker thread; the sessions are opened and
 * the next handler runs there. Its response then commits there too, whether it writes a blocking
 * stream, uses the {@link io.undertow.io.Sender}, redirects or ends the exchange; a request that
 * returns without responding is committed on the worker before Undertow ends it. A handler that hands
 * the exchange back to an I/O thread and responds from there (an async callback) makes the commit run
 * on that I/O thread: do session work on a worker, and dispatch back to one before responding. The
 * first such commit is logged as a warning.
 *
 * <p><b>Failures.</b> A {@link dev.cookies.SessionUnavailableException} anywhere in the cause chain of
 * what the next handler or the commit threw (store down, lock wait exceeded) is answered with 503 and
 * {@link AdapterSupport#UNAVAILABLE_BODY} as {@code application/json}, if the response has not started;
 * anything else is rethrown to Undertow, which answers 500.
 *
 * @since 0.1
 */
public final class SessionHandler implements HttpHandler {

    /**
     * The exchange attachment holding the request's attributes: each session under its name and the
     * {@link OpenSessions} under {@link OpenSessions#ATTRIBUTE}.
     */
    public static final AttachmentKey<Map<String, Object>> ATTRIBUTES = ExchangeContext.ATTRIBUTES;

    private static final Logger LOG = LoggerFactory.getLogger(SessionHandler.class);

    private final Sessions sessions;
    private final HttpHandler next;
    private final AtomicBoolean warnedIoThread = new AtomicBoolean();

    /**
     * Wraps a handler.
     *
     * @param sessions the application's session managers
     * @param next the application
     * @throws NullPointerException if an argument is null
     */
    public SessionHandler(Sessions sessions, HttpHandler next) {
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.next = Objects.requireNonNull(next, "next");
    }

    /**
     * Returns a wrapper that puts a {@code SessionHandler} in front of a handler, for
     * {@code Handlers}-style chains.
     *
     * @param sessions the application's session managers
     * @return the wrapper
     */
    public static HandlerWrapper wrapper(Sessions sessions) {
        Objects.requireNonNull(sessions, "sessions");
        return next -> new SessionHandler(sessions, next);
    }

    /**
     * Returns the sessions of a request.
     *
     * @param exchange the request
     * @return its open sessions
     * @throws IllegalStateException if no {@code SessionHandler} opened sessions on it
     */
    public static OpenSessions sessions(HttpServerExchange exchange) {
        Map<String, Object> attributes = exchange.getAttachment(ATTRIBUTES);
        Object open = attributes == null ? null : attributes.get(OpenSessions.ATTRIBUTE);
        if (!(open instanceof OpenSessions)) {
            throw new IllegalStateException("no sessions are open on this request: put a SessionHandler in front of "
                    + "this handler");
        }
        return (OpenSessions) open;
    }

    /**
     * Returns a session of a request.
     *
     * @param exchange the request
     * @param name the session manager's name, for example {@code "session"}
     * @return the session
     * @throws IllegalStateException if no {@code SessionHandler} opened sessions on the request
     * @throws IllegalArgumentException if no manager has that name
     */
    public static Session session(HttpServerExchange exchange, String name) {
        return sessions(exchange).session(name);
    }

    /**
     * Returns the auth view of a session of a request.
     *
     * @param exchange the request
     * @param name the auth session manager's name, for example {@code "auth"}
     * @return the auth session
     * @throws IllegalStateException if no {@code SessionHandler} opened sessions on the request
     * @throws IllegalArgumentException if no manager has that name
     */
    public static AuthSession auth(HttpServerExchange exchange, String name) {
        return AuthSession.of(session(exchange, name));
    }

    /**
     * Dispatches to a worker if needed, opens the sessions, runs the next handler and commits.
     *
     * @param exchange the request
     * @throws Exception what the next handler threw, unless answered with 503
     */
    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (exchange.isInIoThread()) {
            exchange.dispatch(this);
            return;
        }
        ExchangeContext context = new ExchangeContext(exchange);
        OpenSessions open = sessions.open(context);
        exchange.addResponseCommitListener(ex -> beforeCommit(ex, open));
        try {
            next.handleRequest(exchange);
            if (!exchange.isResponseStarted() && !exchange.isDispatched()) {
                // Undertow ends the exchange when this returns; commit here, on the worker.
                open.commit(context);
            }
        } catch (Exception e) {
            fail(exchange, open, e);
        }
    }

    private void beforeCommit(HttpServerExchange exchange, OpenSessions open) {
        if (open.isCommitted()) {
            return;
        }
        if (exchange.isInIoThread() && warnedIoThread.compareAndSet(false, true)) {
            LOG.warn("Sessions are committed on an I/O thread because the response was sent from one, so store "
                    + "calls may block it; dispatch to a worker (exchange.dispatch) before using sessions or "
                    + "responding. Logged once per SessionHandler.");
        }
        open.commit(new ExchangeContext(exchange));
    }

    private static void fail(HttpServerExchange exchange, OpenSessions open, Exception e) throws Exception {
        if (!open.isCommitted()) {
            // What was changed before the failure still gets its cookie, on the worker.
            try {
                open.commit(new ExchangeContext(exchange));
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
        }
        if (AdapterSupport.statusFor(e) != 503 || exchange.isResponseStarted() || !discardBufferedBody(exchange)) {
            throw e;
        }
        AdapterSupport.logUnavailable(e);
        exchange.setStatusCode(503);
        exchange.getResponseHeaders().remove(Headers.CONTENT_LENGTH);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, AdapterSupport.JSON);
        exchange.getResponseSender().send(AdapterSupport.UNAVAILABLE_BODY);
    }

    /** Drops what a blocking handler wrote into the output buffer before its flush failed. */
    private static boolean discardBufferedBody(HttpServerExchange exchange) {
        if (!exchange.isBlocking()) {
            return true;
        }
        OutputStream out = exchange.getOutputStream();
        if (out instanceof UndertowOutputStream) {
            try {
                ((UndertowOutputStream) out).resetBuffer();
            } catch (IllegalStateException alreadyWritten) {
                return false;
            }
        }
        return true;
    }
}
