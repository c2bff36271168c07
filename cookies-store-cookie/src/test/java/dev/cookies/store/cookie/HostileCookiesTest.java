package dev.cookies.store.cookie;

import static dev.cookies.store.cookie.Fixtures.COOKIE;
import static dev.cookies.store.cookie.Fixtures.KEY1;
import static dev.cookies.store.cookie.Fixtures.KEY3;
import static dev.cookies.store.cookie.Fixtures.SESSION;
import static dev.cookies.store.cookie.Fixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cookies.Sessions;
import dev.cookies.testkit.FakeBrowser;
import dev.cookies.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Every kind of bad cookie the issue lists, sent through the real session engine: each gives a fresh
 * empty session, no exception and no Set-Cookie, and the next write starts a new, good cookie.
 */
class HostileCookiesTest {

    private final MutableClock clock = MutableClock.at(Instant.parse("2026-03-01T12:00:00Z"));
    private final CookieSessionStore store = Fixtures.store(clock, KEY1);
    private final Sessions sessions = Fixtures.sessions(store, clock);

    /** A good cookie for a session holding {"user":"alice"}, as the engine writes it. */
    private String goodCookie() {
        FakeBrowser browser = new FakeBrowser(sessions);
        browser.request("POST", open -> open.session(SESSION).update(s -> s.put("user", "alice")));
        return browser.cookie(COOKIE).orElseThrow();
    }

    /** A validly sealed token (first key, current time) around any plaintext. */
    private String sealed(String plaintext) {
        return store.seal(utf8(plaintext), clock.instant());
    }

    private record Seen(boolean isNew, Map<String, Object> data, List<String> setCookies) {
    }

    private Seen get(String cookieValue) {
        FakeBrowser browser = new FakeBrowser(sessions);
        browser.setCookie(COOKIE, cookieValue);
        AtomicReference<Seen> seen = new AtomicReference<>();
        var response = browser.request("GET", open -> {
            var s = open.session(SESSION);
            seen.set(new Seen(s.isNew(), s.asMap(), null));
        });
        return new Seen(seen.get().isNew(), seen.get().data(), response.setCookies());
    }

    private void assertFresh(String cookieValue, String what) {
        Seen seen = get(cookieValue);
        assertTrue(seen.isNew(), what + ": not a new session");
        assertEquals(Map.of(), seen.data(), what + ": not empty");
        assertEquals(List.of(), seen.setCookies(), what + ": a read of a fresh session sent a cookie");
    }

    /** The full check for one case per kind: fresh, then a write replaces the bad cookie with a good one. */
    private void assertFreshAndRecovers(String cookieValue, String what) {
        assertFresh(cookieValue, what);
        FakeBrowser browser = new FakeBrowser(sessions);
        browser.setCookie(COOKIE, cookieValue);
        browser.request("POST", open -> open.session(SESSION).update(s -> s.put("n", 1)));
        String replaced = browser.cookie(COOKIE).orElseThrow();
        assertTrue(!replaced.equals(cookieValue), what + ": the bad cookie was not replaced");
        assertEquals(Map.of("n", 1), Fixtures.read(browser, s -> s.asMap()), what + ": the new session");
    }

    @Test
    @DisplayName("the good cookie these cases start from does open (control)")
    void control() {
        Seen seen = get(goodCookie());
        assertEquals(false, seen.isNew());
        assertEquals(Map.of("user", "alice"), seen.data());
    }

    @Test
    @DisplayName("an empty value")
    void empty() {
        assertFreshAndRecovers("", "empty value");
        assertTrue(store.open("").isEmpty());
    }

    @Test
    @DisplayName("values that are not base64")
    void notBase64() {
        for (String v : List.of("%%%%%%%%", "not base64 at all", "gAAAAA!!", "{\"user\":\"alice\"}", "\u00e9\u00e9\u00e9\u00e9")) {
            assertFreshAndRecovers(v, "non-base64 '" + v + "'");
        }
    }

    @Test
    @DisplayName("a valid token in the standard base64 alphabet ('+' and '/')")
    void wrongAlphabet() {
        int swapped = 0;
        for (int i = 0; i < 20; i++) {
            String token = goodCookie();
            String standard = token.replace('-', '+').replace('_', '/');
            if (!standard.equals(token)) {
                assertFreshAndRecovers(standard, "standard alphabet");
                swapped++;
            }
        }
        assertTrue(swapped >= 10, "too few tokens had '-' or '_' to swap: " + swapped);
    }

    @Test
    @DisplayName("a token truncated at every length, and with its padding stripped")
    void truncated() {
        String token = goodCookie();
        for (int length = 1; length < token.length(); length++) {
            assertFresh(token.substring(0, length), "truncated to " + length);
        }
        assertFreshAndRecovers(token.substring(0, token.length() / 2), "truncated to half");
        String unpadded = token.replace("=", "");
        if (!unpadded.equals(token)) {
            assertFresh(unpadded, "padding stripped");
        }
    }

    @Test
    @DisplayName("any single flipped bit, of the token's bytes or of the cookie's characters, with each kind of padding")
    void everySingleBitFlip() {
        Set<Integer> paddings = new HashSet<>();
        // {"user":"<u>","__meta":{"c":...}} of 42, 52 and 67 bytes seal to tokens ending in no, two and one '='.
        for (String user : List.of("alice", "alice-bob-carol", "alice-bob-carol-dave-erin-fran")) {
            FakeBrowser writer = new FakeBrowser(sessions);
            writer.request("POST", open -> open.session(SESSION).update(s -> s.put("user", user)));
            String token = writer.cookie(COOKIE).orElseThrow();
            paddings.add(token.length() - token.replace("=", "").length());
            byte[] raw = Fixtures.decode(token);
            int cases = 0;
            for (int i = 0; i < raw.length; i++) {
                for (int bit = 0; bit < 8; bit++) {
                    byte[] flipped = raw.clone();
                    flipped[i] ^= (byte) (1 << bit);
                    assertFresh(Fixtures.encode(flipped), "byte " + i + " bit " + bit + " flipped");
                    cases++;
                }
            }
            for (int i = 0; i < token.length(); i++) {
                for (int bit = 0; bit < 8; bit++) {
                    char c = (char) (token.charAt(i) ^ (1 << bit));
                    assertFresh(token.substring(0, i) + c + token.substring(i + 1), "character " + i + " bit " + bit + " flipped");
                    cases++;
                }
            }
            assertEquals(raw.length * 8 + token.length() * 8, cases);
            assertFreshAndRecovers(token.substring(0, 10) + (char) (token.charAt(10) ^ 1) + token.substring(11), "a flipped bit");
        }
        assertEquals(Set.of(0, 1, 2), paddings, "test precondition: tokens with each kind of padding");
    }

    @Test
    @DisplayName("a wrong version byte, even with a correct HMAC")
    void wrongVersion() {
        byte[] raw = Fixtures.decode(goodCookie());
        for (int version : new int[] {0x00, 0x01, 0x7f, 0x81, 0x90, 0xff}) {
            byte[] changed = raw.clone();
            changed[0] = (byte) version;
            assertFreshAndRecovers(Fixtures.resign(KEY1, changed), "version 0x" + Integer.toHexString(version));
        }
        // Control: re-signing alone does not break a token, so the version byte is what is rejected.
        assertEquals(false, get(Fixtures.resign(KEY1, raw)).isNew());
    }

    @Test
    @DisplayName("a token sealed with a key this store does not have")
    void wrongKey() {
        String foreign = Fixtures.store(clock, KEY3).seal(utf8("{\"user\":\"mallory\"}"), clock.instant());
        assertFreshAndRecovers(foreign, "another key");
    }

    @Test
    @DisplayName("an expired token: idle timeout (30 min by default) passed since its timestamp")
    void expired() {
        String token = goodCookie();
        clock.advance(Duration.ofMinutes(30));
        assertFreshAndRecovers(token, "expired");
    }

    @Test
    @DisplayName("a timestamp beyond the 60 s skew, with a correct HMAC; 60 s is accepted")
    void beyondSkew() {
        String payload = "{\"user\":\"alice\",\"__meta\":{\"c\":" + clock.instant().getEpochSecond() + "}}";
        assertFreshAndRecovers(store.seal(utf8(payload), clock.instant().plusSeconds(61)), "61 s ahead");
        assertFreshAndRecovers(store.seal(utf8(payload), clock.instant().plus(Duration.ofDays(3650))), "ten years ahead");
        byte[] raw = Fixtures.decode(goodCookie());
        java.nio.ByteBuffer.wrap(raw, 1, 8).putLong(clock.instant().getEpochSecond() + 61);
        assertFresh(Fixtures.resign(KEY1, raw), "timestamp bytes moved 61 s ahead and re-signed");
        // Control: within the skew the same payload opens.
        assertEquals(Map.of("user", "alice"), get(store.seal(utf8(payload), clock.instant().plusSeconds(60))).data());
    }

    @Test
    @DisplayName("a valid token whose plaintext is not JSON")
    void notJson() {
        for (String plaintext : List.of("hello", "", "{", "{\"a\":1", "{\"a\":1}}", "{'a':1}", "\u0000\u0001\u0002")) {
            assertFreshAndRecovers(sealed(plaintext), "plaintext '" + plaintext + "'");
        }
        assertFreshAndRecovers(store.seal(new byte[] {(byte) 0xff, (byte) 0xfe, '{', '}'}, clock.instant()), "invalid UTF-8");
    }

    @Test
    @DisplayName("a valid token whose plaintext is JSON but not an object")
    void jsonNotAnObject() {
        for (String plaintext : List.of("[1,2]", "[]", "\"alice\"", "42", "3.5", "true", "null", "[{\"user\":\"alice\"}]")) {
            assertFreshAndRecovers(sealed(plaintext), "plaintext " + plaintext);
        }
    }

    @Test
    @DisplayName("nesting 10 000 deep (over the cookie limit, dropped unread), and the deepest nesting a cookie can hold (the codec's bound)")
    void deepNesting() {
        String deep = "{\"a\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}";
        assertFreshAndRecovers(sealed(deep), "10 000 deep");
        // A token over 4096 characters never reaches the JSON parser. Nesting that does fit in a
        // cookie (about 1 500 deep) reaches it and is refused by the codec's depth bound (64).
        int depth = 1490;
        String fits = "{\"a\":" + "[".repeat(depth) + "]".repeat(depth) + "}";
        String token = sealed(fits);
        assertTrue(token.length() <= 4096, "test precondition: the token fits in a cookie: " + token.length());
        assertTrue(store.open(token).isPresent(), "test precondition: the store opens it, so the codec judges it");
        assertFreshAndRecovers(token, depth + " deep");
        String objects = "{\"a\":".repeat(depth / 3) + "1" + "}".repeat(depth / 3);
        assertFreshAndRecovers(sealed(objects), depth / 3 + " objects deep");
    }

    @Test
    @DisplayName("a 100 KB value, random or a valid token")
    void hundredKilobytes() {
        StringBuilder b = new StringBuilder();
        java.util.Random random = new java.util.Random(100);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        while (b.length() < 100 * 1024) {
            b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        assertFreshAndRecovers(b.toString(), "100 KB of base64 characters");
        String bigToken = sealed("{\"blob\":\"" + "x".repeat(100 * 1024) + "\"}");
        assertTrue(bigToken.length() > 100 * 1024);
        assertFreshAndRecovers(bigToken, "a valid 100 KB token");
        assertTrue(store.open(bigToken).isEmpty(), "the store itself refuses a value over 4096 characters");
        assertTrue(store.open(b.toString()).isEmpty());
    }

    @Test
    @DisplayName("a bad cookie sent beside a good one of the same name does not hide the good one")
    void badBesideGood() {
        String good = goodCookie();
        var open = sessions.open(dev.cookies.testkit.FakeExchange.request("GET")
                .header("Cookie", COOKIE + "=garbage; " + COOKIE + "=" + good));
        assertEquals(Map.of("user", "alice"), open.session(SESSION).asMap());
        open.end(null);
    }
}
