package dev.cookies.example;

import dev.cookies.Session;
import dev.cookies.Sessions;
import dev.cookies.testkit.ReferenceApp;
import dev.cookies.undertow.LoginRequiredHandler;
import dev.cookies.undertow.SessionHandler;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.server.handlers.RedirectHandler;
import io.undertow.util.Headers;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/** The reference app on Undertow behind {@link SessionHandler}. */
final class UndertowServer {

    private UndertowServer() {
    }

    static ExampleServer start(Sessions sessions, String host, int port, ExampleServer.Routes routes) {
        HttpHandler me = ex -> reply(ex, ReferenceApp.me(auth(ex)));
        HttpHandler guardedMe = routes.loginRedirect()
                ? new LoginRequiredHandler(ReferenceApp.AUTH, me, new RedirectHandler("/login"))
                : new LoginRequiredHandler(ReferenceApp.AUTH, me);
        RoutingHandler router = new RoutingHandler()
                .get("/", ex -> reply(ex, ReferenceApp.page(session(ex), auth(ex))))
                .get("/counter", ex -> reply(ex, ReferenceApp.counter(session(ex))))
                .post("/counter/increment", ex -> reply(ex, ReferenceApp.increment(session(ex))))
                .post("/login", ex -> reply(ex, ReferenceApp.login(auth(ex), body(ex))))
                .post("/logout", ex -> reply(ex, ReferenceApp.logout(auth(ex))))
                .get("/me", guardedMe)
                .add("OPTIONS", "/me", ex -> ex.setStatusCode(204));
        if (routes.contractTests()) {
            router.post("/counter/clear", ex -> reply(ex, ReferenceApp.clear(session(ex))))
                    .post("/redirect", ex -> {
                        ReferenceApp.increment(session(ex));
                        new RedirectHandler("/counter").handleRequest(ex);
                    })
                    .post("/error", ex -> {
                        ReferenceApp.increment(session(ex));
                        ex.setStatusCode(409);
                        ex.endExchange();
                    })
                    .post("/stream", ex -> {
                        ReferenceApp.increment(session(ex));
                        ex.startBlocking();
                        Streams.megabyte(ex.getOutputStream());
                    });
        }
        Undertow server = Undertow.builder()
                .addHttpListener(port, host)
                .setHandler(new SessionHandler(sessions, router))
                .build();
        server.start();
        int bound = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
        URI base = ExampleServer.baseUri(host, bound);
        return new ExampleServer() {
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

    private static Session session(HttpServerExchange ex) {
        return SessionHandler.session(ex, ReferenceApp.SESSION);
    }

    private static Session auth(HttpServerExchange ex) {
        return SessionHandler.session(ex, ReferenceApp.AUTH);
    }

    private static String body(HttpServerExchange ex) throws IOException {
        ex.startBlocking();
        return new String(ex.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    private static void reply(HttpServerExchange ex, ReferenceApp.Reply reply) {
        ex.setStatusCode(reply.status());
        ex.getResponseHeaders().put(Headers.CONTENT_TYPE, reply.contentType());
        ex.getResponseSender().send(reply.body());
    }
}
