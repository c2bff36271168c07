/**
 * The Javalin 7 adapter: a plugin that opens a request's sessions, commits them before the response
 * commits, answers 503 when a session store is unavailable, and guards paths that need a login.
 *
 * <p>The plugin is built on the servlet adapter: Javalin 7 runs on Jetty's Jakarta Servlet 6
 * container, and the plugin installs {@link dev.cookies.servlet.SessionFilter} in front of Javalin's
 * servlet, which opens the sessions and commits them on every path by which the response can commit.
 * What is particular to Javalin stays here: the after-handler that commits before Javalin writes the
 * result, the login-required before-handler, the 503 exception handler, {@code ctx.with(...)} access,
 * and the {@link dev.cookies.spi.RequestContextProvider} for Javalin's {@code Context}.
 *
 * <p>Start with {@link dev.cookies.javalin.SessionPlugin}:
 *
 * <pre>{@code
 * Javalin.create(config -> {
 *     config.registerPlugin(new SessionPlugin(cfg -> cfg
 *             .sessions(sessions)
 *             .loginRequired("auth", "/me", "/account/*")));
 *     config.routes.get("/counter", ctx -> {
 *         Session session = SessionPlugin.session(ctx, "session");
 *         ...
 *     });
 * });
 * }</pre>
 *
 * @since 0.1
 */
package dev.cookies.javalin;
