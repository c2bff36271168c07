package dev.cookies.example;

import static dev.cookies.example.ExampleSessions.SESSION;

import dev.cookies.Session;
import dev.cookies.SessionData;
import dev.cookies.Sessions;
import dev.cookies.javalin.SessionPlugin;
import dev.cookies.servlet.SessionFilter;
import dev.cookies.testkit.AdapterContract;
import dev.cookies.testkit.ReferenceApp;
import dev.cookies.undertow.SessionHandler;
import io.javalin.config.JavalinConfig;
import io.javalin.http.ConflictResponse;
import io.undertow.Handlers;
import io.undertow.server.RoutingHandler;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;

/**
 * The example app with the routes only the adapter contract uses ({@code /counter/clear},
 * {@code /redirect}, {@code /error}, {@code /stream}, {@code /fail}, {@code /big}), added from test
 * sources in each framework's idiom through the servers' {@code Extras}: the jar never ships them.
 */
final class ContractApp {

    /** What {@code POST /fail} throws: no answer may repeat it. */
    static final String FAIL_MESSAGE = "the example's /fail route failed on purpose; secret=s3ss10n-v4lue";

    private ContractApp() {
    }

    /**
     * Starts the app with the contract's routes on a free loopback port.
     *
     * @param adapter {@code javalin}, {@code servlet} or {@code undertow}
     * @param sessions the sessions
     * @param loginRedirect answer an anonymous {@code GET /me} with a redirect to {@code /login} instead of 401
     * @return the running app
     * @throws Exception if it does not start
     */
    static ExampleServer start(String adapter, Sessions sessions, boolean loginRedirect) throws Exception {
        LoginRequest.Limits limits = LoginRequest.Limits.DEFAULT;
        return switch (adapter) {
            case "javalin" -> JavalinServer.start(sessions, "127.0.0.1", 0, limits, new JavalinServer.Extras(ContractApp::javalin,
                    loginRedirect ? ctx -> ctx.redirect(AdapterContract.LOGIN_PAGE) : null));
            case "servlet" -> ServletServer.start(sessions, "127.0.0.1", 0, limits, new ServletServer.Extras(ContractApp::servlet,
                    loginRedirect ? (request, response) -> response.sendRedirect(AdapterContract.LOGIN_PAGE) : null));
            case "undertow" -> UndertowServer.start(sessions, "127.0.0.1", 0, limits, new UndertowServer.Extras(ContractApp::undertow,
                    loginRedirect ? Handlers.redirect(AdapterContract.LOGIN_PAGE) : null));
            default -> throw new IllegalArgumentException(adapter);
        };
    }

    static void javalin(JavalinConfig config) {
        config.routes.post("/counter/clear", ctx -> {
            SessionPlugin.session(ctx, SESSION).update(SessionData::clear);
            ctx.json(Map.of("count", 0));
        });
        config.routes.post("/redirect", ctx -> {
            increment(SessionPlugin.session(ctx, SESSION));
            ctx.redirect("/counter");
        });
        config.routes.post("/error", ctx -> {
            increment(SessionPlugin.session(ctx, SESSION));
            throw new ConflictResponse();
        });
        config.routes.post("/stream", ctx -> {
            increment(SessionPlugin.session(ctx, SESSION));
            stream(ctx.res().getOutputStream());
        });
        config.routes.post("/fail", ctx -> fail(SessionPlugin.session(ctx, SESSION)));
        config.routes.post("/big", ctx -> ctx.json(Map.of("count", big(SessionPlugin.session(ctx, SESSION)))));
    }

    static void servlet(ServletContextHandler context) {
        context.addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
                SessionFilter.session(request, SESSION).update(SessionData::clear);
                ServletServer.json(response, 200, Json.write(Map.of("count", 0)));
            }
        }), "/counter/clear");
        context.addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
                increment(SessionFilter.session(request, SESSION));
                response.sendRedirect("/counter");
            }
        }), "/redirect");
        context.addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
                increment(SessionFilter.session(request, SESSION));
                response.sendError(409);
            }
        }), "/error");
        context.addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
                increment(SessionFilter.session(request, SESSION));
                stream(response.getOutputStream());
            }
        }), "/stream");
        context.addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void doPost(HttpServletRequest request, HttpServletResponse response) {
                fail(SessionFilter.session(request, SESSION));
            }
        }), "/fail");
        context.addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
                ServletServer.json(response, 200, Json.write(Map.of("count", big(SessionFilter.session(request, SESSION)))));
            }
        }), "/big");
    }

    static void undertow(RoutingHandler routes) {
        routes.post("/counter/clear", ex -> {
            SessionHandler.session(ex, SESSION).update(SessionData::clear);
            ex.getResponseSender().send(Json.write(Map.of("count", 0)));
        }).post("/redirect", ex -> {
            increment(SessionHandler.session(ex, SESSION));
            Handlers.redirect("/counter").handleRequest(ex);
        }).post("/error", ex -> {
            increment(SessionHandler.session(ex, SESSION));
            ex.setStatusCode(409);
            ex.endExchange();
        }).post("/stream", ex -> {
            increment(SessionHandler.session(ex, SESSION));
            stream(ex.getOutputStream());
        }).post("/fail", ex -> fail(SessionHandler.session(ex, SESSION)))
                .post("/big", ex -> ex.getResponseSender().send(Json.write(Map.of("count", big(SessionHandler.session(ex, SESSION))))));
    }

    private static void increment(Session session) {
        session.update(s -> s.put("count", s.get("count", Integer.class).orElse(0) + 1));
    }

    /** An unlocked write, then a failure the framework answers: the write is still saved. */
    private static void fail(Session session) {
        session.put("count", ReferenceApp.FAIL_COUNT);
        throw new IllegalStateException(FAIL_MESSAGE);
    }

    /** An unlocked write too large for any session: the core answers 500 when it commits. */
    private static int big(Session session) {
        session.put("big", "x".repeat(ReferenceApp.BIG_CHARS));
        return session.get("count", Integer.class).orElse(0);
    }

    /** The contract's streamed body: 1 MiB in 64 KiB chunks, flushed after each. */
    private static void stream(OutputStream out) throws IOException {
        byte[] chunk = new byte[64 * 1024];
        Arrays.fill(chunk, (byte) 'x');
        for (int sent = 0; sent < AdapterContract.STREAM_BYTES; sent += chunk.length) {
            out.write(chunk);
            out.flush();
        }
    }
}
