package dev.cookies;

import dev.cookies.spi.Exchange;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The core's own stand-in for an adapter's exchange. (The test kit publishes a richer one for third
 * parties; the core cannot use it, since the test kit depends on the core.)
 */
final class FakeExchange implements Exchange {
    final String method;
    String path = "/";
    final Map<String, List<String>> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    final List<String> cookieHeaders = new ArrayList<>();
    final List<Map.Entry<String, String>> response = new ArrayList<>();
    final Map<String, Object> attributes = new ConcurrentHashMap<>();
    int status = 200;
    String body = "";
    boolean committed;

    FakeExchange(String method, String... cookieHeaders) {
        this.method = method;
        this.cookieHeaders.addAll(List.of(cookieHeaders));
    }

    List<String> setCookies() {
        return responseHeaders("Set-Cookie");
    }

    @Override
    public String method() {
        return method;
    }

    @Override
    public String path() {
        return path;
    }

    FakeExchange header(String name, String value) {
        headers.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        return this;
    }

    @Override
    public List<String> requestHeaders(String name) {
        return name.equalsIgnoreCase("Cookie") ? List.copyOf(cookieHeaders) : List.copyOf(headers.getOrDefault(name, List.of()));
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
        return response.stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).toList();
    }

    @Override
    public synchronized void addResponseHeader(String name, String value) {
        if (committed) {
            throw new IllegalStateException("committed");
        }
        response.add(Map.entry(name, value));
    }

    @Override
    public synchronized boolean isCommitted() {
        return committed;
    }

    @Override
    public synchronized void respond(int status, String contentType, String body) {
        if (committed) {
            throw new IllegalStateException("committed");
        }
        this.status = status;
        this.body = body;
        committed = true;
    }
}
