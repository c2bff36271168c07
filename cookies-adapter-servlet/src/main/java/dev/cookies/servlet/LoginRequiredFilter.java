package dev.cookies.servlet;

import dev.cookies.AuthSession;
import dev.cookies.OpenSessions;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Objects;

/**
 * The login-required guard: map it to the paths that need a logged-in user, after
 * {@link SessionFilter}. The core decides ({@link OpenSessions#permitsLogin}): OPTIONS requests and
 * requests whose auth session holds a user pass ({@link AuthSession#permits}); others get the core's
 * {@code 401} with {@link OpenSessions#LOGIN_REQUIRED_BODY}, or the application's own
 * {@link NoAuthHandler}, and the rest of the chain does not run. A store outage while deciding is the
 * core's {@code 503}.
 *
 * <pre>{@code
 * context.addFilter(new FilterHolder(new LoginRequiredFilter("auth",
 *         (request, response) -> response.sendRedirect("/login"))), "/account/*", EnumSet.of(DispatcherType.REQUEST));
 * }</pre>
 *
 * <p>In {@code web.xml}, declare it without arguments; the init parameter {@value #SESSION_PARAM}
 * names the auth session (default {@value #DEFAULT_SESSION}).
 *
 * @since 0.1
 */
public final class LoginRequiredFilter implements Filter {

    /** The init parameter naming the auth session. */
    public static final String SESSION_PARAM = "session";

    /** The auth session's name when none is given. */
    public static final String DEFAULT_SESSION = "auth";

    /**
     * What an anonymous request gets instead of the default 401: a redirect to a login page, a
     * different body.
     *
     * @since 0.1
     */
    @FunctionalInterface
    public interface NoAuthHandler {
        /**
         * Answers an anonymous request.
         *
         * @param request the request
         * @param response the response; sessions are committed as for any other answer
         * @throws IOException if writing fails
         * @throws ServletException if the handler fails
         */
        void handle(HttpServletRequest request, HttpServletResponse response) throws IOException, ServletException;
    }

    private volatile String authSession;
    private final NoAuthHandler noAuth;

    /** For {@code web.xml}: the session name comes from the init parameter {@value #SESSION_PARAM}. */
    public LoginRequiredFilter() {
        this.noAuth = null;
    }

    /**
     * Guards with the core's default 401 answer; for registering the filter in code.
     *
     * @param authSession the auth session's name, for example {@code "auth"}
     */
    public LoginRequiredFilter(String authSession) {
        this(authSession, null);
    }

    /**
     * Guards with the application's own answer to anonymous requests; for registering the filter in
     * code.
     *
     * @param authSession the auth session's name
     * @param noAuth the answer to anonymous requests, or {@code null} for the default 401
     */
    public LoginRequiredFilter(String authSession, NoAuthHandler noAuth) {
        this.authSession = Objects.requireNonNull(authSession, "authSession");
        this.noAuth = noAuth;
    }

    /**
     * Reads the session name from {@value #SESSION_PARAM} if none was given to the constructor;
     * called by the container once, before the first request.
     *
     * @param config the filter's configuration
     */
    @Override
    public void init(FilterConfig config) {
        if (authSession == null) {
            String name = config.getInitParameter(SESSION_PARAM);
            authSession = name == null || name.isBlank() ? DEFAULT_SESSION : name.trim();
        }
    }

    /**
     * Lets the request through, or answers it as anonymous; called by the container for each request
     * mapped to this filter.
     *
     * @throws IllegalStateException if no {@link SessionFilter} opened the sessions in front of it
     */
    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        OpenSessions open = SessionFilter.openSessions(req);
        if (open.permitsLogin(authSession != null ? authSession : DEFAULT_SESSION)) {
            chain.doFilter(req, res);
        } else if (noAuth != null) {
            noAuth.handle((HttpServletRequest) req, (HttpServletResponse) res);
        } else {
            open.answerLoginRequired();
        }
    }
}
