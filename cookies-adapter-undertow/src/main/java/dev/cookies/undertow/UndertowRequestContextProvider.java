package dev.cookies.undertow;

import dev.cookies.spi.RequestContext;
import dev.cookies.spi.RequestContextProvider;
import io.undertow.server.HttpServerExchange;
import java.util.Optional;

/**
 * Lets framework-neutral code find a session from an Undertow {@link HttpServerExchange}
 * ({@link dev.cookies.SessionManager#session(Object)}). Registered through
 * {@code META-INF/services/dev.cookies.spi.RequestContextProvider}; applications do not call it.
 *
 * @since 0.1
 */
public final class UndertowRequestContextProvider implements RequestContextProvider {

    /** Creates the provider; called by {@link java.util.ServiceLoader}. */
    public UndertowRequestContextProvider() {
    }

    /**
     * Wraps an Undertow exchange.
     *
     * @param nativeRequest any request object
     * @return the context if {@code nativeRequest} is an {@code HttpServerExchange}, otherwise empty
     */
    @Override
    public Optional<RequestContext> wrap(Object nativeRequest) {
        try {
            if (nativeRequest instanceof HttpServerExchange) {
                return Optional.of(new ExchangeContext((HttpServerExchange) nativeRequest));
            }
        } catch (LinkageError undertowMissing) {
            // This jar is on the classpath without Undertow: no request can be an exchange.
        }
        return Optional.empty();
    }
}
