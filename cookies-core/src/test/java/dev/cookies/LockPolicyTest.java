package dev.cookies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class LockPolicyTest {

    private final MutableClock clock = MutableClock.now();

    private Sessions sessions(LockPolicy policy) {
        return Sessions.of(SessionManager.builder("session").store(new CountingStore(clock)).clock(clock)
                .lockPolicy(policy).build());
    }

    /** Runs requests with System.err captured (slf4j-simple writes there) and returns what was logged. */
    private static String stderrOf(Runnable requests) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            requests.run();
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    private static int occurrences(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    private static final Consumer<OpenSessions> THREE_UNLOCKED_WRITES = open -> {
        Session s = open.session("session");
        s.put("a", 1);
        s.put("b", 2);
        s.remove("a");
    };

    @Test
    @DisplayName("under WARN, unlocked writes log one warning per manager in ten seconds, not one per request, and are still saved")
    void warnOncePerSession() {
        FakeBrowser browser = new FakeBrowser(sessions(LockPolicy.WARN));
        String log = stderrOf(() -> {
            browser.request("POST", THREE_UNLOCKED_WRITES);
            browser.request("POST", THREE_UNLOCKED_WRITES);
        });
        assertEquals(1, occurrences(log, "Unlocked write to session 'session'"), log);
        browser.request("GET", open -> assertEquals(2, open.session("session").get("b", Integer.class).orElseThrow()));
    }

    @Test
    @DisplayName("under WARN, locked writes log nothing")
    void lockedWritesAreQuiet() {
        FakeBrowser browser = new FakeBrowser(sessions(LockPolicy.WARN));
        String log = stderrOf(() -> browser.request("POST", open -> open.session("session").update(s -> s.put("a", 1))));
        assertEquals(0, occurrences(log, "Unlocked write"), log);
    }

    @Test
    @DisplayName("under STRICT, an unlocked write throws and nothing is saved")
    void strictThrows() {
        FakeBrowser browser = new FakeBrowser(sessions(LockPolicy.STRICT));
        FakeBrowser.Response r = browser.request("POST", open -> {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> open.session("session").put("a", 1));
            assertTrue(e.getMessage().contains("LockPolicy.STRICT"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> open.session("session").clear());
        });
        assertTrue(r.setCookies().isEmpty());
    }

    @Test
    @DisplayName("under OFF, unlocked writes are silent")
    void off() {
        FakeBrowser browser = new FakeBrowser(sessions(LockPolicy.OFF));
        String log = stderrOf(() -> browser.request("POST", THREE_UNLOCKED_WRITES));
        assertEquals(0, occurrences(log, "Unlocked write"), log);
    }
}
