package dev.cookies.store.cookie;

import dev.cookies.SessionManager;
import dev.cookies.Sessions;
import dev.cookies.testkit.FakeBrowser;
import dev.cookies.testkit.MutableClock;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Keys, engine set-ups and token surgery shared by this module's tests. */
final class Fixtures {

    /** Fixed keys, so that failures reproduce; made with Python's Fernet.generate_key(). */
    static final String KEY1 = "WOSkh67-Co1UjRp7bApf3OeCRZW94XNeT2WAA9ivvl4=";
    static final String KEY2 = "NqKP8PW0qkVJwtJzYNt_CmwRQOacE3QGnewNVX3cj_k=";
    static final String KEY3 = "VH8kSkGx5O7Hjhtn_Ewzj5ASBKANkjnkEe_ScvaHtJk=";

    static final String SESSION = "session";
    static final String COOKIE = "SESSION";

    private Fixtures() {
    }

    static CookieSessionStore store(MutableClock clock, String... keys) {
        return CookieSessionStore.builder().keys(keys).clock(clock).build();
    }

    /** The real engine: one session named "session" (cookie SESSION) on the given store. */
    static Sessions sessions(CookieSessionStore store, MutableClock clock) {
        return sessions(store, clock, b -> { });
    }

    static Sessions sessions(CookieSessionStore store, MutableClock clock, Consumer<SessionManager.Builder> config) {
        SessionManager.Builder builder = SessionManager.builder(SESSION).store(store).clock(clock);
        config.accept(builder);
        return Sessions.of(builder.build());
    }

    /** Runs one request and returns what the handler computed from the session. */
    static <T> T read(FakeBrowser browser, Function<dev.cookies.Session, T> reader) {
        AtomicReference<T> result = new AtomicReference<>();
        browser.request("GET", open -> result.set(reader.apply(open.session(SESSION))));
        return result.get();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    static byte[] decode(String token) {
        return Base64.getUrlDecoder().decode(token);
    }

    static String encode(byte[] raw) {
        return Base64.getUrlEncoder().encodeToString(raw);
    }

    /**
     * Recomputes a token's HMAC with a key's signing half after its bytes were changed, so that a test
     * can show a check other than the HMAC rejects it (a wrong version byte, a far-future time).
     */
    static String resign(String key, byte[] raw) {
        byte[] k = decode(key);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Arrays.copyOf(k, 16), "HmacSHA256"));
            mac.update(raw, 0, raw.length - 32);
            byte[] tag = mac.doFinal();
            byte[] out = raw.clone();
            System.arraycopy(tag, 0, out, raw.length - 32, 32);
            return encode(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
