package dev.cookies.javalin;

import dev.cookies.Sessions;
import dev.cookies.testkit.AdapterContract;
import dev.cookies.testkit.ReferenceApp;
import dev.cookies.testkit.ReferenceServer;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.ConflictResponse;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.io.OutputStream;
import java.net.URI;
import java.util.Arrays;
import java.util.function.Consumer;

/** The reference app on Javalin 7 with {@link SessionPlugin}, on a free loopback port. */
final class JavalinReferenceApp {

    private JavalinReferenceApp() {
    }

    /**
     * Starts the reference app.
     *
     * @param sessions the sessions
     * @param noAuth the guard's no-auth handler, or {@code null} for the default 401
     * @param extra more configuration (extra routes) for a test, or {@code null}
     * @return the running server
     */
    static ReferenceServer start(Sessions sessions, Handler noAuth, Consumer<JavalinConfig> extra) {
        return start(sessions, noAuth, extra, cfg -> { });
    }

    /**
     * Starts the reference app with more plugin settings.
     *
     * @param sessions the sessions
     * @param noAuth the guard's no-auth handler, or {@code null} for the default 401
     * @param extra more configuration (extra routes, filters) for a test, or {@code null}; applied before
     *     the plugin starts, as an application's own configuration is
     * @param plugin more plugin settings, for example a cross-site guard
     * @return the running server
     */
    static ReferenceServer start(Sessions sessions, Handler noAuth, Consumer<JavalinConfig> extra,
            Consumer<SessionPlugin.Config> plugin) {
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.startupWatcherEnabled = false;
            config.jetty.modifyHttpConfiguration(http -> http.setRequestHeaderSize(64 * 1024));
            config.registerPlugin(new SessionPlugin(cfg -> {
                cfg.sessions(sessions).loginRequired(ReferenceApp.AUTH, "/me", "/sessions", "/logout/everywhere",
                        "/logout/everywhere-else");
                if (noAuth != null) {
                    cfg.onLoginRequired(noAuth);
                }
                plugin.accept(cfg);
            }));
            config.routes.get("/counter", ctx -> reply(ctx, ReferenceApp.counter(session(ctx))));
            config.routes.post("/counter/increment", ctx -> reply(ctx, ReferenceApp.increment(session(ctx))));
            config.routes.post("/counter/clear", ctx -> reply(ctx, ReferenceApp.clear(session(ctx))));
            config.routes.post("/login", ctx -> reply(ctx, ReferenceApp.login(auth(ctx), ctx.body())));
            config.routes.post("/logout", ctx -> reply(ctx, ReferenceApp.logout(auth(ctx))));
            config.routes.get("/me", ctx -> reply(ctx, ReferenceApp.me(auth(ctx))));
            config.routes.options("/me", ctx -> ctx.status(204));
            config.routes.get("/", ctx -> reply(ctx, ReferenceApp.page(session(ctx), auth(ctx))));
            config.routes.get("/sessions", ctx -> reply(ctx, ReferenceApp.sessions(auth(ctx))));
            config.routes.post("/logout/everywhere", ctx -> reply(ctx, ReferenceApp.signOutEverywhere(auth(ctx))));
            config.routes.post("/logout/everywhere-else", ctx -> reply(ctx, ReferenceApp.signOutEverywhereElse(auth(ctx))));
            config.routes.post("/redirect", ctx -> {
                ReferenceApp.increment(session(ctx));
                ctx.redirect("/counter");
            });
            config.routes.post("/error", ctx -> {
                ReferenceApp.increment(session(ctx));
                throw new ConflictResponse();
            });
            config.routes.post("/fail", ctx -> reply(ctx, ReferenceApp.fail(session(ctx))));
            config.routes.post("/big", ctx -> reply(ctx, ReferenceApp.big(session(ctx))));
            config.routes.post("/stream", ctx -> {
                ReferenceApp.increment(session(ctx));
                OutputStream out = ctx.res().getOutputStream();
                byte[] chunk = new byte[64 * 1024];
                Arrays.fill(chunk, (byte) 'x');
                for (int sent = 0; sent < AdapterContract.STREAM_BYTES; sent += chunk.length) {
                    out.write(chunk);
                    out.flush();
                }
            });
            if (extra != null) {
                extra.accept(config);
            }
        }).start("127.0.0.1", 0);
        URI base = URI.create("http://127.0.0.1:" + app.port());
        return new ReferenceServer() {
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

    static dev.cookies.Session session(Context ctx) {
        return ctx.with(SessionPlugin.class).session(ReferenceApp.SESSION);
    }

    static dev.cookies.Session auth(Context ctx) {
        return SessionPlugin.session(ctx, ReferenceApp.AUTH);
    }

    static void reply(Context ctx, ReferenceApp.Reply reply) {
        ctx.status(reply.status()).contentType(reply.contentType()).result(reply.body());
    }
}
