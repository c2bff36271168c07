package dev.cookies.javalin;

import dev.cookies.servlet.ServletRequestContextProvider;
import dev.cookies.spi.RequestContext;
import dev.cookies.spi.RequestContextProvider;
import io.javalin.http.Context;
import java.util.Optional;

/**
 * Lets framework-neutral code find a session from a Javalin {@link Context}
 * ({@link dev.cookies.SessionManager#session(Object)}). Registered through
 * {@code META-INF/services/dev.cookies.spi.RequestContextProvider}; applications do not call it.
 *
 * <p>A Javalin request is its servlet request, so this delegates to the servlet adapter's provider
 * for {@code ctx.req()}: the same {@code Cookie} headers, method and request attributes that
 * {@link dev.cookies.servlet.SessionFilter} opened the sessions from.
 *
 * @since 0.1
 */
public final class JavalinRequestContextProvider implements RequestContextProvider {

    /** Creates the provider; called by {@link java.util.ServiceLoader}. */
    public JavalinRequestContextProvider() {
    }

    /**
     * Wraps a Javalin {@link Context}.
     *
     * @param nativeRequest any request object
     * @return the context if {@code nativeRequest} is a Javalin {@code Context}, otherwise empty
     */
    @Override
    public Optional<RequestContext> wrap(Object nativeRequest) {
        try {
            if (nativeRequest instanceof Context) {
                return Optional.of(context((Context) nativeRequest));
            }
        } catch (LinkageError javalinMissing) {
            // This jar is on the classpath without Javalin: no request can be a Javalin Context.
        }
        return Optional.empty();
    }

    /** The core's view of a Javalin request: the servlet adapter's view of {@code ctx.req()}. */
    static RequestContext context(Context ctx) {
        return new ServletRequestContextProvider().wrap(ctx.req()).orElseThrow();
    }
}
