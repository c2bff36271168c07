package dev.cookies.undertow;

import dev.cookies.Session;
import dev.cookies.Sessions;
import dev.cookies.testkit.AdapterContract;
import dev.cookies.testkit.ReferenceApp;
import dev.cookies.testkit.ReferenceServer;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.server.handlers.RedirectHandler;
import io.undertow.server.handlers.error.SimpleErrorPageHandler;
import io.undertow.util.Headers;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/** The reference app on Undertow behind {@link SessionHandler}, on a free loopback port. */
final class UndertowReferenceApp {

    private UndertowReferenceApp() {
    }

    /**
     * Starts the reference app.
     *
     * @param sessions the sessions
     * @param noAuth the guard's no-auth handler, or {@code null} for the default 401
     * @param extra more routes for a test, or {@code null}
     * @return the running server
     */
    static ReferenceServer start(Sessions sessions, HttpHandler noAuth, Consumer<RoutingHandler> extra) {
        RoutingHandler routes = new RoutingHandler()
                .get("/counter", ex -> reply(ex, ReferenceApp.counter(session(ex))))
                .post("/counter/increment", ex -> reply(ex, ReferenceApp.increment(session(ex))))
                .post("/counter/clear", ex -> reply(ex, ReferenceApp.clear(session(ex))))
                .post("/login", ex -> reply(ex, ReferenceApp.login(auth(ex), body(ex))))
                .post("/logout", ex -> reply(ex, ReferenceApp.logout(auth(ex))))
                .get("/me", guard(ex -> reply(ex, ReferenceApp.me(auth(ex))), noAuth))
                .add("OPTIONS", "/me", guard(ex -> ex.setStatusCode(204), noAuth))
                .get("/", ex -> reply(ex, ReferenceApp.page(session(ex), auth(ex))))
                .get("/sessions", guard(ex -> reply(ex, ReferenceApp.sessions(auth(ex))), noAuth))
                .post("/logout/everywhere", guard(ex -> reply(ex, ReferenceApp.signOutEverywhere(auth(ex))), noAuth))
                .post("/logout/everywhere-else", guard(ex -> reply(ex, ReferenceApp.signOutEverywhereElse(auth(ex))), noAuth))
                .post("/redirect", ex -> {
                    ReferenceApp.increment(session(ex));
                    new RedirectHandler("/counter").handleRequest(ex);
                })
                .post("/error", new SimpleErrorPageHandler(ex -> {
                    ReferenceApp.increment(session(ex));
                    ex.setStatusCode(409);
                    ex.endExchange();
                }))
                .post("/fail", ex -> reply(ex, ReferenceApp.fail(session(ex))))
                .post("/big", ex -> reply(ex, ReferenceApp.big(session(ex))))
                .post("/stream", ex -> {
                    ReferenceApp.increment(session(ex));
                    ex.startBlocking();
                    OutputStream out = ex.getOutputStream();
                    byte[] chunk = new byte[64 * 1024];
                    Arrays.fill(chunk, (byte) 'x');
                    for (int sent = 0; sent < AdapterContract.STREAM_BYTES; sent += chunk.length) {
                        out.write(chunk);
                        out.flush();
                    }
                });
        if (extra != null) {
            extra.accept(routes);
        }
        Undertow server = Undertow.builder()
                .addHttpListener(0, "127.0.0.1")
                .setHandler(new SessionHandler(sessions, routes))
                .build();
        server.start();
        int port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
        URI base = URI.create("http://127.0.0.1:" + port);
        return new ReferenceServer() {
            @Override
            public URI baseUri() {
                return base;
            }

            @Override
            public void close() {
                server.stop();
            }
        };
    }

    private static HttpHandler guard(HttpHandler next, HttpHandler noAuth) {
        return noAuth == null ? new LoginRequiredHandler(ReferenceApp.AUTH, next)
                : new LoginRequiredHandler(ReferenceApp.AUTH, next, noAuth);
    }

    static Session session(HttpServerExchange ex) {
        return SessionHandler.session(ex, ReferenceApp.SESSION);
    }

    static Session auth(HttpServerExchange ex) {
        return SessionHandler.session(ex, ReferenceApp.AUTH);
    }

    static String body(HttpServerExchange ex) throws java.io.IOException {
        ex.startBlocking();
        return new String(ex.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    static void reply(HttpServerExchange ex, ReferenceApp.Reply reply) {
        ex.setStatusCode(reply.status());
        ex.getResponseHeaders().put(Headers.CONTENT_TYPE, reply.contentType());
        ex.getResponseSender().send(reply.body());
    }
}
