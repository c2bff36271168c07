package dev.cookies.testkit;

import dev.cookies.OpenSessions;
import dev.cookies.Sessions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Drives {@link Sessions} without a server, as a browser would: it sends the cookies it holds,
 * and keeps or deletes cookies as the {@code Set-Cookie} headers say. Thread-safe.
 *
 * <pre>{@code
 * FakeBrowser browser = new FakeBrowser(sessions);
 * browser.request("POST", open -> open.session("session").update(s -> s.put("n", 1)));
 * }</pre>
 *
 * @since 0.1
 */
public final class FakeBrowser {
    private final Sessions sessions;
    private final Map<String, String> cookies = new LinkedHashMap<>();

    /**
     * Creates a browser with no cookies.
     *
     * @param sessions the sessions to drive
     */
    public FakeBrowser(Sessions sessions) {
        this.sessions = sessions;
    }

    /**
     * The outcome of one request.
     *
     * @param status the response status: 200, or what the core answered (503, 500, 401)
     * @param setCookies the {@code Set-Cookie} headers the response carried
     * @param exchange the whole exchange, for other headers and the body
     * @since 0.1
     */
    public record Response(int status, List<String> setCookies, FakeExchange exchange) {
        /**
         * Returns the parsed {@code Set-Cookie} for a cookie name.
         *
         * @param name the cookie name
         * @return the cookie, or empty if the response did not set it
         */
        public Optional<SetCookie> cookie(String name) {
            for (String h : setCookies) {
                SetCookie c = SetCookie.parse(h);
                if (c.name().equals(name)) {
                    return Optional.of(c);
                }
            }
            return Optional.empty();
        }
    }

    /**
     * Runs one request as an adapter would: opens the sessions with the cookies held, runs the
     * handler, commits before the response would commit, ends the request, and takes the response's
     * cookies. If the handler or the commit throws, the request is ended with that failure first (so
     * the core saves what it keeps and answers what it answers, visible on {@link FakeExchange}), and
     * then the failure is thrown on, so that a test can assert it.
     *
     * @param method the request method
     * @param handler what the application does with the request's sessions
     * @return the response
     */
    public Response request(String method, Consumer<OpenSessions> handler) {
        FakeExchange exchange = FakeExchange.request(method);
        cookieHeader().ifPresent(c -> exchange.header("Cookie", c));
        OpenSessions open = sessions.open(exchange);
        try {
            handler.accept(open);
            open.beforeCommit();
        } catch (RuntimeException | Error e) {
            open.end(e);
            receive(exchange.responseHeaders("Set-Cookie"));
            throw e;
        }
        open.end(null);
        receive(exchange.responseHeaders("Set-Cookie"));
        return response(exchange);
    }

    private static Response response(FakeExchange exchange) {
        return new Response(exchange.status(), exchange.responseHeaders("Set-Cookie"), exchange);
    }

    /**
     * Returns the {@code Cookie} header this browser would send, if it holds any cookie.
     *
     * @return the header value, or empty
     */
    public synchronized Optional<String> cookieHeader() {
        if (cookies.isEmpty()) {
            return Optional.empty();
        }
        List<String> pairs = new ArrayList<>();
        cookies.forEach((k, v) -> pairs.add(k + "=" + v));
        return Optional.of(String.join("; ", pairs));
    }

    /**
     * Returns a cookie's value.
     *
     * @param name the cookie name
     * @return the value, or empty if not held
     */
    public synchronized Optional<String> cookie(String name) {
        return Optional.ofNullable(cookies.get(name));
    }

    /**
     * Sets a cookie by hand, as a tampering client would.
     *
     * @param name the name
     * @param value the value
     */
    public synchronized void setCookie(String name, String value) {
        cookies.put(name, value);
    }

    /** Forgets every cookie. */
    public synchronized void clearCookies() {
        cookies.clear();
    }

    private synchronized void receive(List<String> setCookies) {
        for (String header : setCookies) {
            SetCookie c = SetCookie.parse(header);
            if (c.isExpired()) {
                cookies.remove(c.name());
            } else {
                cookies.put(c.name(), c.value());
            }
        }
    }
}
