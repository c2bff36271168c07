package dev.cookies.javalin;

import dev.cookies.AuthSession;
import dev.cookies.CrossSiteGuard;
import dev.cookies.OpenSessions;
import dev.cookies.Session;
import dev.cookies.SessionException;
import dev.cookies.Sessions;
import dev.cookies.servlet.HttpSessionBridge;
import dev.cookies.servlet.SessionFilter;
import io.javalin.config.JavalinState;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.plugin.ContextPlugin;
import jakarta.servlet.DispatcherType;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.SessionHandler;

/**
 * Cookies sessions for Javalin 7. The request's lifecycle is the servlet adapter's
 * {@link SessionFilter}, installed in front of Javalin's servlet on Javalin's own Jetty: it opens the
 * sessions once as the request arrives, has the core commit them just before the response commits
 * (the first byte Javalin or a handler writes, a flush, a redirect, an error, the end of a
 * {@code ctx.future}), and ends the request when Javalin is done. Everything else is translation:
 *
 * <pre>{@code
 * Javalin.create(config -> {
 *     config.registerPlugin(new SessionPlugin(cfg -> cfg
 *             .sessions(sessions)
 *             .crossSiteGuard(CrossSiteGuard.defaults())
 *             .loginRequired("auth", "/me", "/account/*")));
 *     config.routes.post("/counter/increment", ctx -> {
 *         Session session = SessionPlugin.session(ctx, "session");   // or ctx.with(SessionPlugin.class).session(...)
 *         session.update(s -> s.put("count", s.get("count", Integer.class).orElse(0) + 1));
 *     });
 * });
 * }</pre>
 *
 * <ul>
 *   <li>Javalin answers what handlers throw itself, before the filter could see it; an exception
 *       handler gives the library's own exceptions ({@link SessionException}: a store outage, a session
 *       too large) to the core, which answers them ({@code 503}, {@code 500}) with its short JSON body.
 *       The application's own exceptions stay Javalin's.</li>
 *   <li>The login-required guard is a before-handler per path ({@link Config#loginRequired}), and the
 *       cross-site guard a before-handler for every path ({@link Config#crossSiteGuard}); the core
 *       decides and answers. A guard that refused a request skips Javalin's remaining handlers
 *       ({@code ctx.skipRemainingHandlers()}): the endpoint, and the after- and error-handlers, do not
 *       run.</li>
 * </ul>
 *
 * <p>Javalin's own session methods ({@code ctx.sessionAttribute}, {@code ctx.consumeSessionAttribute},
 * {@code ctx.cachedSessionAttribute}, {@code ctx.sessionAttributeMap}) and {@code ctx.req().getSession()}
 * reach the servlet request's {@code getSession()}, which the filter answers with an {@code HttpSession}
 * view of a Cookies session ({@link HttpSessionBridge}): by default the application's only session, or
 * the one named {@code session}; {@link Config#httpSession(String)} chooses another. Jetty's own session
 * handler is never reached, so no {@code JSESSIONID} is issued; the plugin also stops it from looking
 * for one in every request's cookies and URI ({@code setUsingCookies(false)},
 * {@code setUsingUriParameters(false)}), work whose answer nothing would read. With the bridge
 * {@linkplain HttpSessionBridge#off() off}, Jetty's session handler is left as it is.
 *
 * <p>{@code ctx.with(SessionPlugin.class)} is the request's {@link OpenSessions}: its
 * {@code session(name)} and {@code all()} are for handlers; its lifecycle methods are the filter's.
 *
 * <p>If Javalin's servlet runs in another container ({@code app.javalinServlet()}), Javalin's Jetty
 * configuration does not run: map {@code new SessionFilter(sessions)} in front of it there, with the
 * same {@link Sessions}.
 *
 * @since 0.1
 */
public final class SessionPlugin extends ContextPlugin<SessionPlugin.Config, OpenSessions> {

    /** The request's lifecycle and its HttpSession, installed on Javalin's Jetty when the plugin starts. */
    private final SessionFilter filter;

    /**
     * Creates the plugin from a configuration; the application calls it in
     * {@code config.registerPlugin(...)}.
     *
     * @param userConfig sets at least {@link Config#sessions(Sessions)}
     * @throws IllegalArgumentException if no sessions were set, or a guard or the {@code HttpSession}
     *     bridge names an unknown session
     */
    public SessionPlugin(Consumer<Config> userConfig) {
        super(Objects.requireNonNull(userConfig, "userConfig"), new Config());
        if (pluginConfig.sessions == null) {
            throw new IllegalArgumentException(
                    "SessionPlugin needs the application's sessions: new SessionPlugin(cfg -> cfg.sessions(sessions))");
        }
        pluginConfig.guards.forEach(guard -> pluginConfig.sessions.manager(guard.getValue()));
        filter = new SessionFilter(pluginConfig.sessions, pluginConfig.bridge);
    }

    /**
     * Creates the plugin for a set of sessions, with no guard; the application calls it in
     * {@code config.registerPlugin(...)}.
     *
     * @param sessions the application's session managers
     */
    public SessionPlugin(Sessions sessions) {
        this(cfg -> cfg.sessions(sessions));
    }

    /**
     * Installs the filter, the guards and the exception handler; called by Javalin once, when it
     * starts the plugin (after the application's own configuration, so the guards run after the
     * before-handlers the application registered itself).
     *
     * @param state Javalin's configuration
     */
    @Override
    public void onStart(JavalinState state) {
        // Jetty's per-connection header cache matches values without regard to case, so a Cookie line
        // that differs from an earlier one only in case would reach the core as the earlier line.
        state.jetty.modifyHttpConfiguration(http -> http.setHeaderCacheCaseSensitive(true));
        // REQUEST only: Javalin completes an asynchronous request itself and never dispatches it again.
        state.jetty.modifyServletContextHandler(handler -> {
            handler.addFilter(new FilterHolder(filter), "/*", EnumSet.of(DispatcherType.REQUEST));
            SessionHandler jetty = handler.getSessionHandler();
            if (pluginConfig.bridge.isOn() && jetty != null) {
                // Every HttpSession is the bridge's: Jetty's would only parse each request's cookies
                // for a JSESSIONID that nothing reads.
                jetty.setUsingCookies(false);
                jetty.setUsingUriParameters(false);
            }
        });
        if (pluginConfig.crossSite != null) {
            state.routes.before(ctx -> {
                if (!createExtension(ctx).checkCrossSite(pluginConfig.crossSite)) {
                    ctx.skipRemainingHandlers();
                }
            });
        }
        for (Map.Entry<String, String> guard : pluginConfig.guards) {
            state.routes.before(guard.getKey(), ctx -> {
                if (!createExtension(ctx).permitsLogin(guard.getValue())) {
                    pluginConfig.noAuth.handle(ctx);
                    ctx.skipRemainingHandlers();
                }
            });
        }
        state.routes.exception(SessionException.class, (e, ctx) -> {
            if (!createExtension(ctx).end(e)) {
                throw e; // not the core's to answer: Javalin answers it as an uncaught exception
            }
        });
    }

    /**
     * Returns a request's sessions; called by Javalin for {@code ctx.with(SessionPlugin.class)}.
     *
     * @param context the request
     * @return the sessions the filter opened on it
     * @throws IllegalStateException if the filter did not run (Javalin's servlet in another container
     *     without {@link SessionFilter} in front of it)
     */
    @Override
    public OpenSessions createExtension(Context context) {
        return SessionFilter.openSessions(context.req());
    }

    /**
     * Returns a session of a request: {@code ctx.with(SessionPlugin.class).session(name)}; called by
     * handlers.
     *
     * @param ctx the request
     * @param name the session manager's name, for example {@code "session"}
     * @return the session
     * @throws IllegalArgumentException if no manager has that name
     * @throws io.javalin.plugin.PluginNotRegisteredException if the plugin is not registered
     */
    public static Session session(Context ctx, String name) {
        return ctx.with(SessionPlugin.class).session(name);
    }

    /**
     * Returns the auth view of a session of a request; called by handlers.
     *
     * @param ctx the request
     * @param name the auth session manager's name, for example {@code "auth"}
     * @return the auth session
     * @throws IllegalArgumentException if no manager has that name
     * @throws io.javalin.plugin.PluginNotRegisteredException if the plugin is not registered
     */
    public static AuthSession auth(Context ctx, String name) {
        return AuthSession.of(session(ctx, name));
    }

    /**
     * The plugin's settings, applied by the {@code Consumer} given to the constructor.
     *
     * @since 0.1
     */
    public static final class Config {
        private Sessions sessions;
        /** Each guarded path, with the name of its auth session. */
        private final List<Map.Entry<String, String>> guards = new ArrayList<>();
        private Handler noAuth = ctx -> SessionFilter.openSessions(ctx.req()).answerLoginRequired();
        private CrossSiteGuard crossSite;
        private HttpSessionBridge bridge = HttpSessionBridge.defaults();

        /**
         * Creates the defaults: no sessions, no guards, the core's 401 for an anonymous request, the
         * default {@code HttpSession} bridge; called by the plugin.
         */
        public Config() {
        }

        /**
         * Names the Cookies session that Javalin's session methods ({@code ctx.sessionAttribute} and the
         * rest) and {@code ctx.req().getSession()} use. Default: the application's only session, or the
         * one named {@code session}.
         *
         * @param sessionName a session manager's name
         * @return this configuration
         * @throws NullPointerException if {@code sessionName} is null
         */
        public Config httpSession(String sessionName) {
            this.bridge = HttpSessionBridge.builder().session(sessionName).build();
            return this;
        }

        /**
         * Sets how Javalin's session methods and {@code ctx.req().getSession()} are answered: a bridge
         * with attribute types, listeners or a session name, or {@link HttpSessionBridge#off()} to leave
         * them to Jetty's own session handler (and its {@code JSESSIONID}).
         *
         * @param bridge the bridge
         * @return this configuration
         * @throws NullPointerException if {@code bridge} is null
         */
        public Config httpSession(HttpSessionBridge bridge) {
            this.bridge = Objects.requireNonNull(bridge, "bridge");
            return this;
        }

        /**
         * Sets the application's session managers. Required.
         *
         * @param sessions the session managers
         * @return this configuration
         * @throws NullPointerException if {@code sessions} is null
         */
        public Config sessions(Sessions sessions) {
            this.sessions = Objects.requireNonNull(sessions, "sessions");
            return this;
        }

        /**
         * Guards paths with a login-required before-handler each. The core decides
         * ({@link OpenSessions#permitsLogin}): OPTIONS requests and requests whose auth session holds a
         * user pass; others get the no-auth answer (see {@link #onLoginRequired}) and go no further. A
         * store outage while deciding is the core's 503.
         *
         * @param sessionName the auth session manager's name, for example {@code "auth"}
         * @param paths Javalin paths, for example {@code "/me"} or {@code "/account/*"}
         * @return this configuration
         * @throws IllegalArgumentException if no path is given
         * @throws NullPointerException if {@code sessionName} or a path is null
         */
        public Config loginRequired(String sessionName, String... paths) {
            if (paths.length == 0) {
                throw new IllegalArgumentException("loginRequired(\"" + sessionName + "\") needs at least one path");
            }
            for (String path : paths) {
                guards.add(Map.entry(path, sessionName));
            }
            return this;
        }

        /**
         * Replaces the core's answer to an anonymous request ({@code 401} with
         * {@link OpenSessions#LOGIN_REQUIRED_BODY}), for example with {@code ctx -> ctx.redirect("/login")}.
         *
         * @param handler answers the request; the path's own handlers do not run
         * @return this configuration
         * @throws NullPointerException if {@code handler} is null
         */
        public Config onLoginRequired(Handler handler) {
            this.noAuth = Objects.requireNonNull(handler, "handler");
            return this;
        }

        /**
         * Turns on the cross-site request guard for every path: a before-handler in which the core
         * refuses a state-changing request another site made ({@link OpenSessions#checkCrossSite}),
         * answering {@code 403} with {@link OpenSessions#CROSS_SITE_BODY}; it goes no further.
         *
         * @param guard the guard's trusted origins and bypass paths, for example
         *     {@link CrossSiteGuard#defaults()}
         * @return this configuration
         * @throws NullPointerException if {@code guard} is null
         */
        public Config crossSiteGuard(CrossSiteGuard guard) {
            this.crossSite = Objects.requireNonNull(guard, "guard");
            return this;
        }
    }
}
