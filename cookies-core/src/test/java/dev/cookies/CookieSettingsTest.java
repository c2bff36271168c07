package dev.cookies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CookieSettingsTest {

    private static String failingSetting(Runnable r) {
        return assertThrows(SessionConfigException.class, r::run).setting();
    }

    @Test
    @DisplayName("defaults are HttpOnly, SameSite=Lax, Path=/, host-only, persistent, not Secure")
    void defaults() {
        CookieSettings c = CookieSettings.of("SESSION");
        assertTrue(c.httpOnly());
        assertEquals(SameSite.LAX, c.sameSite());
        assertEquals("/", c.path());
        assertFalse(c.hasDomain());
        assertTrue(c.persistent());
        assertFalse(c.secure());
    }

    @Test
    @DisplayName("SameSite=None without Secure fails naming cookie.sameSite")
    void sameSiteNoneNeedsSecure() {
        assertEquals("cookie.sameSite", failingSetting(() -> CookieSettings.builder("S").sameSite(SameSite.NONE).build()));
        CookieSettings.builder("S").sameSite(SameSite.NONE).secure(true).build();
    }

    @Test
    @DisplayName("Partitioned without Secure fails naming cookie.partitioned")
    void partitionedNeedsSecure() {
        assertEquals("cookie.partitioned", failingSetting(() -> CookieSettings.builder("S").partitioned(true).build()));
        CookieSettings.builder("S").partitioned(true).secure(true).build();
    }

    @Test
    @DisplayName("a __Host- name needs Secure, no Domain and Path=/")
    void hostPrefix() {
        assertEquals("cookie.secure", failingSetting(() -> CookieSettings.builder("__Host-S").build()));
        assertEquals("cookie.domain", failingSetting(() ->
                CookieSettings.builder("__Host-S").secure(true).domain("example.com").build()));
        assertEquals("cookie.path", failingSetting(() ->
                CookieSettings.builder("__Host-S").secure(true).path("/app").build()));
        assertEquals("cookie.secure", failingSetting(() -> CookieSettings.builder("__host-s").build()),
                "the prefix check must ignore case, as browsers do");
        CookieSettings.builder("__Host-S").secure(true).build();
    }

    @Test
    @DisplayName("a __Secure- name needs Secure")
    void securePrefix() {
        assertEquals("cookie.secure", failingSetting(() -> CookieSettings.builder("__Secure-S").build()));
        CookieSettings.builder("__Secure-S").secure(true).domain("example.com").path("/x").build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"A;B", "A\rB", "A\nB", "A B", "A=B", "", "A\u0000", "Å"})
    @DisplayName("a cookie name with ';', CR, LF or another non-token character fails naming cookie.name")
    void badNames(String name) {
        assertEquals("cookie.name", failingSetting(() -> CookieSettings.of(name)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/a;b", "/a\rb", "/a\nb", "relative", "/a\u0001", "/é"})
    @DisplayName("a path with ';', CR, LF or a control character fails naming cookie.path")
    void badPaths(String path) {
        assertEquals("cookie.path", failingSetting(() -> CookieSettings.builder("S").path(path).build()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"exa;mple.com", "example.com\r\n", "a..b", "-a.com", "a b.com"})
    @DisplayName("a malformed domain fails naming cookie.domain")
    void badDomains(String domain) {
        assertEquals("cookie.domain", failingSetting(() -> CookieSettings.builder("S").domain(domain).build()));
    }

    @Test
    @DisplayName("a leading dot on the domain is dropped, as browsers ignore it")
    void leadingDot() {
        assertEquals("example.com", CookieSettings.builder("S").domain(".example.com").build().domain());
    }
}
