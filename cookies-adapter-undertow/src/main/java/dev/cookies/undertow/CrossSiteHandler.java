package dev.cookies.undertow;

import dev.cookies.CrossSiteGuard;
import dev.cookies.OpenSessions;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.util.Objects;

/**
 * The cross-site request guard: a state-changing request that another site made is answered by the
 * core ({@link OpenSessions#checkCrossSite}: 403 with {@value OpenSessions#CROSS_SITE_BODY}) and goes
 * no further; every other request goes on to the next handler. It must stand behind a
 * {@link SessionHandler}.
 *
 * <pre>{@code
 * HttpHandler app = new SessionHandler(sessions, new CrossSiteHandler(CrossSiteGuard.defaults(), routes));
 * }</pre>
 *
 * @since 0.2
 */
public final class CrossSiteHandler implements HttpHandler {

    private final CrossSiteGuard guard;
    private final HttpHandler next;

    /**
     * Guards a handler; the application calls it when it builds its handler chain.
     *
     * @param guard the guard's settings, for example {@link CrossSiteGuard#defaults()}
     * @param next the guarded handler
     * @throws NullPointerException if an argument is null
     */
    public CrossSiteHandler(CrossSiteGuard guard, HttpHandler next) {
        this.guard = Objects.requireNonNull(guard, "guard");
        this.next = Objects.requireNonNull(next, "next");
    }

    /**
     * Runs the next handler unless the core refused and answered the request; Undertow calls it once per
     * request.
     *
     * @param exchange the request
     * @throws Exception what the next handler threw
     * @throws IllegalStateException if no {@link SessionHandler} opened sessions on the request
     */
    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (SessionHandler.sessions(exchange).checkCrossSite(guard)) {
            next.handleRequest(exchange);
        }
    }
}
