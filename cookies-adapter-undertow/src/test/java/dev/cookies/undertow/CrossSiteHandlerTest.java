package dev.cookies.undertow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.cookies.CrossSiteGuard;
import dev.cookies.OpenSessions;
import dev.cookies.SessionManager;
import dev.cookies.Sessions;
import dev.cookies.testkit.ReferenceApp;
import dev.cookies.testkit.ReferenceServer;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The cross-site guard on Undertow, over real HTTP: the core decides and answers, the handler only asks. */
class CrossSiteHandlerTest {

    private final List<AutoCloseable> resources = new ArrayList<>();
    /** How many requests reached the guarded handler. */
    private final AtomicInteger reached = new AtomicInteger();
    private URI base;

    @BeforeEach
    void start() {
        Sessions sessions = Sessions.of(SessionManager.builder(ReferenceApp.SESSION).store("memory:").build(),
                SessionManager.builder(ReferenceApp.AUTH).store("memory:").build());
        resources.add(sessions);
        CrossSiteGuard guard = CrossSiteGuard.builder().bypass("/hooks/*").build();
        ReferenceServer server = UndertowReferenceApp.start(sessions, null, routes -> {
            CrossSiteHandler increment = new CrossSiteHandler(guard, ex -> {
                reached.incrementAndGet();
                UndertowReferenceApp.reply(ex, ReferenceApp.increment(UndertowReferenceApp.session(ex)));
            });
            routes.post("/guarded", increment).get("/guarded", increment).post("/hooks/in", increment);
        });
        resources.add(server);
        base = server.baseUri();
    }

    @AfterEach
    void close() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    private String host() {
        return base.getHost() + ":" + base.getPort();
    }

    @Test
    @DisplayName("a cross-site POST (Sec-Fetch-Site: cross-site) gets 403 with the short body, and the handler does not run")
    void crossSitePost() throws Exception {
        RawHttp.Response r = RawHttp.once(base, "POST", "/guarded", "Sec-Fetch-Site: cross-site");
        assertEquals(403, r.status(), r::toString);
        assertEquals(OpenSessions.CROSS_SITE_BODY, r.body());
        assertEquals(OpenSessions.JSON, r.header("Content-Type"));
        assertNull(r.header("Set-Cookie"), r::toString);
        assertEquals(0, reached.get());
    }

    @Test
    @DisplayName("a same-origin POST passes and its session is written")
    void sameOriginPost() throws Exception {
        RawHttp.Response r = RawHttp.once(base, "POST", "/guarded", "Sec-Fetch-Site: same-origin",
                "Origin: http://" + host());
        assertEquals(200, r.status(), r::toString);
        assertEquals("{\"count\":1}", r.body());
        assertEquals(1, reached.get());
    }

    @Test
    @DisplayName("without Sec-Fetch-Site, the Origin decides against Host: another origin gets 403, the same one passes")
    void originAgainstHost() throws Exception {
        assertEquals(403, RawHttp.once(base, "POST", "/guarded", "Origin: https://evil.example").status());
        assertEquals(200, RawHttp.once(base, "POST", "/guarded", "Origin: http://" + host()).status());
        assertEquals(1, reached.get());
    }

    @Test
    @DisplayName("a cross-site GET passes: it must not change state")
    void crossSiteGet() throws Exception {
        assertEquals(200, RawHttp.once(base, "GET", "/guarded", "Sec-Fetch-Site: cross-site").status());
    }

    @Test
    @DisplayName("a bypassed path passes cross-site, whether the request line carries a path or an absolute URI")
    void bypass() throws Exception {
        assertEquals(200, RawHttp.once(base, "POST", "/hooks/in", "Sec-Fetch-Site: cross-site").status());
        assertEquals(200, RawHttp.once(base, "POST", "http://" + host() + "/hooks/in", "Sec-Fetch-Site: cross-site").status());
        assertEquals(403, RawHttp.once(base, "POST", "http://" + host() + "/guarded", "Sec-Fetch-Site: cross-site").status());
        assertEquals(2, reached.get());
    }
}
