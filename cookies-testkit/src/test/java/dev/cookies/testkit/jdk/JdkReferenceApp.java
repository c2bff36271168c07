package dev.cookies.testkit.jdk;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.cookies.Session;
import dev.cookies.Sessions;
import dev.cookies.testkit.AdapterContract;
import dev.cookies.testkit.ReferenceApp;
import dev.cookies.testkit.ReferenceServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** The reference app ({@link AdapterContract}'s routes) on the JDK server with {@link SessionFilter}. */
final class JdkReferenceApp {

    static {
        // The JDK server writes headers and body separately; without TCP_NODELAY every small response
        // waits out the client's delayed ACK (about 40 ms). Read once, when the server classes load.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private JdkReferenceApp() {
    }

    static ReferenceServer start(Sessions sessions, HttpHandler noAuth) throws IOException {
        Map<String, HttpHandler> routes = new HashMap<>();
        routes.put("GET /counter", ex -> reply(ex, ReferenceApp.counter(session(ex))));
        routes.put("POST /counter/increment", ex -> reply(ex, ReferenceApp.increment(session(ex))));
        routes.put("POST /counter/clear", ex -> reply(ex, ReferenceApp.clear(session(ex))));
        routes.put("POST /login", ex -> reply(ex, ReferenceApp.login(auth(ex),
                new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8))));
        routes.put("POST /logout", ex -> reply(ex, ReferenceApp.logout(auth(ex))));
        HttpHandler me = SessionFilter.loginRequired(ReferenceApp.AUTH, ex -> {
            if ("OPTIONS".equals(ex.getRequestMethod())) {
                ex.sendResponseHeaders(204, -1);
                ex.close();
            } else {
                reply(ex, ReferenceApp.me(auth(ex)));
            }
        }, noAuth);
        routes.put("GET /me", me);
        routes.put("OPTIONS /me", me);
        routes.put("GET /", ex -> reply(ex, ReferenceApp.page(session(ex), auth(ex))));
        routes.put("GET /sessions", SessionFilter.loginRequired(ReferenceApp.AUTH,
                ex -> reply(ex, ReferenceApp.sessions(auth(ex))), noAuth));
        routes.put("POST /logout/everywhere", SessionFilter.loginRequired(ReferenceApp.AUTH,
                ex -> reply(ex, ReferenceApp.signOutEverywhere(auth(ex))), noAuth));
        routes.put("POST /logout/everywhere-else", SessionFilter.loginRequired(ReferenceApp.AUTH,
                ex -> reply(ex, ReferenceApp.signOutEverywhereElse(auth(ex))), noAuth));
        routes.put("POST /redirect", ex -> {
            ReferenceApp.increment(session(ex));
            ex.getResponseHeaders().set("Location", "/counter");
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        routes.put("POST /error", ex -> {
            ReferenceApp.increment(session(ex));
            ex.sendResponseHeaders(409, -1);
            ex.close();
        });
        routes.put("POST /fail", ex -> reply(ex, ReferenceApp.fail(session(ex))));
        routes.put("POST /big", ex -> reply(ex, ReferenceApp.big(session(ex))));
        routes.put("POST /stream", ex -> {
            ReferenceApp.increment(session(ex));
            ex.sendResponseHeaders(200, 0);
            try (OutputStream out = ex.getResponseBody()) {
                byte[] chunk = "x".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
                for (int sent = 0; sent < AdapterContract.STREAM_BYTES; sent += chunk.length) {
                    out.write(chunk);
                    out.flush();
                }
            }
        });

        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        ExecutorService executor = Executors.newCachedThreadPool();
        server.setExecutor(executor);
        server.createContext("/", ex -> {
            HttpHandler h = routes.get(ex.getRequestMethod() + " " + ex.getRequestURI().getPath());
            if (h == null) {
                ex.sendResponseHeaders(404, -1);
                ex.close();
            } else {
                h.handle(ex);
            }
        }).getFilters().add(new SessionFilter(sessions));
        server.start();
        URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        return new ReferenceServer() {
            @Override
            public URI baseUri() {
                return base;
            }

            @Override
            public void close() {
                server.stop(0);
                executor.shutdownNow();
            }
        };
    }

    private static Session session(HttpExchange ex) {
        return (Session) ex.getAttribute(ReferenceApp.SESSION);
    }

    private static Session auth(HttpExchange ex) {
        return (Session) ex.getAttribute(ReferenceApp.AUTH);
    }

    private static void reply(HttpExchange ex, ReferenceApp.Reply reply) throws IOException {
        byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", reply.contentType());
        ex.sendResponseHeaders(reply.status(), body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }
}
