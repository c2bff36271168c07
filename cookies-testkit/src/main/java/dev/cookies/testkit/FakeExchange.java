package dev.cookies.testkit;

import dev.cookies.spi.Exchange;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An in-memory {@link Exchange}: a method and request headers in, an attribute map, and the response's
 * status, headers and body out. It records what the core does, so tests can assert it without a
 * server. Thread-safe.
 *
 * <pre>{@code
 * FakeExchange exchange = FakeExchange.request("GET").header("Cookie", "SESSION=" + id);
 * OpenSessions open = sessions.open(exchange);
 * ...
 * open.end(null);
 * assertEquals(List.of(), exchange.responseHeaders("Set-Cookie"));
 * }</pre>
 *
 * @since 0.2
 */
public final class FakeExchange implements Exchange {
    private final String method;
    private String path = "/";
    private final List<String[]> requestHeaders = new ArrayList<>();
    private final List<String[]> responseHeaders = new ArrayList<>();
    private final Map<String, Object> attributes = new ConcurrentHashMap<>();
    private int status = 200;
    private String body = "";
    private boolean committed;
    private int answers;

    private FakeExchange(String method) {
        this.method = Objects.requireNonNull(method, "method");
    }

    /**
     * Creates a request with no headers.
     *
     * @param method the method, for example {@code "GET"}
     * @return the exchange
     */
    public static FakeExchange request(String method) {
        return new FakeExchange(method);
    }

    /**
     * Adds a request header line, as a client would send it.
     *
     * @param name the header name
     * @param value the raw value
     * @return this exchange
     */
    public synchronized FakeExchange header(String name, String value) {
        requestHeaders.add(new String[] {Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value")});
        return this;
    }

    /**
     * Sets the request path, {@code /} by default.
     *
     * @param path the path within the application, for example {@code /login}
     * @return this exchange
     */
    public synchronized FakeExchange path(String path) {
        this.path = Objects.requireNonNull(path, "path");
        return this;
    }

    /** Marks the response as committed, as a flushed body would. */
    public synchronized void commitResponse() {
        committed = true;
    }

    /**
     * Returns the response status: 200 unless {@link #respond} set another.
     *
     * @return the status
     */
    public synchronized int status() {
        return status;
    }

    /**
     * Returns the body given to {@link #respond}, or {@code ""}.
     *
     * @return the body
     */
    public synchronized String body() {
        return body;
    }

    /**
     * Returns how many times the core answered the request through {@link #respond}: at most once.
     *
     * @return the count
     */
    public synchronized int answers() {
        return answers;
    }

    @Override
    public String method() {
        return method;
    }

    @Override
    public synchronized String path() {
        return path;
    }

    @Override
    public synchronized List<String> requestHeaders(String name) {
        return values(requestHeaders, name);
    }

    @Override
    public Optional<Object> attribute(String key) {
        return Optional.ofNullable(attributes.get(key));
    }

    @Override
    public void setAttribute(String key, Object value) {
        attributes.put(key, value);
    }

    @Override
    public synchronized List<String> responseHeaders(String name) {
        return values(responseHeaders, name);
    }

    @Override
    public synchronized void addResponseHeader(String name, String value) {
        if (committed) {
            throw new IllegalStateException("response already committed: " + name + " would be lost");
        }
        responseHeaders.add(new String[] {name, value});
    }

    @Override
    public synchronized boolean isCommitted() {
        return committed;
    }

    @Override
    public synchronized void respond(int status, String contentType, String body) {
        if (committed) {
            throw new IllegalStateException("response already committed: " + status + " would be lost");
        }
        responseHeaders.removeIf(h -> h[0].equalsIgnoreCase("Content-Length") || h[0].equalsIgnoreCase("Content-Type")
                || h[0].equalsIgnoreCase("Content-Encoding") || h[0].equalsIgnoreCase("Location"));
        responseHeaders.add(new String[] {"Content-Type", contentType});
        this.status = status;
        this.body = body;
        this.answers++;
        this.committed = true;
    }

    private static List<String> values(List<String[]> headers, String name) {
        String wanted = name.toLowerCase(Locale.ROOT);
        List<String> found = new ArrayList<>(2);
        for (String[] h : headers) {
            if (h[0].toLowerCase(Locale.ROOT).equals(wanted)) {
                found.add(h[1]);
            }
        }
        return found;
    }
}
