package dev.cookies.servlet;

import dev.cookies.spi.RequestContext;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;

/** An {@link HttpServletRequest} as the core sees it: raw {@code Cookie} headers, method, attributes. */
final class ServletRequestContext implements RequestContext {

    private final HttpServletRequest request;

    ServletRequestContext(HttpServletRequest request) {
        this.request = request;
    }

    @Override
    public List<String> cookieHeaders() {
        Enumeration<String> headers = request.getHeaders("Cookie");
        return headers == null ? List.of() : Collections.list(headers);
    }

    @Override
    public String method() {
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
