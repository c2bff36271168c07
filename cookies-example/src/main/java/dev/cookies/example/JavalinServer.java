package dev.cookies.example;

import dev.cookies.Session;
import dev.cookies.Sessions;
import dev.cookies.javalin.SessionPlugin;
import dev.cookies.testkit.ReferenceApp;
import io.javalin.Javalin;
import io.javalin.http.ConflictResponse;
import io.javalin.http.Context;
import java.net.URI;

/** The reference app on Javalin 7. */
final class JavalinServer {

    private JavalinServer() {
    }

    static ExampleServer start(Sessions sessions, String host, int port, ExampleServer.Routes routes) {
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jetty.modifyHttpConfiguration(http -> {
                http.setRequestHeaderSize(64 * 1024);
                http.setHeaderCacheCaseSensitive(true);
            });
            config.registerPlugin(new SessionPlugin(cfg -> {
                cfg.sessions(sessions).loginRequired(ReferenceApp.AUTH, "/me");
                if (routes.loginRedirect()) {
                    cfg.onLoginRequired(ctx -> ctx.redirect("/login"));
                }
            }));
            config.routes.get("/", ctx -> reply(ctx, ReferenceApp.page(session(ctx), auth(ctx))));
            config.routes.get("/counter", ctx -> reply(ctx, ReferenceApp.counter(session(ctx))));
            config.routes.post("/counter/increment", ctx -> reply(ctx, ReferenceApp.increment(session(ctx))));
            config.routes.post("/login", ctx -> reply(ctx, ReferenceApp.login(auth(ctx), ctx.body())));
            config.routes.post("/logout", ctx -> reply(ctx, ReferenceApp.logout(auth(ctx))));
            config.routes.get("/me", ctx -> reply(ctx, ReferenceApp.me(auth(ctx))));
            config.routes.options("/me", ctx -> ctx.status(204));
            if (routes.contractTests()) {
                config.routes.post("/counter/clear", ctx -> reply(ctx, ReferenceApp.clear(session(ctx))));
                config.routes.post("/redirect", ctx -> {
                    ReferenceApp.increment(session(ctx));
                    ctx.redirect("/counter");
                });
                config.routes.post("/error", ctx -> {
                    ReferenceApp.increment(session(ctx));
                    throw new ConflictResponse();
                });
                config.routes.post("/stream", ctx -> {
                    ReferenceApp.increment(session(ctx));
                    Streams.megabyte(ctx.res().getOutputStream());
                });
            }
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

    private static Session session(Context ctx) {
        return SessionPlugin.session(ctx, ReferenceApp.SESSION);
    }

    private static Session auth(Context ctx) {
        return SessionPlugin.session(ctx, ReferenceApp.AUTH);
    }

    private static void reply(Context ctx, ReferenceApp.Reply reply) {
        ctx.status(reply.status()).contentType(reply.contentType()).result(reply.body());
    }
}
