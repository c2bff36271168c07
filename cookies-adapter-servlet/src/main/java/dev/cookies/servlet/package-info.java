/**
 * The Jakarta Servlet 6 adapter: {@link dev.cookies.servlet.SessionFilter} opens the application's
 * sessions on each request and commits them just before the response commits, whichever way it
 * commits; {@link dev.cookies.servlet.LoginRequiredFilter} is the login-required guard, mapped to the
 * paths it protects.
 *
 * <pre>{@code
 * context.addFilter(new FilterHolder(new SessionFilter(sessions)), "/*",
 *         EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR));
 * context.addFilter(new FilterHolder(new LoginRequiredFilter("auth")), "/account/*",
 *         EnumSet.of(DispatcherType.REQUEST));
 * }</pre>
 *
 * @since 0.1
 */
package dev.cookies.servlet;
