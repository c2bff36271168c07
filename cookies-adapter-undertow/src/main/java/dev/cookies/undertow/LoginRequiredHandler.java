package dev.cookies.undertow;

import dev.cookies.AuthSession;
import dev.cookies.spi.AdapterSupport;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.util.Objects;

/**
 * The login-required guard: lets a request through to the next handler only when its auth session
 * has a user (OPTIONS requests always pass, as {@link AuthSession#permits} decides); otherwise the
 * no-auth handler answers, by default 401 with {@link AdapterSupport#LOGIN_REQUIRED_BODY} as
 * {@code application/json}. It must stand behind a {@link SessionHandler}.
 *
 * <pre>{@code
 * routes.get("/me", new LoginRequiredHandler("auth", meHandler));
 * routes.get("/account", new LoginRequiredHandler("auth", accountHandler, Handlers.redirect("/login")));
 * }</pre>
 *
 * <p>A store failure while deciding propagates to the {@link SessionHandler}, which answers 503.
 *
 * @since 0.1
 */
public final class LoginRequiredHandler implements HttpHandler {

    private static final HttpHandler UNAUTHORIZED = exchange -> {
        exchange.setStatusCode(401);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, AdapterSupport.JSON);
        exchange.getResponseSender().send(AdapterSupport.LOGIN_REQUIRED_BODY);
    };

    private final String sessionName;
    private final HttpHandler next;
    private final HttpHandler noAuth;

    /**
     * Guards a handler with the default 401 answer.
     *
     * @param sessionName the auth session manager's name, for example {@code "auth"}
     * @param next the guarded handler
     */
    public LoginRequiredHandler(String sessionName, HttpHandler next) {
        this(sessionName, next, UNAUTHORIZED);
    }

    /**
     * Guards a handler with the application's own answer to an anonymous request.
     *
     * @param sessionName the auth session manager's name, for example {@code "auth"}
     * @param next the guarded handler
     * @param noAuth answers an anonymous request, for example {@code Handlers.redirect("/login")}
     */
    public LoginRequiredHandler(String sessionName, HttpHandler next, HttpHandler noAuth) {
        this.sessionName = Objects.requireNonNull(sessionName, "sessionName");
        this.next = Objects.requireNonNull(next, "next");
        this.noAuth = Objects.requireNonNull(noAuth, "noAuth");
    }

    /**
     * Runs the next handler or the no-auth handler.
     *
     * @param exchange the request
     * @throws Exception what the chosen handler threw
     * @throws IllegalStateException if no {@link SessionHandler} opened sessions on the request
     */
    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (exchange.isInIoThread()) {
            exchange.dispatch(this);
            return;
        }
        if (AuthSession.permits(SessionHandler.session(exchange, sessionName), exchange.getRequestMethod().toString())) {
            next.handleRequest(exchange);
        } else {
            noAuth.handleRequest(exchange);
        }
    }
}
