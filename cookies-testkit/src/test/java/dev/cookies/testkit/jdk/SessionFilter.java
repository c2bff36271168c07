package dev.cookies.testkit.jdk;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpPrincipal;
import dev.cookies.OpenSessions;
import dev.cookies.Sessions;
import dev.cookies.spi.Exchange;
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

/** Cookies sessions for the JDK's {@code com.sun.net.httpserver}: {@code context.getFilters().add(new SessionFilter(sessions))}. */
public final class SessionFilter extends Filter {
    private final Sessions sessions;

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
        OpenSessions open = wrapped.open = sessions.open(wrapped);   // 1. open: nothing is loaded yet
        try {
            chain.doFilter(wrapped);                                  // 2. the handler runs
        } catch (IOException | RuntimeException e) {
            if (!open.end(e) && !wrapped.sent) {                      // 3. the core answers its own failures;
                wrapped.respond(500, "text/plain", "");              //    this server has no error page: 500
            }
            return;
        }
        open.end(null);                                               // 3. commits, unless a path already did
    }

    /** Guards a handler: OPTIONS and logged-in requests pass; others get {@code noAuth}, or the core's 401. */
    public static HttpHandler loginRequired(String authSession, HttpHandler next, HttpHandler noAuth) {
        return ex -> {
            OpenSessions open = (OpenSessions) ex.getAttribute(OpenSessions.ATTRIBUTE);
            if (open.permitsLogin(authSession)) {
                next.handle(ex);
            } else if (noAuth != null) {
                noAuth.handle(ex);
            } else {
                open.answerLoginRequired();
            }
        };
    }

    /** The exchange handlers see: {@code sendResponseHeaders}, this server's one commit point, commits the sessions first. */
    private static final class SessionExchange extends HttpExchange implements Exchange {
        private final HttpExchange ex;
        private final Map<String, Object> attributes = new HashMap<>();   // JDK 17 shares the exchange's across a context
        private OpenSessions open;
        private boolean sent;

        SessionExchange(HttpExchange ex) {
            this.ex = ex;
        }

        @Override public void sendResponseHeaders(int code, long length) throws IOException {
            open.beforeCommit();
            sent = true;
            ex.sendResponseHeaders(code, length);
        }

        // Exchange: what the core reads and writes
        @Override public String method() { return ex.getRequestMethod(); }
        @Override public String path() { return ex.getRequestURI().getRawPath(); }
        @Override public List<String> requestHeaders(String name) { return ex.getRequestHeaders().getOrDefault(name, List.of()); }
        @Override public Optional<Object> attribute(String key) { return Optional.ofNullable(attributes.get(key)); }
        @Override public void setAttribute(String key, Object value) { attributes.put(key, value); }
        @Override public List<String> responseHeaders(String name) { return ex.getResponseHeaders().getOrDefault(name, List.of()); }
        @Override public void addResponseHeader(String name, String value) { ex.getResponseHeaders().add(name, value); }
        @Override public boolean isCommitted() { return sent; }
        @Override public void respond(int status, String contentType, String body) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().remove("Content-Encoding");
            ex.getResponseHeaders().remove("Location");
            ex.getResponseHeaders().set("Content-Type", contentType);
            try (OutputStream out = ex.getResponseBody()) {
                sent = true;
                ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
                out.write(bytes);
            } catch (IOException e) {
                ex.close();
            }
        }

        // the rest of HttpExchange is the server's own
        @Override public Object getAttribute(String key) { return attributes.get(key); }
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
