package dev.cookies.javalin;

import dev.cookies.AuthSession;
import dev.cookies.OpenSessions;
import dev.cookies.Session;
import dev.cookies.SessionUnavailableException;
import dev.cookies.Sessions;
import dev.cookies.servlet.SessionFilter;
import dev.cookies.spi.AdapterSupport;
import dev.cookies.spi.CookieJar;
import io.javalin.config.JavalinState;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.plugin.ContextPlugin;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.eclipse.jetty.ee10.servlet.FilterHolder;

/**
 * Cookies sessions for Javalin 7: opens each request's sessions, commits them just before the response
 * commits, answers 503 when a session store is unavailable, and guards paths that need a login.
 *
 * <pre>{@code
 * Javalin.create(config -> {
 *     config.registerPlugin(new SessionPlugin(cfg -> cfg
 *             .sessions(sessions)
 *             .loginRequired("auth", "/me")));
 *     config.routes.post("/counter/increment", ctx -> {
 *         Session session = SessionPlugin.session(ctx, "session");   // or ctx.with(SessionPlugin.class).session("session")
 *         session.update(s -> s.put("count", s.get("count", Integer.class).orElse(0) + 1));
 *     });
 * });
 * }</pre>
 *
 * <p>What it installs when Javalin starts:
 * <ul>
 *   <li>the servlet adapter's {@link SessionFilter}, in front of Javalin's servlet on Javalin's own
 *       Jetty: it opens the sessions as the request arrives and commits them before the first byte,
 *       flush, redirect or error of the response, so that a handler writing straight to
 *       {@code ctx.outputStream()} or {@code ctx.res().getOutputStream()} still sends its cookie, and
 *       at the end of a request whose after-handlers were skipped;</li>
 *   <li>a before-handler that opens the sessions (for Javalin run as a servlet elsewhere), and an
 *       after-handler that commits them once every handler has run, before Javalin writes the
 *       result;</li>
 *   <li>an exception handler that answers a {@link SessionUnavailableException} (store down, lock wait
 *       exceeded) with 503 and {@link AdapterSupport#UNAVAILABLE_BODY};</li>
 *   <li>a before-handler per guarded path (see {@link Config#loginRequired}).</li>
 * </ul>
 *
 * <p>Without the filter (Javalin's servlet mounted in another container), a handler that commits the
 * response itself before the after-handler runs gets an {@link IllegalStateException} from the commit
 * naming the session whose cookie could not be sent, instead of a silently lost session.
 *
 * @since 0.1
 */
public final class SessionPlugin extends ContextPlugin<SessionPlugin.Config, SessionPlugin.Extension> {

    /**
     * Creates the plugin from a configuration.
     *
     * @param userConfig sets at least {@link Config#sessions(Sessions)}
     * @throws IllegalArgumentException if no sessions were set, or a guard names an unknown session
     */
    public SessionPlugin(Consumer<Config> userConfig) {
        super(Objects.requireNonNull(userConfig, "userConfig"), new Config());
        pluginConfig.validate();
    }

    /**
     * Creates the plugin for a set of sessions, with no login-required guard.
     *
     * @param sessions the application's session managers
     */
    public SessionPlugin(Sessions sessions) {
        this(cfg -> cfg.sessions(sessions));
    }

    /**
     * Installs the filter and the handlers; called by Javalin when it starts.
     *
     * @param state Javalin's configuration
     */
    @Override
    public void onStart(JavalinState state) {
        Sessions sessions = pluginConfig.sessions;
        // Jetty's per-connection header cache matches values case-insensitively, so a Cookie header
        // differing from an earlier one only in case (session=ID after SESSION=ID, or an id with its
        // case changed) would be handed to the core as the earlier line. Session ids are
        // case-sensitive; make the cache exact.
        state.jetty.modifyHttpConfiguration(http -> http.setHeaderCacheCaseSensitive(true));
        // The servlet adapter's filter does every commit path the after-handler cannot see. REQUEST
        // only: Javalin completes an asynchronous request itself (through the filter's AsyncContext,
        // which commits first) and never dispatches it again.
        state.jetty.modifyServletContextHandler(handler -> handler.addFilter(
                new FilterHolder(new SessionFilter(sessions)), "/*", EnumSet.of(DispatcherType.REQUEST)));
        state.routes.before(this::open);
        for (Guard guard : pluginConfig.guards) {
            for (String path : guard.paths) {
                state.routes.before(path, ctx -> {
                    if (!AuthSession.permits(open(ctx).session(guard.sessionName), ctx.req().getMethod())) {
                        pluginConfig.noAuth.handle(ctx);
                        throw new LoginRequired();
                    }
                });
            }
        }
        state.routes.after(this::commit);
        state.routes.exception(SessionUnavailableException.class, (e, ctx) -> unavailable(ctx, e));
        state.routes.exception(LoginRequired.class, (e, ctx) -> { });
    }

    /**
     * Returns the handlers' view of this plugin for one request; called by Javalin for
     * {@code ctx.with(SessionPlugin.class)}.
     *
     * @param context the request
     * @return the request's sessions
     */
    @Override
    public Extension createExtension(Context context) {
        return new Extension(context);
    }

    /**
     * Returns a session of a request: {@code ctx.with(SessionPlugin.class).session(name)}.
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
     * Returns the auth view of a session of a request: {@code ctx.with(SessionPlugin.class).auth(name)}.
     *
     * @param ctx the request
     * @param name the auth session manager's name, for example {@code "auth"}
     * @return the auth session
     * @throws IllegalArgumentException if no manager has that name
     */
    public static AuthSession auth(Context ctx, String name) {
        return ctx.with(SessionPlugin.class).auth(name);
    }

    private OpenSessions open(Context ctx) {
        return pluginConfig.sessions.open(JavalinRequestContextProvider.context(ctx));
    }

    /**
     * Commits the request's sessions (those the filter or the before-handler keeps under
     * {@link OpenSessions#ATTRIBUTE}) before Javalin writes the result, adding the core's
     * {@code Set-Cookie} values to {@code ctx.res()} as raw headers. Once they are committed (by the
     * filter, at a handler's first byte), this does nothing.
     */
    private void commit(Context ctx) {
        HttpServletResponse response = ctx.res();
        open(ctx).commit(new CookieJar() {
            @Override
            public void addSetCookie(String headerValue) {
                response.addHeader("Set-Cookie", headerValue);
            }

            @Override
            public boolean isCommitted() {
                return response.isCommitted();
            }
        });
    }

    private static void unavailable(Context ctx, Exception e) {
        AdapterSupport.logUnavailable(e);
        ctx.status(503).contentType(AdapterSupport.JSON).result(AdapterSupport.UNAVAILABLE_BODY);
    }

    /** Thrown by a guard after its answer, so that Javalin skips the other before-handlers and the endpoint. */
    private static final class LoginRequired extends RuntimeException {
        private static final long serialVersionUID = 1L;

        LoginRequired() {
            super("login required", null, false, false);
        }
    }

    private static final class Guard {
        final String sessionName;
        final List<String> paths;

        Guard(String sessionName, List<String> paths) {
            this.sessionName = sessionName;
            this.paths = paths;
        }
    }

    /**
     * The plugin's settings, applied by the {@code Consumer} given to the constructor.
     *
     * @since 0.1
     */
    public static final class Config {
        private Sessions sessions;
        private final List<Guard> guards = new ArrayList<>();
        private Handler noAuth = ctx -> ctx.status(401).contentType(AdapterSupport.JSON)
                .result(AdapterSupport.LOGIN_REQUIRED_BODY);

        /** Creates the defaults: no sessions, no guard, the default 401 answer. */
        public Config() {
        }

        /**
         * Sets the application's session managers. Required.
         *
         * @param sessions the session managers
         * @return this configuration
         */
        public Config sessions(Sessions sessions) {
            this.sessions = Objects.requireNonNull(sessions, "sessions");
            return this;
        }

        /**
         * Guards paths with a login-required before-handler: a request whose auth session has no
         * user gets the no-auth answer instead of reaching its handlers (OPTIONS requests pass). The
         * decision is {@link AuthSession#permits}; a store failure while deciding answers 503.
         *
         * @param sessionName the auth session manager's name, for example {@code "auth"}
         * @param paths Javalin paths, for example {@code "/me"} or {@code "/account/*"}
         * @return this configuration
         */
        public Config loginRequired(String sessionName, String... paths) {
            Objects.requireNonNull(sessionName, "sessionName");
            if (paths.length == 0) {
                throw new IllegalArgumentException("loginRequired(\"" + sessionName + "\") needs at least one path");
            }
            guards.add(new Guard(sessionName, List.of(paths)));
            return this;
        }

        /**
         * Replaces the guard's answer to an anonymous request, for example
         * {@code ctx -> ctx.redirect("/login")}. Default: 401 with
         * {@link AdapterSupport#LOGIN_REQUIRED_BODY} as {@code application/json}.
         *
         * @param handler answers the request; the path's own handlers do not run
         * @return this configuration
         */
        public Config onLoginRequired(Handler handler) {
            this.noAuth = Objects.requireNonNull(handler, "handler");
            return this;
        }

        void validate() {
            if (sessions == null) {
                throw new IllegalArgumentException(
                        "SessionPlugin needs the application's sessions: new SessionPlugin(cfg -> cfg.sessions(sessions))");
            }
            for (Guard guard : guards) {
                sessions.manager(guard.sessionName);
            }
        }
    }

    /**
     * A request's sessions, as handlers reach them through {@code ctx.with(SessionPlugin.class)}.
     *
     * @since 0.1
     */
    public final class Extension {
        private final Context ctx;

        private Extension(Context ctx) {
            this.ctx = ctx;
        }

        /**
         * Returns a session of this request.
         *
         * @param name the session manager's name, for example {@code "session"}
         * @return the session
         * @throws IllegalArgumentException if no manager has that name
         */
        public Session session(String name) {
            return open(ctx).session(name);
        }

        /**
         * Returns the auth view of a session of this request.
         *
         * @param name the auth session manager's name, for example {@code "auth"}
         * @return the auth session
         * @throws IllegalArgumentException if no manager has that name
         */
        public AuthSession auth(String name) {
            return AuthSession.of(session(name));
        }

        /**
         * Returns every session of this request.
         *
         * @return the open sessions
         */
        public OpenSessions sessions() {
            return open(ctx);
        }
    }
}
