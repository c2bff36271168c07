package dev.cookies.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.cookies.SessionManager;
import dev.cookies.Sessions;
import dev.cookies.spi.ClientSideStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link ClientSideStore} must meet: what the session engine relies on when the
 * session is sealed into its cookie. A store module runs it with a subclass of about ten lines:
 *
 * <pre>{@code
 * class CookieSessionStoreContractTest extends ClientSideStoreContract {
 *     static final String KEY = CookieSessionStore.generateKey();
 *     static final String OTHER = CookieSessionStore.generateKey();
 *
 *     protected ClientSideStore createStore(MutableClock clock) {
 *         return CookieSessionStore.builder().keys(KEY).clock(clock).build();
 *     }
 *
 *     protected ClientSideStore createStoreWithOtherKeys(MutableClock clock) {
 *         return CookieSessionStore.builder().keys(OTHER).clock(clock).build();
 *     }
 * }
 * }</pre>
 *
 * <p>Seal times are whole seconds: the kit's clock starts on a whole second, and a store may keep
 * its seal time to the second. A value sealed more than an hour ahead of the clock must not open;
 * how much smaller a skew a store accepts is its own choice.
 *
 * @since 0.1
 */
public abstract class ClientSideStoreContract {

    private final List<ClientSideStore> stores = new ArrayList<>();
    private MutableClock clock;
    private ClientSideStore store;

    /**
     * Creates a store under test. Called before each test, and again when a test needs a second
     * instance: every instance a test creates must have the same keys (or secret), as two application
     * instances configured alike would.
     *
     * @param clock the clock the store should judge time by
     * @return a new store
     */
    protected abstract ClientSideStore createStore(MutableClock clock);

    /**
     * Creates a store configured like {@link #createStore} except for its keys (or secret), which it
     * shares with none of them.
     *
     * @param clock the clock the store should judge time by
     * @return a new store
     */
    protected abstract ClientSideStore createStoreWithOtherKeys(MutableClock clock);

    @BeforeEach
    final void createFirstStore() {
        clock = MutableClock.now();
        store = newStore();
    }

    @AfterEach
    final void closeStores() {
        for (ClientSideStore s : stores) {
            s.close();
        }
        stores.clear();
    }

    /**
     * Returns another instance of the store under test, with the same keys, closed after the test.
     *
     * @return a new instance
     */
    protected final ClientSideStore newStore() {
        ClientSideStore s = createStore(clock);
        stores.add(s);
        return s;
    }

    /**
     * Returns the clock the stores of this test were given.
     *
     * @return the clock
     */
    protected final MutableClock clock() {
        return clock;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static final byte[] PAYLOAD = bytes("{\"user\":\"alice\",\"count\":3,\"__meta\":{\"c\":1700000000}}");

    /** A store must never throw from open; this turns a throw into a failure that names the input. */
    private static Optional<ClientSideStore.Unsealed> openSafely(ClientSideStore s, String value, String what) {
        try {
            return s.open(value);
        } catch (RuntimeException e) {
            throw new AssertionError("open threw for " + what + ": " + e, e);
        }
    }

    private static void assertDoesNotOpen(ClientSideStore s, String value, String what) {
        Optional<ClientSideStore.Unsealed> opened = openSafely(s, value, what);
        assertTrue(opened.isEmpty(), () -> what + " opened");
    }

    @Test
    @DisplayName("a sealed payload opens back byte for byte, with its seal time")
    void roundTrip() {
        Instant now = clock.instant();
        String sealed = store.seal(PAYLOAD, now);
        ClientSideStore.Unsealed opened = store.open(sealed).orElseThrow(() -> new AssertionError("did not open"));
        assertArrayEquals(PAYLOAD, opened.payload());
        assertEquals(now, opened.issuedAt());
        assertFalse(opened.reseal(), "a value sealed with the current key asks to be re-sealed");
    }

    @Test
    @DisplayName("the seal time given is kept, not replaced by the clock's time (a re-seal must not extend a session)")
    void sealTimeIsKept() {
        Instant earlier = clock.instant().minus(Duration.ofMinutes(20));
        String sealed = store.seal(PAYLOAD, earlier);
        clock.advance(Duration.ofMinutes(5));
        assertEquals(earlier, store.open(sealed).orElseThrow(() -> new AssertionError("did not open")).issuedAt());
    }

    @Test
    @DisplayName("payloads of every length and byte value round-trip")
    void payloadsOfEveryShape() {
        Random random = new Random(20240601L);
        for (int length : new int[] {0, 1, 15, 16, 17, 31, 32, 33, 255, 256, 1000, 2900}) {
            byte[] payload = new byte[length];
            random.nextBytes(payload);
            String sealed = store.seal(payload, clock.instant());
            assertArrayEquals(payload, store.open(sealed).orElseThrow(
                    () -> new AssertionError("a payload of " + length + " bytes did not open")).payload());
        }
    }

    @Test
    @DisplayName("a sealed value is made of RFC 6265 cookie-octets only")
    void cookieOctets() {
        Random random = new Random(7L);
        for (int i = 0; i < 200; i++) {
            byte[] payload = new byte[random.nextInt(600)];
            random.nextBytes(payload);
            String sealed = store.seal(payload, clock.instant());
            assertFalse(sealed.isEmpty(), "a sealed value is empty");
            for (int c = 0; c < sealed.length(); c++) {
                char ch = sealed.charAt(c);
                assertTrue(isCookieOctet(ch), "character '" + ch + "' at " + c + " is not a cookie-octet: " + sealed);
            }
        }
    }

    @Test
    @DisplayName("a sealed value hides its payload and differs each time the same payload is sealed")
    void confidential() {
        byte[] payload = bytes("{\"secret\":\"correct horse battery staple\"}");
        String first = store.seal(payload, clock.instant());
        String second = store.seal(payload, clock.instant());
        assertNotEquals(first, second, "sealing is deterministic: equal sessions are recognisable");
        for (String visible : List.of("correct horse", Base64.getUrlEncoder().encodeToString(bytes("correct horse")),
                Base64.getEncoder().encodeToString(bytes("correct horse")))) {
            assertFalse(first.contains(visible), "the payload is readable in the sealed value");
        }
    }

    @Test
    @DisplayName("a value sealed by one instance opens in another with the same keys")
    void opensInAnotherInstance() {
        String sealed = store.seal(PAYLOAD, clock.instant());
        ClientSideStore other = newStore();
        assertArrayEquals(PAYLOAD, other.open(sealed).orElseThrow(() -> new AssertionError("did not open")).payload());
        assertArrayEquals(PAYLOAD, store.open(other.seal(PAYLOAD, clock.instant()))
                .orElseThrow(() -> new AssertionError("did not open")).payload());
    }

    @Test
    @DisplayName("a value sealed with other keys does not open, either way")
    void otherKeysDoNotOpen() {
        ClientSideStore stranger = createStoreWithOtherKeys(clock);
        stores.add(stranger);
        assertDoesNotOpen(stranger, store.seal(PAYLOAD, clock.instant()), "a value sealed with other keys");
        assertDoesNotOpen(store, stranger.seal(PAYLOAD, clock.instant()), "a value sealed with other keys");
    }

    @Test
    @DisplayName("empty, blank and garbage values open to nothing, without throwing")
    void garbage() {
        List<String> values = new ArrayList<>(List.of("", " ", "=", "==", "null", "{}", "garbage", "%00", "\u0000",
                "\u00e9t\u00e9", "\ud83c\udf6a", "AAAA", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                "gAAAAA==", "A".repeat(4096), "A".repeat(100 * 1024), "-_".repeat(2000), "=".repeat(100)));
        Random random = new Random(42L);
        for (int i = 0; i < 200; i++) {
            StringBuilder b = new StringBuilder();
            int length = random.nextInt(300);
            for (int c = 0; c < length; c++) {
                b.append((char) (0x21 + random.nextInt(0x5e)));
            }
            values.add(b.toString());
        }
        for (String value : values) {
            assertDoesNotOpen(store, value, "garbage of " + value.length() + " characters");
        }
    }

    @Test
    @DisplayName("every truncation, extension and single-character change of a sealed value opens to nothing")
    void tampered() {
        String sealed = store.seal(PAYLOAD, clock.instant());
        for (int length = 0; length < sealed.length(); length++) {
            assertDoesNotOpen(store, sealed.substring(0, length), "the value truncated to " + length);
            assertDoesNotOpen(store, sealed.substring(sealed.length() - length), "the value's last " + length + " characters");
        }
        for (String extra : List.of("A", "AAAA", "=", " ", ";", sealed)) {
            assertDoesNotOpen(store, sealed + extra, "the value with '" + extra + "' appended");
            assertDoesNotOpen(store, extra + sealed, "the value with '" + extra + "' prepended");
        }
        // The whole base64url alphabet: a decoder that ignores the unused low bits before the padding
        // would open some of these as the same bytes; a sealed value has one spelling only.
        String replacements = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/.~!%";
        for (int i = 0; i < sealed.length(); i++) {
            for (int r = 0; r < replacements.length(); r++) {
                char replacement = replacements.charAt(r);
                if (replacement == sealed.charAt(i)) {
                    continue;
                }
                String changed = sealed.substring(0, i) + replacement + sealed.substring(i + 1);
                assertDoesNotOpen(store, changed, "the value with '" + replacement + "' at " + i);
            }
        }
        assertTrue(store.open(sealed).isPresent(), "the untouched value no longer opens");
    }

    @Test
    @DisplayName("a value sealed an hour ahead of the clock does not open")
    void farFuture() {
        String sealed = store.seal(PAYLOAD, clock.instant().plus(Duration.ofHours(1)));
        assertDoesNotOpen(store, sealed, "a value sealed an hour ahead");
    }

    @Test
    @DisplayName("seal and open are safe from many threads at once")
    void concurrentUse() throws Exception {
        ClientSideStore shared = store;
        SessionStoreContract.runConcurrently(8, t -> {
            for (int i = 0; i < 200; i++) {
                byte[] payload = bytes("{\"thread\":" + t + ",\"i\":" + i + "}");
                String sealed = shared.seal(payload, clock.instant());
                byte[] opened = shared.open(sealed).orElseThrow(() -> new AssertionError("did not open")).payload();
                if (!java.util.Arrays.equals(payload, opened)) {
                    fail("thread " + t + " opened another payload");
                }
            }
        });
    }

    @Test
    @DisplayName("through the session engine, a session written across 20 requests keeps every write")
    void throughTheEngine() {
        Sessions sessions = Sessions.of(SessionManager.builder("session").store(store).clock(clock).build());
        FakeBrowser browser = new FakeBrowser(sessions);
        for (int i = 0; i < 20; i++) {
            clock.advance(Duration.ofSeconds(30));
            browser.request("POST", open -> open.session("session")
                    .update(s -> s.put("count", s.get("count", Integer.class).orElse(0) + 1)));
        }
        int[] seen = new int[1];
        browser.request("GET", open -> seen[0] = open.session("session").get("count", Integer.class).orElse(-1));
        assertEquals(20, seen[0]);
        String cookie = browser.cookie("SESSION").orElseThrow();
        browser.setCookie("SESSION", cookie.substring(0, cookie.length() / 2));
        boolean[] isNew = new boolean[1];
        browser.request("GET", open -> isNew[0] = open.session("session").isNew());
        assertTrue(isNew[0], "a truncated cookie did not give a new session");
    }

    static boolean isCookieOctet(char c) {
        return c == 0x21 || (c >= 0x23 && c <= 0x2b) || (c >= 0x2d && c <= 0x3a) || (c >= 0x3c && c <= 0x5b)
                || (c >= 0x5d && c <= 0x7e);
    }

    @Test
    @DisplayName("a record user logged in through the engine reads back typed, after the seal changes")
    void recordUserRoundTrips() {
        ContractScenarios.recordUserRoundTrips(store, clock);
    }

    @Test
    @DisplayName("java.time, Optional, UUID, BigDecimal (1e999 too), enums, records, lists and maps of them round-trip, typed")
    void appTypesRoundTrip() {
        ContractScenarios.appTypesRoundTrip(store, clock);
    }
}
