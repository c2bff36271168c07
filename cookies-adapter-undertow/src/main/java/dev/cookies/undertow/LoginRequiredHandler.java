package dev.cookies.undertow;

import dev.cookies.OpenSessions;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.util.Objects;

/**
 * The login-required guard: lets a request through to the next handler only when the core permits it
 * ({@link OpenSessions#permitsLogin}: its auth session has a user, or it is an OPTIONS request);
 * otherwise the application's no-auth handler answers, or by default the core
 * ({@link OpenSessions#answerLoginRequired()}: 401 with {@value OpenSessions#LOGIN_REQUIRED_BODY}).
 * It must stand behind a {@link SessionHandler}.
 *
 * <pre>{@code
 * routes.get("/me", new LoginRequiredHandler("auth", meHandler));
 * routes.get("/account", new LoginRequiredHandler("auth", accountHandler, Handlers.redirect("/login")));
 * }</pre>
 *
 * <p>A store failure while deciding propagates to the {@link SessionHandler}, whose core answers 503.
 *
 * @since 0.1
 */
public final class LoginRequiredHandler implements HttpHandler {

    private static final HttpHandler LOGIN_REQUIRED = exchange -> SessionHandler.sessions(exchange).answerLoginRequired();

    private final String sessionName;
    private final HttpHandler next;
    private final HttpHandler noAuth;

    /**
     * Guards a handler with the core's default answer, 401; the application calls it when it builds its
     * routes.
     *
     * @param sessionName the auth session manager's name, for example {@code "auth"}
     * @param next the guarded handler
     * @throws NullPointerException if an argument is null
     */
    public LoginRequiredHandler(String sessionName, HttpHandler next) {
        this(sessionName, next, LOGIN_REQUIRED);
    }

    /**
     * Guards a handler with the application's own answer to an anonymous request; the application calls
     * it when it builds its routes.
     *
     * @param sessionName the auth session manager's name, for example {@code "auth"}
     * @param next the guarded handler
     * @param noAuth answers an anonymous request, for example {@code Handlers.redirect("/login")}
     * @throws NullPointerException if an argument is null
     */
    public LoginRequiredHandler(String sessionName, HttpHandler next, HttpHandler noAuth) {
        this.sessionName = Objects.requireNonNull(sessionName, "sessionName");
        this.next = Objects.requireNonNull(next, "next");
        this.noAuth = Objects.requireNonNull(noAuth, "noAuth");
    }

    /**
     * Runs the next handler, or answers an anonymous request; Undertow calls it once per request.
     *
     * @param exchange the request
     * @throws Exception what the chosen handler threw
     * @throws IllegalStateException if no {@link SessionHandler} opened sessions on the request
     */
    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (SessionHandler.sessions(exchange).permitsLogin(sessionName)) {
            next.handleRequest(exchange);
        } else {
            noAuth.handleRequest(exchange);
        }
    }
}
