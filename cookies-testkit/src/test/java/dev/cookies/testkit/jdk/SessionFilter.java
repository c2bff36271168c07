package dev.cookies.testkit.jdk;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpPrincipal;
import dev.cookies.AuthSession;
import dev.cookies.OpenSessions;
import dev.cookies.Session;
import dev.cookies.Sessions;
import dev.cookies.spi.AdapterSupport;
import dev.cookies.spi.CookieJar;
import dev.cookies.spi.RequestContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Cookies adapter for the JDK's {@code com.sun.net.httpserver}, written only on the SPI: the test
 * kit's own reference adapter. Add it to a context with {@code context.getFilters().add(new
 * SessionFilter(sessions))}; handlers find each session as the exchange attribute under its name, and
 * {@link #loginRequired} guards a handler.
 */
public final class SessionFilter extends Filter {

    private final Sessions sessions;

    /**
     * Creates the filter.
     *
     * @param sessions the application's sessions
     */
    public SessionFilter(Sessions sessions) {
        this.sessions = sessions;
    }

    @Override
    public String description() {
        return "Cookies sessions";
    }

    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        SessionExchange wrapped = new SessionExchange(exchange);
        try {
            wrapped.open = sessions.open(wrapped);       // 1. open: nothing is loaded yet
            chain.doFilter(wrapped);                     // 2. the handler uses the sessions
        } catch (RuntimeException e) {
            if (wrapped.headersSent) {
                throw e;                                 // too late to answer anything else
            }
            int status = AdapterSupport.statusFor(e);    // 503 for a store outage, else 500
            send(exchange, status, status == 503 ? AdapterSupport.UNAVAILABLE_BODY : "");
        }
    }

    /**
     * Guards a handler: the core decides ({@link AuthSession#permits}, which lets OPTIONS through);
     * anonymous requests get a 401, or the application's own handler.
     *
     * @param authSession the auth session's name, for example {@code "auth"}
     * @param next the protected handler
     * @param noAuth what anonymous requests get, or {@code null} for the default 401
     * @return the guarded handler
     */
    public static HttpHandler loginRequired(String authSession, HttpHandler next, HttpHandler noAuth) {
        return exchange -> {
            if (AuthSession.permits((Session) exchange.getAttribute(authSession), exchange.getRequestMethod())) {
                next.handle(exchange);
            } else if (noAuth != null) {
                noAuth.handle(exchange);
            } else {
                send(exchange, 401, AdapterSupport.LOGIN_REQUIRED_BODY);
            }
        };
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", AdapterSupport.JSON);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    /**
     * The exchange handlers see: the request as a {@link RequestContext}, the response as a
     * {@link CookieJar}, and {@code sendResponseHeaders} (the one way this server commits a response)
     * committing the sessions first. Attributes are its own: on JDK 17 the exchange's are shared by
     * the whole context. It delegates everything else.
     */
    private static final class SessionExchange extends HttpExchange implements RequestContext, CookieJar {
        private final HttpExchange ex;
        private final Map<String, Object> attributes = new HashMap<>();
        private OpenSessions open;
        private boolean headersSent;

        SessionExchange(HttpExchange ex) {
            this.ex = ex;
        }

        @Override
        public void sendResponseHeaders(int code, long length) throws IOException {
            if (open != null) {
                open.commit(this);                       // 3. commit, just before the response does
            }
            headersSent = true;
            ex.sendResponseHeaders(code, length);
        }

        // RequestContext: raw Cookie headers, method, per-request attributes
        @Override public List<String> cookieHeaders() { return ex.getRequestHeaders().getOrDefault("Cookie", List.of()); }
        @Override public String method() { return ex.getRequestMethod(); }
        @Override public Optional<Object> attribute(String key) { return Optional.ofNullable(attributes.get(key)); }
        @Override public void setAttribute(String key, Object value) { attributes.put(key, value); }
        @Override public Object getAttribute(String key) { return attributes.get(key); }

        // CookieJar: where the rendered Set-Cookie headers go
        @Override public void addSetCookie(String headerValue) { ex.getResponseHeaders().add("Set-Cookie", headerValue); }
        @Override public boolean isCommitted() { return headersSent; }

        // everything else is the server's own exchange
        @Override public Headers getRequestHeaders() { return ex.getRequestHeaders(); }
        @Override public Headers getResponseHeaders() { return ex.getResponseHeaders(); }
        @Override public URI getRequestURI() { return ex.getRequestURI(); }
        @Override public String getRequestMethod() { return ex.getRequestMethod(); }
        @Override public HttpContext getHttpContext() { return ex.getHttpContext(); }
        @Override public void close() { ex.close(); }
        @Override public InputStream getRequestBody() { return ex.getRequestBody(); }
        @Override public OutputStream getResponseBody() { return ex.getResponseBody(); }
        @Override public InetSocketAddress getRemoteAddress() { return ex.getRemoteAddress(); }
        @Override public int getResponseCode() { return ex.getResponseCode(); }
        @Override public InetSocketAddress getLocalAddress() { return ex.getLocalAddress(); }
        @Override public String getProtocol() { return ex.getProtocol(); }
        @Override public void setStreams(InputStream i, OutputStream o) { ex.setStreams(i, o); }
        @Override public HttpPrincipal getPrincipal() { return ex.getPrincipal(); }
    }
}
