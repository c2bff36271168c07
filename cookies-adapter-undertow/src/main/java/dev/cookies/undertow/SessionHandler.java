package dev.cookies.undertow;

import dev.cookies.AuthSession;
import dev.cookies.OpenSessions;
import dev.cookies.Session;
import dev.cookies.Sessions;
import dev.cookies.spi.Exchange;
import io.undertow.io.AsyncSenderImpl;
import io.undertow.io.UndertowOutputStream;
import io.undertow.server.HandlerWrapper;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs the next handler with the request's sessions open, on a worker thread, and commits them just
 * before the response commits. Every session rule (what a commit saves and sends, how a store outage,
 * a session too large or a failed handler is answered) is the core's ({@link OpenSessions}); this
 * handler connects it to Undertow.
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
 * <p><b>Threads.</b> Session stores block (a Redis round trip, a lock wait), so a request that arrives on
 * an I/O thread is first dispatched to a worker thread; the sessions are opened and the next handler
 * runs there.
 *
 * <p><b>Commit.</b> Whatever commits the response (the {@link io.undertow.io.Sender}, the first flush or
 * full buffer of a blocking stream, {@code endExchange}, a redirect, an error page) first runs
 * {@link OpenSessions#beforeCommit()}, on the thread that commits it. A handler that returns without
 * responding is committed on the worker before Undertow ends the exchange. A handler that dispatches
 * (its own executor, an async callback) ends its sessions when the exchange completes.
 *
 * <p><b>Failures.</b> What the next handler throws goes to {@link OpenSessions#end(Throwable)}: the
 * core answers its own failures (503, 500) and the rest is rethrown for Undertow to answer.
 *
 * @since 0.1
 */
public final class SessionHandler implements HttpHandler {

    /**
     * The exchange attachment holding the request's attributes: each session under its name and the
     * {@link OpenSessions} under {@link OpenSessions#ATTRIBUTE}.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static final AttachmentKey<Map<String, Object>> ATTRIBUTES = (AttachmentKey) AttachmentKey.create(Map.class);

    private final Sessions sessions;
    private final HttpHandler next;

    /**
     * Wraps a handler; the application calls it once, when it builds its handler chain.
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
     * {@code Handlers}-style chains built by the application.
     *
     * @param sessions the application's session managers
     * @return the wrapper
     * @throws NullPointerException if {@code sessions} is null
     */
    public static HandlerWrapper wrapper(Sessions sessions) {
        Objects.requireNonNull(sessions, "sessions");
        return next -> new SessionHandler(sessions, next);
    }

    /**
     * Returns the sessions of a request; handlers behind a {@code SessionHandler} call it.
     *
     * @param exchange the request
     * @return its open sessions
     * @throws IllegalStateException if no {@code SessionHandler} opened sessions on it
     */
    public static OpenSessions sessions(HttpServerExchange exchange) {
        Map<String, Object> attributes = exchange.getAttachment(ATTRIBUTES);
        Object open = attributes == null ? null : attributes.get(OpenSessions.ATTRIBUTE);
        if (open instanceof OpenSessions) {
            return (OpenSessions) open;
        }
        throw new IllegalStateException("no sessions are open on this request: put a SessionHandler in front of this handler");
    }

    /**
     * Returns a session of a request; handlers behind a {@code SessionHandler} call it.
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
     * Returns the auth view of a session of a request (login, logout, current user); handlers behind a
     * {@code SessionHandler} call it.
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
     * Dispatches to a worker if needed, opens the sessions, runs the next handler and ends the sessions;
     * Undertow calls it once per request (twice when it dispatches from an I/O thread).
     *
     * @param exchange the request
     * @throws Exception what the next handler threw, unless the core answered it
     */
    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (exchange.isInIoThread()) {
            exchange.dispatch(this);
            return;
        }
        OpenSessions open = sessions.open(new UndertowExchange(exchange));
        exchange.addResponseCommitListener(ex -> open.beforeCommit());
        exchange.addDefaultResponseListener(ex -> answeredAtEnd(ex, open));
        try {
            next.handleRequest(exchange);
        } catch (Throwable failure) {
            if (!open.end(failure)) {
                throw failure;
            }
            return;
        }
        if (exchange.isDispatched() && !exchange.isComplete()) {
            exchange.addExchangeCompleteListener((ex, then) -> {
                try {
                    open.end(null);
                } finally {
                    then.proceed();
                }
            });
        } else {
            open.end(null);
        }
    }

    /**
     * Commits when {@code endExchange} starts (a redirect, an error page, a handler's own call), before
     * its response commits. Doing it here rather than only in the commit listener matters when saving
     * fails: {@code endExchange} catches what a commit listener throws, logs it as an error and closes the
     * connection, while a default response listener that returns {@code true} just stops it, the core's
     * answer having been sent.
     */
    private static boolean answeredAtEnd(HttpServerExchange exchange, OpenSessions open) {
        try {
            open.beforeCommit();
            return false;
        } catch (RuntimeException answered) {
            return exchange.isResponseStarted();
        }
    }

    /**
     * An Undertow exchange as the core sees it. Request headers are read raw, never through Undertow's
     * cookie parser, which throws on hostile headers; attributes live in the {@link #ATTRIBUTES} map.
     */
    static final class UndertowExchange implements Exchange {
        private final HttpServerExchange exchange;
        private final Map<String, Object> attributes;

        UndertowExchange(HttpServerExchange exchange) {
            this.exchange = exchange;
            Map<String, Object> existing = exchange.getAttachment(ATTRIBUTES);
            this.attributes = existing != null ? existing : new ConcurrentHashMap<>();
            exchange.putAttachment(ATTRIBUTES, attributes);
        }

        // What the core reads and writes, translated one to one.
        @Override public String method() { return exchange.getRequestMethod().toString(); }
        @Override public List<String> requestHeaders(String name) { return copy(exchange.getRequestHeaders().get(name)); }
        @Override public Optional<Object> attribute(String key) { return Optional.ofNullable(attributes.get(key)); }
        @Override public void setAttribute(String key, Object value) { attributes.put(key, value); }
        @Override public List<String> responseHeaders(String name) { return copy(exchange.getResponseHeaders().get(name)); }
        @Override public void addResponseHeader(String name, String value) {
            exchange.getResponseHeaders().add(HttpString.tryFromString(name), value);
        }
        @Override public boolean isCommitted() { return exchange.isResponseStarted() || exchange.isResponseComplete(); }

        @Override
        public String path() {
            String uri = exchange.getRequestURI();
            // An absolute-form request line (GET http://host/path) keeps its scheme and host in the URI.
            int slash = exchange.isHostIncludedInRequestURI() ? uri.indexOf('/', uri.indexOf("://") + 3) : 0;
            return slash < 0 ? "/" : uri.substring(slash);
        }

        @Override
        public void respond(int status, String contentType, String body) {
            if (exchange.isBlocking() && exchange.getOutputStream() instanceof UndertowOutputStream) {
                ((UndertowOutputStream) exchange.getOutputStream()).resetBuffer();
            }
            exchange.setStatusCode(status);
            HeaderMap headers = exchange.getResponseHeaders();
            headers.remove(Headers.CONTENT_LENGTH);
            headers.remove(Headers.CONTENT_ENCODING);
            headers.remove(Headers.LOCATION);
            headers.put(Headers.CONTENT_TYPE, contentType);
            // A sender of our own: this may run inside the application's Sender or stream, in the middle
            // of getting the response channel (the commit listener), and must not touch their state.
            new AsyncSenderImpl(exchange).send(body);
        }

        private static List<String> copy(List<String> values) {
            return values == null ? List.of() : List.copyOf(values);
        }
    }
}
