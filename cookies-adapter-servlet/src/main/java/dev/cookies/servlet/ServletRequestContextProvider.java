package dev.cookies.servlet;

import dev.cookies.spi.RequestContext;
import dev.cookies.spi.RequestContextProvider;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;

/**
 * Lets framework-neutral code find a session from an {@link HttpServletRequest}, as in
 * {@code manager.session(request)}. Registered in
 * {@code META-INF/services/dev.cookies.spi.RequestContextProvider}; applications do not use it
 * directly.
 *
 * @since 0.1
 */
public final class ServletRequestContextProvider implements RequestContextProvider {

    /** Called by {@link java.util.ServiceLoader}. */
    public ServletRequestContextProvider() {
    }

    @Override
    public Optional<RequestContext> wrap(Object nativeRequest) {
        if (nativeRequest instanceof HttpServletRequest request) {
            return Optional.of(new ServletRequestContext(request));
        }
        return Optional.empty();
    }
}
