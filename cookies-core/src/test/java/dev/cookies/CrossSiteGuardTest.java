package dev.cookies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.function.Consumer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CrossSiteGuardTest {

    private final Sessions sessions = Sessions.of(SessionManager.builder("session").store(new NullServerStore()).build());
    private final CrossSiteGuard guard = CrossSiteGuard.builder()
            .trustOrigin("https://Partner.example")
            .bypass("/webhooks/*")
            .bypass("/ping")
            .build();

    /** Runs the guard on a request and returns the status: 200 if it passed, else what the core answered. */
    private int status(String method, String path, Consumer<FakeExchange> headers) {
        FakeExchange exchange = new FakeExchange(method);
        exchange.path = path;
        headers.accept(exchange);
        boolean passed = sessions.open(exchange).checkCrossSite(guard);
        assertEquals(passed, exchange.status == 200, "the answer matches the verdict");
        if (!passed) {
            assertEquals("{\"error\":\"cross-site request refused\"}", exchange.body);
        }
        return exchange.status;
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "HEAD", "OPTIONS", "get"})
    @DisplayName("safe methods pass even from another site")
    void safeMethods(String method) {
        assertEquals(200, status(method, "/", e -> e.header("Sec-Fetch-Site", "cross-site").header("Origin", "https://evil.example")));
    }

    @Test
    @DisplayName("Sec-Fetch-Site decides when present: same-origin, same-site and none pass, cross-site is refused")
    void fetchMetadata() {
        assertEquals(200, status("POST", "/login", e -> e.header("Sec-Fetch-Site", "same-origin")));
        assertEquals(200, status("POST", "/login", e -> e.header("Sec-Fetch-Site", "same-site")));
        assertEquals(200, status("POST", "/login", e -> e.header("Sec-Fetch-Site", "none")));
        assertEquals(403, status("POST", "/login", e -> e.header("Sec-Fetch-Site", "cross-site")));
        assertEquals(403, status("DELETE", "/login", e -> e.header("Sec-Fetch-Site", "garbage")));
        assertEquals(403, status("POST", "/login", e -> e.header("Sec-Fetch-Site", "cross-site")
                .header("Origin", "http://app.example").header("Host", "app.example")), "the header wins over Origin");
    }

    @Test
    @DisplayName("without Sec-Fetch-Site, Origin must match Host; a request with neither passes")
    void originFallback() {
        assertEquals(200, status("POST", "/login", e -> e.header("Origin", "http://app.example:8080").header("Host", "app.example:8080")));
        assertEquals(403, status("POST", "/login", e -> e.header("Origin", "http://evil.example").header("Host", "app.example")));
        assertEquals(403, status("POST", "/login", e -> e.header("Origin", "http://app.example:9090").header("Host", "app.example:8080")));
        assertEquals(403, status("POST", "/login", e -> e.header("Origin", "null").header("Host", "app.example")));
        assertEquals(200, status("POST", "/login", e -> e.header("Host", "app.example")), "curl, a server, an API client");
    }

    @Test
    @DisplayName("trusted origins and bypass paths pass")
    void exemptions() {
        assertEquals(200, status("POST", "/login", e -> e.header("Sec-Fetch-Site", "cross-site").header("Origin", "https://partner.example")));
        assertEquals(403, status("POST", "/login", e -> e.header("Sec-Fetch-Site", "cross-site").header("Origin", "https://partner.example.evil")));
        assertEquals(200, status("POST", "/webhooks/stripe", e -> e.header("Sec-Fetch-Site", "cross-site")));
        assertEquals(200, status("POST", "/webhooks", e -> e.header("Sec-Fetch-Site", "cross-site")));
        assertEquals(403, status("POST", "/webhooksx", e -> e.header("Sec-Fetch-Site", "cross-site")));
        assertEquals(200, status("POST", "/ping", e -> e.header("Sec-Fetch-Site", "cross-site")));
        assertEquals(403, status("POST", "/ping/more", e -> e.header("Sec-Fetch-Site", "cross-site")));
    }

    @Test
    @DisplayName("bad settings fail at build time, naming the setting")
    void settings() {
        for (String origin : new String[] {"partner.example", "https://partner.example/path", "https://u@partner.example", "::"}) {
            assertEquals("crossSite.trustedOrigin", assertThrows(SessionConfigException.class,
                    () -> CrossSiteGuard.builder().trustOrigin(origin)).setting(), origin);
        }
        for (String pattern : new String[] {"webhooks", "/a*b", "/*/x"}) {
            assertEquals("crossSite.bypass", assertThrows(SessionConfigException.class,
                    () -> CrossSiteGuard.builder().bypass(pattern)).setting(), pattern);
        }
    }
}
