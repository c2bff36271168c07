/**
 * The Javalin 7 adapter: a plugin that opens a request's sessions, commits them before the response
 * commits, answers 503 when a session store is unavailable, and guards paths that need a login.
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
