package dev.cookies.example;

import static dev.cookies.example.ExampleSessions.AUTH;
import static dev.cookies.example.ExampleSessions.SESSION;

import dev.cookies.AuthSession;
import dev.cookies.CrossSiteGuard;
import dev.cookies.Sessions;
import dev.cookies.javalin.SessionPlugin;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import java.net.URI;
import java.util.Collections;
import java.util.Map;
import java.util.function.Consumer;

/** The app on Javalin 7: the {@link SessionPlugin} with both guards, and a handler per route. */
final class JavalinServer {

    private JavalinServer() {
    }

    /**
     * What tests add to the app without the jar shipping it.
     *
     * @param routes more routes, added after the app's own
     * @param onLoginRequired the answer to an anonymous {@code GET /me}, or {@code null} for the plugin's 401
     */
    record Extras(Consumer<JavalinConfig> routes, Handler onLoginRequired) {
        static final Extras NONE = new Extras(config -> { }, null);
    }

    static ExampleServer start(Sessions sessions, String host, int port, LoginRequest.Limits limits, Extras extras) {
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.http.prefer405over404 = true;
            config.jsonMapper(new JavalinJackson(Json.MAPPER, false));
            config.jetty.modifyHttpConfiguration(http -> {
                // Oversized or garbage Cookie headers reach the core, which gives them a fresh session,
                // rather than ending in Jetty's 431 at its 8 KiB default.
                http.setRequestHeaderSize(64 * 1024);
                http.setSendServerVersion(false);
            });
            // Requests Jetty refuses before Javalin sees them (a malformed request line, headers too large).
            config.jetty.modifyServer(server -> server.setErrorHandler(new JettyErrors()));
            config.registerPlugin(new SessionPlugin(cfg -> {
                cfg.sessions(sessions)
                        .crossSiteGuard(CrossSiteGuard.defaults())
                        .loginRequired(AUTH, "/me", "/sessions", "/logout/everywhere", "/logout/everywhere-else");
                if (extras.onLoginRequired() != null) {
                    cfg.onLoginRequired(extras.onLoginRequired());
                }
            }));

            config.routes.get("/", ctx -> ctx.html(Page.render(count(ctx), SessionPlugin.auth(ctx, AUTH).user())));
            config.routes.get("/counter", ctx -> ctx.json(Map.of("count", count(ctx))));
            config.routes.post("/counter/increment", ctx -> {
                int count = SessionPlugin.session(ctx, SESSION).compute(s -> {
                    int next = s.get("count", Integer.class).orElse(0) + 1;
                    s.put("count", next);
                    return next;
                });
                ctx.json(Map.of("count", count));
            });
            config.routes.post("/login", ctx -> {
                LoginRequest login = LoginRequest.read(limits, ctx.contentType(), ctx.req().getContentLengthLong(),
                        ctx.req().getInputStream());
                AuthSession auth = SessionPlugin.auth(ctx, AUTH);
                try {
                    auth.login(login.user(), login.options());
                } catch (IllegalArgumentException e) {
                    throw Problem.USER_NOT_STORABLE.exception();
                }
                ctx.json(Map.of("user", login.user()));
            });
            config.routes.post("/logout", ctx -> {
                SessionPlugin.auth(ctx, AUTH).logout();
                ctx.json(Collections.singletonMap("user", null));
            });
            // Behind the plugin's login-required guard: only a logged-in user gets here.
            config.routes.get("/me", ctx ->
                    ctx.json(Collections.singletonMap("user", SessionPlugin.auth(ctx, AUTH).user().orElse(null))));
            config.routes.options("/me", ctx -> ctx.status(204));
            // Who is signed in where, behind the same guard; a store that cannot answers 501.
            config.routes.get("/sessions", ctx -> ctx.json(UserSessions.list(SessionPlugin.auth(ctx, AUTH))));
            config.routes.post("/logout/everywhere",
                    ctx -> ctx.json(UserSessions.signOutEverywhere(SessionPlugin.auth(ctx, AUTH))));
            config.routes.post("/logout/everywhere-else",
                    ctx -> ctx.json(UserSessions.signOutEverywhereElse(SessionPlugin.auth(ctx, AUTH))));

            // The plugin's own exception handler answers the library's exceptions (503, 500); Javalin
            // picks the handler of the closest class, so these take the rest, and no answer carries an
            // exception's text.
            config.routes.exception(ProblemException.class, (e, ctx) -> {
                ProblemLog.answered(e.problem(), ctx.method() + " " + ctx.path());
                answer(ctx, e.problem().status(), e.problem().body());
            });
            config.routes.exception(HttpResponseException.class, (e, ctx) -> {
                if (e.getStatus() == 404) {
                    ProblemLog.answered(Problem.NOT_FOUND, "a request for an unknown path");
                } else if (e.getStatus() == 405) {
                    ProblemLog.answered(Problem.METHOD_NOT_ALLOWED, "a request with an unsupported method");
                }
                answer(ctx, e.getStatus(), Problem.bodyFor(e.getStatus()));
            });
            config.routes.exception(Exception.class, (e, ctx) -> {
                ProblemLog.failed(e, ctx.method() + " " + ctx.path());
                answer(ctx, 500, Problem.SERVER_ERROR.body());
            });
            extras.routes().accept(config);
        }).start(host, port);
        URI base = ExampleServer.baseUri(host, app.port());
        return new ExampleServer() {
            @Override
            public URI baseUri() {
                return base;
            }

            @Override
            public void close() {
                app.stop();
            }
        };
    }

    private static int count(Context ctx) {
        return SessionPlugin.session(ctx, SESSION).get("count", Integer.class).orElse(0);
    }

    private static void answer(Context ctx, int status, String body) {
        if (status == Problem.BODY_TOO_LARGE.status()) {
            // A longer or chunked body was not read to its end: close the connection rather than read it to reuse it.
            ctx.header("Connection", "close");
        }
        ctx.status(status).contentType("application/json").result(body);
    }
}
