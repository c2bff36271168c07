package dev.cookies.testkit;

import dev.cookies.spi.RequestContext;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An in-memory {@link RequestContext}: a method, raw {@code Cookie} headers and an attribute map.
 *
 * @since 0.1
 */
public final class FakeRequestContext implements RequestContext {
    private final String method;
    private final List<String> cookieHeaders;
    private final Map<String, Object> attributes = new ConcurrentHashMap<>();

    private FakeRequestContext(String method, List<String> cookieHeaders) {
        this.method = Objects.requireNonNull(method, "method");
        this.cookieHeaders = List.copyOf(cookieHeaders);
    }

    /**
     * Creates a request.
     *
     * @param method the method
     * @param cookieHeaders raw {@code Cookie} header values, as a client would send them
     * @return the request
     */
    public static FakeRequestContext of(String method, String... cookieHeaders) {
        return new FakeRequestContext(method, List.of(cookieHeaders));
    }

    /**
     * Creates a request.
     *
     * @param method the method
     * @param cookieHeaders raw {@code Cookie} header values
     * @return the request
     */
    public static FakeRequestContext of(String method, List<String> cookieHeaders) {
        return new FakeRequestContext(method, cookieHeaders);
    }

    @Override
    public List<String> cookieHeaders() {
        return cookieHeaders;
    }

    @Override
    public String method() {
        return method;
    }

    @Override
    public Optional<Object> attribute(String key) {
        return Optional.ofNullable(attributes.get(key));
    }

    @Override
    public void setAttribute(String key, Object value) {
        attributes.put(key, value);
    }
}
