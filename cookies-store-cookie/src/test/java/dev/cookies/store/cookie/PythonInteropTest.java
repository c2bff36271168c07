package dev.cookies.store.cookie;

import static dev.cookies.store.cookie.Fixtures.COOKIE;
import static dev.cookies.store.cookie.Fixtures.KEY1;
import static dev.cookies.store.cookie.Fixtures.SESSION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cookies.Sessions;
import dev.cookies.testkit.FakeBrowser;
import dev.cookies.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Interoperability with the Python original, from tokens made once by Python's
 * {@code cryptography.fernet.Fernet} (48.0.0) with {@link Fixtures#KEY1} and kept here, so that the
 * tests do not need Python:
 *
 * <pre>
 * f = Fernet(KEY1)
 * f.encrypt_at_time(b'{"user":"bob","roles":["admin"]}', 1772366400)            # PYTHON_TOKEN
 * f._encrypt_from_parts(b'{"user":"alice","__meta":{"c":1772366400}}', 1772366400,
 *                       bytes(range(16, 32)))                                       # PYTHON_FIXED_IV_TOKEN
 * </pre>
 */
class PythonInteropTest {

    private static final Instant T = Instant.ofEpochSecond(1_772_366_400L);

    /** What sanic_cookies' InCookieEncrypted writes: Fernet over ujson.dumps(session), no metadata. */
    static final String PYTHON_TOKEN = "gAAAAABppCpAeHdsrwHybhb0WsXKhThNwmBlXHeJ4sdqQS02p-CvGvDyQB8xXS-a9A8arvjAMq4Lpn4IR0fG3EEGY1Eb2FQz9ah4sSDpo6Mujb7ZVHGNZ0LIx70-mtDs2CgMEDAjVsD8";
    static final String PYTHON_FIXED_IV_TOKEN = "gAAAAABppCpAEBESExQVFhcYGRobHB0eH3mH98nvYSLJWpPaMfHyV7A3041rtJIaK9q8NtvblZ2zszB5YpxMCCfy1r_XyQUc35u8UFC4TMUzG1nCaXK1qq9wfTc9sgOWxPOmrmpvb4NJ";

    private final MutableClock clock = MutableClock.at(T.plusSeconds(90));
    private final CookieSessionStore store = Fixtures.store(clock, KEY1);
    private final Sessions sessions = Fixtures.sessions(store, clock);

    @Test
    @DisplayName("a session cookie written by Python opens here, with its timestamp")
    void pythonCookieOpens() {
        FakeBrowser browser = new FakeBrowser(sessions);
        browser.setCookie(COOKIE, PYTHON_TOKEN);
        assertEquals(Map.of("user", "bob", "roles", List.of("admin")), Fixtures.read(browser, s -> s.asMap()));
        assertEquals(false, Fixtures.read(browser, s -> s.isNew()));
        assertEquals(T, store.open(PYTHON_TOKEN).orElseThrow().issuedAt());
    }

    @Test
    @DisplayName("the double-quoted form a Python cookie library may send opens too")
    void quotedCookieOpens() {
        FakeBrowser browser = new FakeBrowser(sessions);
        browser.setCookie(COOKIE, "\"" + PYTHON_TOKEN + "\"");
        assertEquals("bob", Fixtures.read(browser, s -> s.get("user", String.class).orElse(null)));
    }

    @Test
    @DisplayName("a Python cookie gets the same idle timeout, counted from its own timestamp")
    void pythonCookieExpires() {
        FakeBrowser browser = new FakeBrowser(sessions);
        browser.setCookie(COOKIE, PYTHON_TOKEN);
        clock.advance(Duration.ofMinutes(30).minusSeconds(90));
        assertEquals(true, Fixtures.read(browser, s -> s.isNew()));
    }

    @Test
    @DisplayName("with Python's IV, our token is Python's token byte for byte")
    void sameBytesAsPython() {
        byte[] iv = new byte[16];
        for (int i = 0; i < 16; i++) {
            iv[i] = (byte) (16 + i);
        }
        String ours = Fernet.fromKey(KEY1).encrypt(Fixtures.utf8("{\"user\":\"alice\",\"__meta\":{\"c\":1772366400}}"),
                T.getEpochSecond(), iv);
        assertEquals(PYTHON_FIXED_IV_TOKEN, ours);
    }

    @Test
    @DisplayName("a Python session written back from here stays plain JSON: its keys plus the engine's __meta")
    void writtenBackPayload() throws Exception {
        FakeBrowser browser = new FakeBrowser(sessions);
        browser.setCookie(COOKIE, PYTHON_TOKEN);
        browser.request("POST", open -> open.session(SESSION).update(s -> s.put("n", 1)));
        byte[] payload = store.open(browser.cookie(COOKIE).orElseThrow()).orElseThrow().payload();
        Map<?, ?> json = new ObjectMapper().readValue(payload, Map.class);
        assertEquals(List.of("user", "roles", "n", "__meta"), List.copyOf(json.keySet()));
        assertEquals(T.getEpochSecond(), ((Number) ((Map<?, ?>) json.get("__meta")).get("c")).longValue(),
                "the creation time of a Python session is its first token's timestamp");
        assertTrue(new String(payload, java.nio.charset.StandardCharsets.UTF_8).startsWith("{\"user\":\"bob\""));
    }
}
