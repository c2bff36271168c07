package dev.cookies.spi;

import java.util.Optional;

/**
 * Turns a framework's native request object into a {@link RequestContext}, so that
 * framework-neutral code can find the current session from whatever request object it is handed
 * ({@link dev.cookies.SessionManager#session(Object)}).
 *
 * <p>Each adapter registers one in {@code META-INF/services/dev.cookies.spi.RequestContextProvider}.
 * The core loads them once, with its own class loader, and asks each in turn; the class must have a
 * public no-argument constructor that does no work.
 *
 * @since 0.1
 */
public interface RequestContextProvider {

    /**
     * Wraps a native request, if this provider knows its type.
     *
     * @param nativeRequest for example an {@code HttpServletRequest} or a Javalin {@code Context}
     * @return the context, or empty if this provider does not handle that type
     */
    Optional<RequestContext> wrap(Object nativeRequest);
}
