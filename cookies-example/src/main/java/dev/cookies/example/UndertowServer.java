package dev.cookies.example;

import static dev.cookies.example.ExampleSessions.AUTH;
import static dev.cookies.example.ExampleSessions.SESSION;

import dev.cookies.AuthSession;
import dev.cookies.CrossSiteGuard;
import dev.cookies.Sessions;
import dev.cookies.undertow.CrossSiteHandler;
import dev.cookies.undertow.LoginRequiredHandler;
import dev.cookies.undertow.SessionHandler;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.server.handlers.BlockingHandler;
import io.undertow.server.handlers.ExceptionHandler;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The app on Undertow 2.4: routes behind {@link CrossSiteHandler} and {@link SessionHandler}, with
 * {@link LoginRequiredHandler} on {@code /me}; outside them, Undertow's {@link ExceptionHandler} answers
 * what a handler throws with a short JSON body.
 */
final class UndertowServer {

    private UndertowServer() {
    }

    /**
     * What tests add to the app without the jar shipping it.
     *
     * @param routes more routes, added after the app's own
     * @param onLoginRequired the answer to an anonymous {@code GET /me}, or {@code null} for the guard's 401
     */
    record Extras(Consumer<RoutingHandler> routes, HttpHandler onLoginRequired) {
        static final Extras NONE = new Extras(routes -> { }, null);
    }

    static ExampleServer start(Sessions sessions, String host, int port, LoginRequest.Limits limits, Extras extras) {
        RoutingHandler routes = new RoutingHandler()
                .get("/", ex -> {
                    ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/html; charset=utf-8");
                    ex.getResponseSender().send(Page.render(count(ex), SessionHandler.auth(ex, AUTH).user()));
                })
                .get("/counter", ex -> json(ex, 200, Json.write(Map.of("count", count(ex)))))
                .post("/counter/increment", ex -> {
                    int count = SessionHandler.session(ex, SESSION).compute(s -> {
                        int next = s.get("count", Integer.class).orElse(0) + 1;
                        s.put("count", next);
                        return next;
                    });
                    json(ex, 200, Json.write(Map.of("count", count)));
                })
                .post("/login", ex -> {
                    LoginRequest login = LoginRequest.read(limits, ex.getRequestHeaders().getFirst(Headers.CONTENT_TYPE),
                            ex.getRequestContentLength(), ex.getInputStream());
                    AuthSession auth = SessionHandler.auth(ex, AUTH);
                    try {
                        auth.login(login.user(), login.options());
                    } catch (IllegalArgumentException e) {
                        throw Problem.USER_NOT_STORABLE.exception();
                    }
                    json(ex, 200, Json.write(Map.of("user", login.user())));
                })
                .post("/logout", ex -> {
                    SessionHandler.auth(ex, AUTH).logout();
                    json(ex, 200, Json.object("user", null));
                })
                .get("/me", loginRequired(ex ->
                        json(ex, 200, Json.object("user", SessionHandler.auth(ex, AUTH).user().orElse(null))), extras))
                .add(Methods.OPTIONS, "/me", loginRequired(ex -> ex.setStatusCode(204), extras))
                // Who is signed in where, behind the same guard; a store that cannot answers 501.
                .get("/sessions", loginRequired(ex ->
                        json(ex, 200, Json.write(UserSessions.list(SessionHandler.auth(ex, AUTH)))), extras))
                .post("/logout/everywhere", loginRequired(ex ->
                        json(ex, 200, Json.write(UserSessions.signOutEverywhere(SessionHandler.auth(ex, AUTH)))), extras))
                .post("/logout/everywhere-else", loginRequired(ex ->
                        json(ex, 200, Json.write(UserSessions.signOutEverywhereElse(SessionHandler.auth(ex, AUTH)))), extras))
                .setFallbackHandler(ex -> {
                    ProblemLog.answered(Problem.NOT_FOUND, "a request for an unknown path");
                    json(ex, 404, Problem.NOT_FOUND.body());
                })
                .setInvalidMethodHandler(ex -> {
                    ProblemLog.answered(Problem.METHOD_NOT_ALLOWED, "a request with an unsupported method");
                    json(ex, 405, Problem.METHOD_NOT_ALLOWED.body());
                });
        extras.routes().accept(routes);

        HttpHandler app = new SessionHandler(sessions, new CrossSiteHandler(CrossSiteGuard.defaults(), routes));
        // Outside the sessions, so the core sees a failure first (and answers its own, such as a store
        // outage); what it leaves is answered here instead of by Undertow, which logs a stack trace.
        HttpHandler answered = Handlers.exceptionHandler(app)
                .addExceptionHandler(ProblemException.class, ex -> {
                    Problem problem = ((ProblemException) ex.getAttachment(ExceptionHandler.THROWABLE)).problem();
                    ProblemLog.answered(problem, ex.getRequestMethod() + " " + ex.getRelativePath());
                    if (problem == Problem.BODY_TOO_LARGE) {
                        // A longer or chunked body was not read to its end: close the connection rather than read it to reuse it.
                        ex.setPersistent(false);
                    }
                    json(ex, problem.status(), problem.body());
                })
                .addExceptionHandler(Throwable.class, ex -> {
                    ProblemLog.failed(ex.getAttachment(ExceptionHandler.THROWABLE),
                            ex.getRequestMethod() + " " + ex.getRelativePath());
                    if (!ex.isResponseStarted()) {
                        json(ex, 500, Problem.SERVER_ERROR.body());
                    }
                });
        // Blocking: handlers read bodies as streams and sessions block on their store, so run on a worker.
        Undertow server = Undertow.builder()
                .addHttpListener(port, host)
                .setHandler(new BlockingHandler(answered))
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

    private static HttpHandler loginRequired(HttpHandler next, Extras extras) {
        return extras.onLoginRequired() == null ? new LoginRequiredHandler(AUTH, next)
                : new LoginRequiredHandler(AUTH, next, extras.onLoginRequired());
    }

    private static int count(HttpServerExchange ex) {
        return SessionHandler.session(ex, SESSION).get("count", Integer.class).orElse(0);
    }

    private static void json(HttpServerExchange ex, int status, String body) {
        ex.setStatusCode(status);
        ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        ex.getResponseSender().send(body);
    }
}
