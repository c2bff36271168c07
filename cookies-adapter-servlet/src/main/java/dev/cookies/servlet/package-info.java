/**
 * The Jakarta Servlet 6 adapter. {@link dev.cookies.servlet.SessionFilter} opens the application's
 * sessions on each request and tells the core when the response is about to commit, whichever way it
 * commits, and when the request is done; {@link dev.cookies.servlet.LoginRequiredFilter} (the
 * login-required guard) and {@link dev.cookies.servlet.CrossSiteFilter} (the cross-site request guard)
 * are mapped after it to the paths they protect. Every decision is the core's
 * ({@link dev.cookies.OpenSessions}); the filters translate.
 *
 * <pre>{@code
 * context.addFilter(new FilterHolder(new SessionFilter(sessions)), "/*",
 *         EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC));
 * context.addFilter(new FilterHolder(new CrossSiteFilter(CrossSiteGuard.defaults())), "/*",
 *         EnumSet.of(DispatcherType.REQUEST));
 * context.addFilter(new FilterHolder(new LoginRequiredFilter("auth")), "/account/*",
 *         EnumSet.of(DispatcherType.REQUEST));
 * }</pre>
 *
 * <p>Handlers reach a session with {@link dev.cookies.servlet.SessionFilter#session}, or as the request
 * attribute under its name. Code written against the Servlet API keeps using
 * {@code request.getSession()}: the filter answers it with an {@code HttpSession} view of a Cookies
 * session, configured by {@link dev.cookies.servlet.HttpSessionBridge}.
 *
 * @since 0.1
 */
package dev.cookies.servlet;
