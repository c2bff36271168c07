package dev.cookies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SetCookiesTest {

    private static final Instant NOW = Instant.parse("2026-11-25T10:15:30Z");

    @Test
    @DisplayName("a persistent cookie has Max-Age and an IMF-fixdate Expires, then the attributes in order")
    void persistent() {
        CookieSettings c = CookieSettings.builder("SESSION").domain("example.com").path("/app").secure(true)
                .sameSite(SameSite.STRICT).partitioned(true).build();
        assertEquals("SESSION=abc; Max-Age=3600; Expires=Wed, 25 Nov 2026 11:15:30 GMT; Domain=example.com; "
                + "Path=/app; Secure; HttpOnly; SameSite=Strict; Partitioned",
                SetCookies.render(c, "abc", Duration.ofHours(1), NOW));
    }

    @Test
    @DisplayName("the day of month has two digits, as IMF-fixdate requires")
    void twoDigitDay() {
        assertEquals("S=v; Max-Age=0; Expires=Tue, 03 Jun 2008 11:05:30 GMT; Path=/; HttpOnly; SameSite=Lax",
                SetCookies.render(CookieSettings.of("S"), "v", Duration.ZERO, Instant.parse("2008-06-03T11:05:30Z")));
    }

    @Test
    @DisplayName("a browser-session cookie has neither Max-Age nor Expires")
    void browserSession() {
        assertEquals("S=v; Path=/; HttpOnly; SameSite=Lax", SetCookies.render(CookieSettings.of("S"), "v", null, NOW));
    }

    @Test
    @DisplayName("Max-Age and Expires are capped at 400 days")
    void cap() {
        String h = SetCookies.render(CookieSettings.of("S"), "v", Duration.ofDays(1000), NOW);
        assertEquals("S=v; Max-Age=34560000; Expires=Thu, 30 Dec 2027 10:15:30 GMT; Path=/; HttpOnly; SameSite=Lax", h);
    }

    @Test
    @DisplayName("an expired cookie keeps Domain, Path and the flags so the browser matches and drops it")
    void expired() {
        CookieSettings c = CookieSettings.builder("__Host-S").secure(true).build();
        assertEquals("__Host-S=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/; Secure; HttpOnly; SameSite=Lax",
                SetCookies.renderExpired(c));
        CookieSettings d = CookieSettings.builder("S").domain("example.com").path("/a").build();
        assertEquals("S=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Domain=example.com; Path=/a; HttpOnly; SameSite=Lax",
                SetCookies.renderExpired(d));
    }

    @Test
    @DisplayName("values with characters browsers reject are refused")
    void badValues() {
        for (String v : new String[] {"a b", "a;b", "a,b", "a\"b", "a\\b", "a\u0000", "é", "a\r\nSet-Cookie: x=y"}) {
            assertThrows(IllegalArgumentException.class, () -> SetCookies.render(CookieSettings.of("S"), v, null, NOW), v);
        }
        SetCookies.render(CookieSettings.of("S"), "gAAAAAB-_=", null, NOW);
    }

    @Test
    @org.junit.jupiter.api.DisplayName("a cookie value is RFC 6265 cookie-octets only: every char is checked against the RFC's ranges")
    void cookieOctets() {
        for (int c = 0; c <= 0xFFFF; c++) {
            // cookie-octet = %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E (RFC 6265, 4.1.1)
            boolean rfc = c == 0x21 || (c >= 0x23 && c <= 0x2B) || (c >= 0x2D && c <= 0x3A)
                    || (c >= 0x3C && c <= 0x5B) || (c >= 0x5D && c <= 0x7E);
            org.junit.jupiter.api.Assertions.assertEquals(rfc, SetCookies.isCookieOctet((char) c), "char " + c);
            String value = "ab" + (char) c + "cd";
            if (rfc) {
                SetCookies.requireCookieValue(value);
            } else {
                org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> SetCookies.requireCookieValue(value));
            }
        }
    }
}
