package dev.cookies.javalin;

import dev.cookies.spi.RequestContext;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** A Javalin request (its servlet request) as the core sees it; attributes are request attributes. */
final class ServletRequestContext implements RequestContext {

    private final HttpServletRequest request;

    ServletRequestContext(HttpServletRequest request) {
        this.request = Objects.requireNonNull(request, "request");
    }

    @Override
    public List<String> cookieHeaders() {
        Enumeration<String> values = request.getHeaders("Cookie");
        return values == null ? List.of() : Collections.list(values);
    }

    @Override
    public String method() {
        // The method on the wire, not an X-HTTP-Method-Override: the guard lets OPTIONS through.
        return request.getMethod();
    }

    @Override
    public Optional<Object> attribute(String key) {
        return Optional.ofNullable(request.getAttribute(key));
    }

    @Override
    public void setAttribute(String key, Object value) {
        request.setAttribute(key, value);
    }
}
