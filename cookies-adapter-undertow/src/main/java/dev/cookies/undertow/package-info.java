/**
 * The Undertow adapter: an {@link io.undertow.server.HttpHandler} that runs the application on a
 * worker thread with its sessions open and commits them before the response commits, a login-required
 * guard and a cross-site request guard. The session rules are the core's; these handlers connect them
 * to Undertow.
 *
 * <p>Start with {@link dev.cookies.undertow.SessionHandler}:
 *
 * <pre>{@code
 * HttpHandler app = Handlers.routing()
 *         .get("/counter", exchange -> { Session s = SessionHandler.session(exchange, "session"); ... })
 *         .get("/me", new LoginRequiredHandler("auth", meHandler));
 * Undertow.builder().addHttpListener(8080, "localhost")
 *         .setHandler(new SessionHandler(sessions, new CrossSiteHandler(CrossSiteGuard.defaults(), app)))
 *         .build().start();
 * }</pre>
 *
 * <p>Code written against Undertow's own session API ({@code io.undertow.util.Sessions}) runs on a
 * Cookies session through {@link dev.cookies.undertow.SessionBridge}, an Undertow
 * {@code SessionManager}, behind the {@code SessionHandler}.
 *
 * @since 0.1
 */
package dev.cookies.undertow;
