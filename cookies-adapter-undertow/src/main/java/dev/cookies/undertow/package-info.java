/**
 * The Undertow adapter: an {@link io.undertow.server.HttpHandler} that runs the application on a
 * worker thread with its sessions open and commits them before the response commits, and a
 * login-required guard.
 *
 * <p>Start with {@link dev.cookies.undertow.SessionHandler}:
 *
 * <pre>{@code
 * HttpHandler app = Handlers.routing()
 *         .get("/counter", exchange -> { Session s = SessionHandler.session(exchange, "session"); ... })
 *         .get("/me", new LoginRequiredHandler("auth", meHandler));
 * Undertow.builder().addHttpListener(8080, "localhost")
 *         .setHandler(new SessionHandler(sessions, app))
 *         .build().start();
 * }</pre>
 *
 * @since 0.1
 */
package dev.cookies.undertow;
