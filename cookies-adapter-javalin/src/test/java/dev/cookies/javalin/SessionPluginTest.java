package dev.cookies.javalin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cookies.CrossSiteGuard;
import dev.cookies.LockPolicy;
import dev.cookies.OpenSessions;
import dev.cookies.Session;
import dev.cookies.SessionManager;
import dev.cookies.Sessions;
import dev.cookies.spi.SessionIdGenerator;
import dev.cookies.testkit.DeadStores;
import dev.cookies.testkit.HttpTestClient;
import dev.cookies.testkit.ReferenceApp;
import dev.cookies.testkit.ReferenceServer;
import dev.cookies.testkit.SetCookie;
import io.javalin.config.JavalinConfig;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What is particular to Javalin: the ways a handler can commit the response, and the plugin's set-up. */
class SessionPluginTest {

    private static final int BODY_BYTES = 256 * 1024;

    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    private Sessions sessions(Consumer<SessionManager.Builder> store) {
        SessionManager.Builder session = SessionManager.builder(ReferenceApp.SESSION).lockPolicy(LockPolicy.OFF);
        SessionManager.Builder auth = SessionManager.builder(ReferenceApp.AUTH);
        store.accept(session);
        store.accept(auth);
        Sessions s = Sessions.of(session.build(), auth.build());
        resources.add(s);
        return s;
    }

    private Sessions memory() {
        return sessions(b -> b.store("memory:"));
    }

    private HttpTestClient serve(Sessions sessions, Consumer<JavalinConfig> routes) {
        ReferenceServer server = JavalinReferenceApp.start(sessions, null, routes);
        resources.add(server);
        return new HttpTestClient(server.baseUri());
    }

    private static String liveSession(HttpTestClient.Response r) {
        SetCookie c = r.cookie("SESSION");
        assertFalse(c.isExpired(), r::toString);
        return c.value();
    }

    private static int count(HttpTestClient http, String sessionId) {
        String body = http.get("/counter", "SESSION=" + sessionId).body();
        return Integer.parseInt(body.replaceAll("[^0-9]", ""));
    }

    private static byte[] body() {
        byte[] bytes = new byte[BODY_BYTES];
        Arrays.fill(bytes, (byte) 'y');
        return bytes;
    }

    @Test
    @DisplayName("a handler writing to ctx.outputStream() in flushed chunks still sends its cookie")
    void javalinOutputStream() {
        HttpTestClient http = serve(memory(), c -> c.routes.post("/raw", ctx -> {
            ReferenceApp.increment(JavalinReferenceApp.session(ctx));
            OutputStream out = ctx.outputStream();
            byte[] body = body();
            for (int i = 0; i < body.length; i += 8192) {
                out.write(body, i, 8192);
                out.flush();
            }
        }));
        HttpTestClient.Response r = http.post("/raw", null);
        assertEquals(200, r.status(), r::toString);
        assertEquals(BODY_BYTES, r.body().length());
        assertEquals(1, count(http, liveSession(r)));
    }

    @Test
    @DisplayName("the cookie is sent at the first byte, not when the stream is fetched: a write after getOutputStream() counts")
    void commitsAtFirstByte() {
        HttpTestClient http = serve(memory(), c -> c.routes.post("/late", ctx -> {
            OutputStream out = ctx.res().getOutputStream();
            ReferenceApp.increment(JavalinReferenceApp.session(ctx));
            out.write(body());
        }));
        HttpTestClient.Response r = http.post("/late", null);
        assertEquals(200, r.status(), r::toString);
        assertEquals(1, count(http, liveSession(r)));
    }

    @Test
    @DisplayName("a handler flushing the servlet writer still sends its cookie")
    void writer() {
        HttpTestClient http = serve(memory(), c -> c.routes.post("/writer", ctx -> {
            ReferenceApp.increment(JavalinReferenceApp.session(ctx));
            PrintWriter w = ctx.res().getWriter();
            w.print("written");
            w.flush();
        }));
        HttpTestClient.Response r = http.post("/writer", null);
        assertEquals("written", r.body());
        assertEquals(1, count(http, liveSession(r)));
    }

    @Test
    @DisplayName("servlet sendError and sendRedirect called by a handler still send the cookie")
    void servletSendErrorAndRedirect() {
        HttpTestClient http = serve(memory(), c -> {
            c.routes.post("/send-error", ctx -> {
                ReferenceApp.increment(JavalinReferenceApp.session(ctx));
                ctx.res().sendError(409);
            });
            c.routes.post("/send-redirect", ctx -> {
                ReferenceApp.increment(JavalinReferenceApp.session(ctx));
                ctx.res().sendRedirect("/counter");
            });
        });
        HttpTestClient.Response error = http.post("/send-error", null);
        assertEquals(409, error.status(), error::toString);
        assertEquals(1, count(http, liveSession(error)));
        HttpTestClient.Response redirect = http.post("/send-redirect", null);
        assertEquals(302, redirect.status(), redirect::toString);
        assertEquals(1, count(http, liveSession(redirect)));
    }

    @Test
    @DisplayName("an unlocked write saved at the first byte of a raw stream, with the store down, answers 503 and no partial body")
    void rawWriteStoreDown() {
        HttpTestClient http = serve(sessions(DeadStores::configureDown), c -> c.routes.post("/unlocked", ctx -> {
            JavalinReferenceApp.session(ctx).put("k", "v");
            ctx.res().getOutputStream().write("partial".getBytes(StandardCharsets.UTF_8));
        }));
        HttpTestClient.Response r = http.post("/unlocked", null);
        assertEquals(503, r.status(), r::toString);
        assertEquals(OpenSessions.UNAVAILABLE_BODY, r.body());
        assertEquals(OpenSessions.JSON, r.mediaType());
        assertFalse(r.setsCookie("SESSION"), r::toString);
    }

    @Test
    @DisplayName("an unlocked write whose save at commit fails because the store is down answers 503, not the handler's 200")
    void commitStoreDown() {
        HttpTestClient http = serve(sessions(DeadStores::configureDown), c -> c.routes.post("/unlocked-json", ctx -> {
            JavalinReferenceApp.session(ctx).put("k", "v");
            ctx.json(Map.of("saved", true));
        }));
        HttpTestClient.Response r = http.post("/unlocked-json", null);
        assertEquals(503, r.status(), r::toString);
        assertEquals(OpenSessions.UNAVAILABLE_BODY, r.body());
        assertEquals(OpenSessions.JSON, r.mediaType());
    }

    @Test
    @DisplayName("a store outage in a handler that already set a result: the core's 503 is the whole answer")
    void outageAfterResult() {
        HttpTestClient http = serve(sessions(DeadStores::configureDown), c -> c.routes.post("/result-then-outage", ctx -> {
            ctx.result("never sent");
            ReferenceApp.increment(JavalinReferenceApp.session(ctx));
        }));
        HttpTestClient.Response r = http.post("/result-then-outage", null, "SESSION=" + SessionIdGenerator.secureRandom().newId());
        assertEquals(503, r.status(), r::toString);
        assertEquals(OpenSessions.UNAVAILABLE_BODY, r.body());
        assertEquals(OpenSessions.JSON, r.mediaType());
    }

    @Test
    @DisplayName("a store outage inside ctx.future is the core's 503, not Javalin's 500")
    void outageInFuture() {
        HttpTestClient http = serve(sessions(DeadStores::configureDown), c -> c.routes.post("/async-outage", ctx -> ctx.future(() ->
                CompletableFuture.supplyAsync(() -> ReferenceApp.increment(JavalinReferenceApp.session(ctx)))
                        .thenAccept(reply -> JavalinReferenceApp.reply(ctx, reply)))));
        HttpTestClient.Response r = http.post("/async-outage", null);
        assertEquals(503, r.status(), r::toString);
        assertEquals(OpenSessions.UNAVAILABLE_BODY, r.body());
    }

    @Test
    @DisplayName("the application's own exception stays Javalin's: its handler answers, and the write before it keeps its cookie")
    void applicationException() {
        HttpTestClient http = serve(memory(), c -> {
            c.routes.post("/own", ctx -> ReferenceApp.fail(JavalinReferenceApp.session(ctx)));
            c.routes.exception(IllegalStateException.class, (e, ctx) -> ctx.status(418).result("mapped by the app"));
        });
        HttpTestClient.Response r = http.post("/own", null);
        assertEquals(418, r.status(), r::toString);
        assertEquals("mapped by the app", r.body());
        assertEquals(ReferenceApp.FAIL_COUNT, count(http, liveSession(r)));
    }

    @Test
    @DisplayName("a handler that skips the remaining handlers (so no after-handler runs) still sends its cookie, with or without a body")
    void skipRemainingHandlers() {
        HttpTestClient http = serve(memory(), c -> {
            c.routes.post("/skip-body", ctx -> {
                JavalinReferenceApp.reply(ctx, ReferenceApp.increment(JavalinReferenceApp.session(ctx)));
                ctx.skipRemainingHandlers();
            });
            c.routes.post("/skip-empty", ctx -> {
                ReferenceApp.increment(JavalinReferenceApp.session(ctx));
                ctx.status(204).skipRemainingHandlers();
            });
        });
        HttpTestClient.Response withBody = http.post("/skip-body", null);
        assertEquals("{\"count\":1}", withBody.body());
        String id = liveSession(withBody);
        assertEquals(1, count(http, id));

        HttpTestClient.Response empty = http.post("/skip-empty", null, "SESSION=" + id);
        assertEquals(204, empty.status(), empty::toString);
        assertEquals(2, count(http, id));
        HttpTestClient.Response fresh = http.post("/skip-empty", null);
        assertEquals(1, count(http, liveSession(fresh)));
    }

    @Test
    @DisplayName("an asynchronous handler (ctx.future) that writes the session on another thread sends its cookie")
    void future() {
        HttpTestClient http = serve(memory(), c -> c.routes.post("/async", ctx -> ctx.future(() ->
                CompletableFuture.supplyAsync(() -> ReferenceApp.increment(JavalinReferenceApp.session(ctx)))
                        .thenAccept(reply -> JavalinReferenceApp.reply(ctx, reply)))));
        HttpTestClient.Response r = http.post("/async", null);
        assertEquals("{\"count\":1}", r.body(), r::toString);
        assertEquals(1, count(http, liveSession(r)));
    }

    @Test
    @DisplayName("ctx.with(SessionPlugin.class) is the request's OpenSessions: the same sessions as the request attributes")
    void extension() {
        HttpTestClient http = serve(memory(), c -> c.routes.post("/extension", ctx -> {
            OpenSessions open = ctx.with(SessionPlugin.class);
            Session session = open.session(ReferenceApp.SESSION);
            assertTrue(session == ctx.attribute(ReferenceApp.SESSION) && open.all().contains(session), "the same session object");
            assertTrue(SessionPlugin.auth(ctx, ReferenceApp.AUTH).session() == ctx.attribute(ReferenceApp.AUTH));
            JavalinReferenceApp.reply(ctx, ReferenceApp.increment(session));
        }));
        HttpTestClient.Response r = http.post("/extension", null);
        assertEquals("{\"count\":1}", r.body(), r::toString);
        assertEquals(1, count(http, liveSession(r)));
    }

    @Test
    @DisplayName("a refused login runs neither the endpoint nor the after-handlers; the core's 401 is the answer")
    void guardStopsTheRequest() {
        List<String> reached = new ArrayList<>();
        HttpTestClient http = serve(memory(), c -> {
            c.routes.post("/me", ctx -> reached.add("endpoint"));
            c.routes.after("/me", ctx -> reached.add("after"));
        });
        HttpTestClient.Response r = http.post("/me", null);
        assertEquals(401, r.status(), r::toString);
        assertEquals(OpenSessions.LOGIN_REQUIRED_BODY, r.body());
        assertEquals(OpenSessions.JSON, r.mediaType());
        assertEquals(List.of(), reached);
    }

    @Test
    @DisplayName("a custom no-auth handler that writes a session gets its cookie, and the guarded endpoint does not run")
    void noAuthHandlerWritesSession() {
        Sessions sessions = memory();
        List<String> reached = new ArrayList<>();
        ReferenceServer server = JavalinReferenceApp.start(sessions, ctx -> {
            JavalinReferenceApp.session(ctx).update(s -> s.put("after_login", ctx.path()));
            ctx.redirect("/login");
        }, c -> c.routes.post("/me", ctx -> reached.add("endpoint")));
        resources.add(server);
        HttpTestClient http = new HttpTestClient(server.baseUri());
        HttpTestClient.Response r = http.post("/me", null);
        assertEquals(302, r.status(), r::toString);
        assertTrue(r.setsCookie("SESSION"), r::toString);
        assertEquals(List.of(), reached);
    }

    @Test
    @DisplayName("a Cookie header differing only in case from an earlier one on the same connection does not load that session")
    void headerCacheIsCaseSensitive() throws Exception {
        ReferenceServer server = JavalinReferenceApp.start(memory(), null, null);
        resources.add(server);
        HttpTestClient http = new HttpTestClient(server.baseUri());
        String id = liveSession(http.post("/counter/increment", null));
        try (RawConnection conn = new RawConnection(server.baseUri())) {
            for (int i = 0; i < 3; i++) {
                assertEquals("{\"count\":1}", conn.get("/counter", "SESSION=" + id).body());
            }
            assertEquals("{\"count\":0}", conn.get("/counter", "session=" + id).body());
            String swapped = swapCase(id);
            assertEquals("{\"count\":0}", conn.get("/counter", "SESSION=" + swapped).body());
            assertEquals("{\"count\":0}", conn.get("/counter", "SESSION=" + id.toLowerCase(Locale.ROOT)).body());
        }
    }

    private static String swapCase(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char ch : s.toCharArray()) {
            b.append(Character.isUpperCase(ch) ? Character.toLowerCase(ch) : Character.toUpperCase(ch));
        }
        return b.toString();
    }

    @Test
    @DisplayName("hostile Cookie headers, also for a guarded path and with the store down, never give a 5xx other than 503")
    void hostileHeaders() {
        HttpTestClient http = serve(memory(), c -> { });
        HttpTestClient down = serve(sessions(DeadStores::configureDown), c -> { });
        List<String> hostile = List.of("SESSION=" + "A".repeat(60 * 1024), "SESSION=\"", "=; ;=;SESSION", "AUTH=%zz; SESSION=\\u0000",
                "SESSION=" + "a;".repeat(2000), "$Version=1; AUTH=\"x\"; $Path=/");
        for (String h : hostile) {
            for (String path : List.of("/counter", "/me", "/")) {
                HttpTestClient.Response r = http.get(path, h);
                assertTrue(r.status() < 500, () -> path + " " + h.length() + ": " + r);
                HttpTestClient.Response d = down.get(path, h);
                assertTrue(d.status() < 500, () -> "store down, " + path + ": " + d);
            }
            HttpTestClient.Response w = http.post("/counter/increment", null, h);
            assertEquals("{\"count\":1}", w.body(), w::toString);
            HttpTestClient.Response d = down.post("/counter/increment", null, h);
            assertEquals(503, d.status(), d::toString);
            assertEquals(OpenSessions.UNAVAILABLE_BODY, d.body());
        }
    }

    @Test
    @DisplayName("WebSocket routes still work with the plugin's filter in front of Javalin")
    void webSocket() throws Exception {
        ReferenceServer server = JavalinReferenceApp.start(memory(), null,
                c -> c.routes.ws("/ws", ws -> ws.onMessage(m -> m.send("echo " + m.message()))));
        resources.add(server);
        CompletableFuture<String> reply = new CompletableFuture<>();
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + server.baseUri().getPort() + "/ws"),
                        new WebSocket.Listener() {
                            @Override
                            public CompletionStage<?> onText(WebSocket ws,
                                    CharSequence data, boolean last) {
                                reply.complete(data.toString());
                                return null;
                            }
                        })
                .get(30, TimeUnit.SECONDS);
        socket.sendText("hi", true);
        assertEquals("echo hi", reply.get(30, TimeUnit.SECONDS));
        socket.abort();
    }

    @Test
    @DisplayName("the cross-site guard: a cross-site POST gets the core's 403 on any path and runs no handler; same-origin and GET pass")
    void crossSiteGuard() {
        List<String> reached = new ArrayList<>();
        ReferenceServer server = JavalinReferenceApp.start(memory(), null,
                c -> c.routes.after(ctx -> reached.add("after " + ctx.path())),
                cfg -> cfg.crossSiteGuard(CrossSiteGuard.builder().bypass("/webhooks/*").build()));
        resources.add(server);
        URI base = server.baseUri();
        for (String path : List.of("/counter/increment", "/login", "/nowhere")) {
            HttpTestClient.Response refused = Fetch.send(base, "POST", path, "Sec-Fetch-Site", "cross-site");
            assertEquals(403, refused.status(), () -> path + ": " + refused);
            assertEquals(OpenSessions.CROSS_SITE_BODY, refused.body());
            assertEquals(OpenSessions.JSON, refused.mediaType());
            assertFalse(refused.setsCookie("SESSION") || refused.setsCookie("AUTH"), refused::toString);
        }
        assertEquals(List.of(), reached);

        HttpTestClient.Response same = Fetch.send(base, "POST", "/counter/increment", "Sec-Fetch-Site", "same-origin");
        assertEquals(200, same.status(), same::toString);
        assertEquals("{\"count\":1}", same.body());
        assertEquals(200, Fetch.send(base, "GET", "/counter", "Sec-Fetch-Site", "cross-site").status());
        assertEquals(404, Fetch.send(base, "POST", "/webhooks/x", "Sec-Fetch-Site", "cross-site").status(), "bypassed");
    }

    @Test
    @DisplayName("the plugin refuses a configuration without sessions, or a guard on an unknown session")
    void configuration() {
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> new SessionPlugin(cfg -> { }));
        assertTrue(none.getMessage().contains("cfg.sessions("), none::getMessage);
        Sessions sessions = memory();
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> new SessionPlugin(cfg -> cfg.sessions(sessions).loginRequired("nope", "/x")));
        assertTrue(unknown.getMessage().contains("nope"), unknown::getMessage);
        assertThrows(IllegalArgumentException.class, () -> new SessionPlugin(cfg -> cfg.sessions(sessions).loginRequired("auth")));
        IllegalArgumentException bridge = assertThrows(IllegalArgumentException.class,
                () -> new SessionPlugin(cfg -> cfg.sessions(sessions).httpSession("nope")));
        assertTrue(bridge.getMessage().contains("nope"), bridge::getMessage);
    }

    @Test
    @DisplayName("ctx.sessionAttribute on another named session; with the bridge off it is Jetty's own session again, with its JSESSIONID")
    void choosingTheHttpSession() {
        Sessions sessions = memory();
        Consumer<JavalinConfig> routes = c -> c.routes.post("/legacy", ctx -> {
            ctx.sessionAttribute("legacy", "x");
            ctx.result(SessionPlugin.session(ctx, ReferenceApp.AUTH).get("legacy").isPresent() + " "
                    + SessionPlugin.session(ctx, ReferenceApp.SESSION).get("legacy").isPresent());
        });
        ReferenceServer auth = JavalinReferenceApp.start(sessions, null, routes, cfg -> cfg.httpSession(ReferenceApp.AUTH));
        resources.add(auth);
        HttpTestClient.Response r = new HttpTestClient(auth.baseUri()).post("/legacy", null);
        assertEquals("true false", r.body());
        assertTrue(r.setsCookie("AUTH") && !r.setsCookie("JSESSIONID"), r::toString);

        ReferenceServer off = JavalinReferenceApp.start(sessions, null, routes,
                cfg -> cfg.httpSession(dev.cookies.servlet.HttpSessionBridge.off()));
        resources.add(off);
        HttpTestClient.Response jetty = new HttpTestClient(off.baseUri()).post("/legacy", null);
        assertEquals("false false", jetty.body());
        assertTrue(jetty.setsCookie("JSESSIONID"), jetty::toString);
    }

    @Test
    @DisplayName("with the bridge on, Jetty's own session handler no longer looks for a JSESSIONID in the cookies; with it off, it does")
    void jettySessionLookupOffBehindTheBridge() {
        Sessions sessions = memory();
        // The container's own request under every wrapper: what Jetty's session handler resolved for it.
        Consumer<JavalinConfig> routes = c -> c.routes.get("/requested", ctx -> {
            jakarta.servlet.ServletRequest raw = ctx.req();
            while (raw instanceof jakarta.servlet.ServletRequestWrapper wrapper) {
                raw = wrapper.getRequest();
            }
            ctx.result(String.valueOf(((jakarta.servlet.http.HttpServletRequest) raw).getRequestedSessionId()));
        });
        ReferenceServer on = JavalinReferenceApp.start(sessions, null, routes);
        resources.add(on);
        assertEquals("null", new HttpTestClient(on.baseUri()).get("/requested", "JSESSIONID=abc; SESSION=x").body());

        ReferenceServer off = JavalinReferenceApp.start(sessions, null, routes,
                cfg -> cfg.httpSession(dev.cookies.servlet.HttpSessionBridge.off()));
        resources.add(off);
        assertEquals("abc", new HttpTestClient(off.baseUri()).get("/requested", "JSESSIONID=abc; SESSION=x").body());
    }

    @Test
    @DisplayName("a WebSocket upgrade, whose context Javalin fills from getSession(), creates no session and sets no cookie")
    void webSocketUpgradeCreatesNoSession() throws Exception {
        dev.cookies.store.memory.MemorySessionStore store = dev.cookies.store.memory.MemorySessionStore.create();
        resources.add(store);
        Sessions sessions = sessions(b -> b.store(store));
        ReferenceServer server = JavalinReferenceApp.start(sessions, null,
                c -> c.routes.ws("/ws", ws -> ws.onMessage(m -> m.send("echo " + m.message()))));
        resources.add(server);
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.baseUri().getPort())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII));
            List<String> head = new ArrayList<>();
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                head.add(line);
            }
            assertTrue(head.get(0).contains(" 101 "), head::toString);
            assertTrue(head.stream().noneMatch(h -> h.toLowerCase(Locale.ROOT).startsWith("set-cookie")), head::toString);
        }
        assertEquals(0, store.estimatedSize(), "no session was saved for the upgrade");
    }
}
