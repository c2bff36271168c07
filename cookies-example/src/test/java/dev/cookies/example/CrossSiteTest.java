package dev.cookies.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cookies.Sessions;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The cross-site guard, over HTTP on every adapter, with the headers browsers send: a cross-site form
 * POST to {@code /login} gets 403 and logs nobody in (no login CSRF), a same-site one passes; without
 * {@code Sec-Fetch-Site}, {@code Origin} must match {@code Host} (which the client sets from the URI).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrossSiteTest {

    private static final String REFUSED = "{\"error\":\"cross-site request refused\"}";
    private static final String ALICE = "{\"user\":\"alice\"}";
    private static final String EVIL = "https://evil.example";

    private final Map<String, Sessions> sessions = new LinkedHashMap<>();
    private final Map<String, ExampleServer> servers = new LinkedHashMap<>();

    @BeforeAll
    void start() throws Exception {
        for (String adapter : List.of("javalin", "servlet", "undertow")) {
            Sessions s = ExampleSessions.create(ExampleConfig.parse(new String[] {"--store", "memory:"}, Map.of()));
            sessions.put(adapter, s);
            servers.put(adapter, ExampleServer.start(adapter, s, "127.0.0.1", 0));
        }
    }

    @AfterAll
    void stop() {
        servers.values().forEach(ExampleServer::close);
        sessions.values().forEach(Sessions::close);
    }

    @ParameterizedTest
    @ValueSource(strings = {"javalin", "servlet", "undertow"})
    @DisplayName("a cross-site POST to /login gets 403 and no AUTH cookie, whether JSON or a form")
    void crossSiteLoginRefused(String adapter) {
        URI base = servers.get(adapter).baseUri();
        assertRefused(Http.login(base, ALICE, "Sec-Fetch-Site", "cross-site", "Origin", EVIL));
        assertRefused(Http.post(base, "/login", "application/x-www-form-urlencoded", "user=mallory",
                "Sec-Fetch-Site", "cross-site", "Origin", EVIL));
        assertRefused(Http.post(base, "/login", "text/plain", "{\"user\":\"mallory\"}",
                "Sec-Fetch-Site", "cross-site", "Origin", "null"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"javalin", "servlet", "undertow"})
    @DisplayName("a same-origin or same-site POST to /login passes and logs in")
    void sameSiteLoginPasses(String adapter) {
        URI base = servers.get(adapter).baseUri();
        String origin = "http://" + base.getAuthority();
        for (String site : new String[] {"same-origin", "same-site", "none"}) {
            Http.Response r = Http.login(base, ALICE, "Sec-Fetch-Site", site, "Origin", origin);
            assertEquals(200, r.status(), () -> site + ": " + r);
            assertEquals(ALICE, r.body());
            assertTrue(r.setCookies().stream().anyMatch(c -> c.startsWith("AUTH=")), r::toString);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"javalin", "servlet", "undertow"})
    @DisplayName("without Sec-Fetch-Site, an Origin other than the Host is refused and a matching one passes")
    void originAgainstHost(String adapter) {
        URI base = servers.get(adapter).baseUri();
        assertRefused(Http.login(base, ALICE, "Origin", EVIL));
        assertRefused(Http.login(base, ALICE, "Origin", "http://" + base.getHost() + ":" + (base.getPort() + 1)));
        Http.Response same = Http.login(base, ALICE, "Origin", "http://" + base.getAuthority());
        assertEquals(200, same.status(), same::toString);
        Http.Response noBrowser = Http.login(base, ALICE);
        assertEquals(200, noBrowser.status(), "a client that is not a browser sends neither header: " + noBrowser);
    }

    @ParameterizedTest
    @ValueSource(strings = {"javalin", "servlet", "undertow"})
    @DisplayName("every state-changing route is guarded; reads pass")
    void otherRoutes(String adapter) {
        URI base = servers.get(adapter).baseUri();
        assertRefused(Http.send(base, "POST", "/counter/increment", null, "Sec-Fetch-Site", "cross-site"));
        assertRefused(Http.send(base, "POST", "/logout", null, "Sec-Fetch-Site", "cross-site"));
        Http.Response read = Http.send(base, "GET", "/counter", null, "Sec-Fetch-Site", "cross-site");
        assertEquals(200, read.status(), read::toString);
        assertEquals("{\"count\":0}", read.body());
    }

    private static void assertRefused(Http.Response r) {
        assertEquals(403, r.status(), r::toString);
        assertEquals(REFUSED, r.body(), r::toString);
        assertEquals("application/json", r.mediaType(), r::toString);
        assertTrue(r.setCookies().stream().noneMatch(c -> c.startsWith("AUTH=")), () -> "a refused login set a cookie: " + r);
    }
}
