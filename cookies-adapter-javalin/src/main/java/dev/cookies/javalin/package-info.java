/**
 * The Javalin 7 adapter: {@link dev.cookies.javalin.SessionPlugin}. Javalin 7 serves through Jetty's
 * Jakarta Servlet 6 container, so the request's lifecycle is the servlet adapter's
 * {@link dev.cookies.servlet.SessionFilter}, which the plugin installs on Javalin's Jetty; the plugin
 * adds only translation in Javalin's idiom: an exception handler that gives the library's own
 * exceptions to the core, before-handlers for the login-required and cross-site guards, and
 * {@code ctx.with(SessionPlugin.class)}.
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
