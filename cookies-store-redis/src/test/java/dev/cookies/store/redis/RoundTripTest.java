package dev.cookies.store.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cookies.AuthSession;
import dev.cookies.LockPolicy;
import dev.cookies.LoginOptions;
import dev.cookies.SessionManager;
import dev.cookies.Sessions;
import dev.cookies.testkit.FakeBrowser;
import dev.cookies.testkit.MutableClock;
import dev.cookies.testkit.RedisExtension;
import dev.cookies.testkit.RedisServer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Counts the commands each kind of request sends to Redis, as Redis itself saw them, through the real
 * engine ({@link SessionManager}, {@link Sessions}, {@link FakeBrowser}).
 *
 * <p>How round trips are counted: {@code MONITOR} shows every command the server executes with its
 * source, a client address or {@code lua} for commands a script called. A round trip is one command
 * sent by the store's own connections (found by their client name in {@code CLIENT LIST}); the
 * commands a script calls inside Redis are listed separately and cost no round trip. Commands sent
 * as one pipeline (listing a user's sessions) show one by one but are one round trip. {@code PING}s
 * are left out: only the connection pool's idle evictor sends them, every 30 s, never a request.
 *
 * <p>{@code INFO commandstats} cannot tell the two apart: it counts the commands scripts call as well,
 * so a locked increment (two {@code EVALSHA}) shows there as seven commands; see
 * {@link #commandstatsCountsCommandsInsideScripts()}.
 */
class RoundTripTest {

    @RegisterExtension
    static final RedisExtension REDIS = RedisExtension.standalone();

    private static final String CLIENT = "cookies-round-trips";
    private static final Duration IDLE = Duration.ofMinutes(30);
    private static final Map<String, String> MEASURED = new LinkedHashMap<>();

    private RedisSessionStore store;
    private MutableClock clock;
    private Sessions sessions;
    private Monitor monitor;

    @BeforeEach
    void setUp() throws Exception {
        RedisServer server = REDIS.server();
        store = RedisSessionStore.create(server.uri() + "?clientName=" + CLIENT);
        clock = MutableClock.now();
        sessions = Sessions.of(SessionManager.builder("session").store(store).clock(clock).idleTimeout(IDLE)
                .lockPolicy(LockPolicy.STRICT).build());
        // Warm-up: open a pooled connection and cache every script, so that what is measured is the
        // steady state (the first use of a script on a server costs one more round trip: see below).
        FakeBrowser warm = new FakeBrowser(sessions);
        warm.request("POST", open -> open.session("session").update(s -> s.put("n", 1)));
        warm.request("POST", open -> open.session("session").update(s -> s.put("n", 2)));
        warm.request("POST", open -> {
            try (dev.cookies.LockedSession locked = open.session("session").lock()) {
                locked.put("n", 4);
            }
        });
        warm.request("POST", open -> {
            open.session("session").get("n");
            open.session("session").update(s -> s.put("n", 3));
        });
        warm.request("POST", open -> open.session("session").rotateId());
        warm.request("POST", open -> open.session("session").invalidate());
        warm.request("POST", open -> AuthSession.of(open.session("session")).login("warm-up"));
        warm.request("POST", open -> AuthSession.of(open.session("session")).logout());
        store.load("warm-up-unknown-id", IDLE);
        monitor = new Monitor(server);
    }

    @AfterEach
    void tearDown() throws Exception {
        monitor.close();
        sessions.close();
        store.close();
    }

    @AfterAll
    static void report() {
        System.out.println("Round trips per request (commands from the store's connections, MONITOR):");
        MEASURED.forEach((k, v) -> System.out.println("  " + k + ": " + v));
    }

    private List<Monitor.Command> measure(String what, Runnable request) throws InterruptedException {
        List<Monitor.Command> seen = monitor.during(CLIENT, request);
        List<String> sent = sent(seen);
        List<String> inScripts = seen.stream().filter(Monitor.Command::fromScript).map(Monitor.Command::name)
                .collect(Collectors.toList());
        MEASURED.put(what, sent.size() + " " + sent + (inScripts.isEmpty() ? "" : ", inside scripts " + inScripts));
        return seen;
    }

    private static List<String> sent(List<Monitor.Command> seen) {
        return seen.stream().filter(c -> !c.fromScript() && !c.name().equals("ping")).map(Monitor.Command::name)
                .collect(Collectors.toList());
    }

    private FakeBrowser browserWithSession() {
        FakeBrowser browser = new FakeBrowser(sessions);
        browser.request("POST", open -> open.session("session").update(s -> s.put("count", 0)));
        assertTrue(browser.cookie("SESSION").isPresent(), "no session cookie was set");
        return browser;
    }

    private static Consumer<dev.cookies.OpenSessions> increment() {
        return open -> open.session("session").update(s -> s.put("count", s.get("count", Integer.class).orElse(0) + 1));
    }

    @Test
    @DisplayName("a read-only request costs one GETEX, which also slides the expiry")
    void readOnly() throws Exception {
        FakeBrowser browser = browserWithSession();
        String id = browser.cookie("SESSION").orElseThrow();
        store.touch(id, Duration.ofMinutes(1));
        int[] count = new int[1];
        List<Monitor.Command> seen = measure("read-only request", () ->
                browser.request("GET", open -> count[0] = open.session("session").get("count", Integer.class).orElseThrow()));
        assertEquals(0, count[0]);
        assertEquals(List.of("getex"), sent(seen));
        assertEquals(List.of(), seen.stream().filter(Monitor.Command::fromScript).collect(Collectors.toList()));
        long pttl = (Long) REDIS.server().command("PTTL", new String(store.dataKey(id)));
        assertTrue(pttl > IDLE.minusMinutes(1).toMillis(), "the read did not slide the expiry: PTTL " + pttl);
    }

    @Test
    @DisplayName("an update of an existing session costs two round trips: GETEX, and one compare-and-set script")
    void lockedIncrement() throws Exception {
        FakeBrowser browser = browserWithSession();
        List<Monitor.Command> seen = measure("update (existing session)", () -> browser.request("POST", increment()));
        assertEquals(List.of("getex", "evalsha"), sent(seen));
        // Inside the script: EXISTS of the lock, GET, SET PX; no lock is taken.
        assertEquals(List.of("exists", "get", "set"), inScripts(seen));
        int[] count = new int[1];
        browser.request("GET", open -> count[0] = open.session("session").get("count", Integer.class).orElseThrow());
        assertEquals(1, count[0]);
    }

    @Test
    @DisplayName("a lock() block costs two round trips: acquire-and-read, save-and-release")
    void lockBlock() throws Exception {
        FakeBrowser browser = browserWithSession();
        List<Monitor.Command> seen = measure("lock() block (existing session)", () -> browser.request("POST", lockBlockIncrement()));
        assertEquals(List.of("evalsha", "evalsha"), sent(seen));
        // Inside the scripts: SET NX PX and GETEX (acquire), then GET, SET PX and DEL (save and release).
        assertEquals(List.of("set", "getex", "get", "set", "del"), inScripts(seen));
        int[] count = new int[1];
        browser.request("GET", open -> count[0] = open.session("session").get("count", Integer.class).orElseThrow());
        assertEquals(1, count[0]);
    }

    private static Consumer<dev.cookies.OpenSessions> lockBlockIncrement() {
        return open -> {
            try (dev.cookies.LockedSession locked = open.session("session").lock()) {
                locked.put("count", locked.get("count", Integer.class).orElse(0) + 1);
            }
        };
    }

    @Test
    @DisplayName("a read, then a locked increment, costs two round trips: GETEX, and one compare-and-set script")
    void readThenIncrement() throws Exception {
        FakeBrowser browser = browserWithSession();
        List<Monitor.Command> seen = measure("read, then locked increment", () -> browser.request("POST", open -> {
            open.session("session").get("count").orElseThrow();
            increment().accept(open);
        }));
        assertEquals(List.of("getex", "evalsha"), sent(seen));
        // Inside the script: EXISTS of the lock, GET, SET PX; no lock is taken.
        assertEquals(List.of("exists", "get", "set"), inScripts(seen));
        int[] count = new int[1];
        browser.request("GET", open -> count[0] = open.session("session").get("count", Integer.class).orElseThrow());
        assertEquals(1, count[0]);
    }

    @Test
    @DisplayName("a read, then an unlocked write applied at commit, costs two round trips too")
    void readThenUnlockedWrite() throws Exception {
        FakeBrowser browser = new FakeBrowser(Sessions.of(SessionManager.builder("session").store(store).clock(clock)
                .idleTimeout(IDLE).lockPolicy(LockPolicy.OFF).build()));
        browser.request("POST", open -> open.session("session").update(s -> s.put("count", 0)));
        List<Monitor.Command> seen = measure("read, then unlocked write", () -> browser.request("POST", open -> {
            open.session("session").get("count").orElseThrow();
            open.session("session").put("seen", true);
        }));
        assertEquals(List.of("getex", "evalsha"), sent(seen));
        assertEquals(List.of("exists", "get", "set"), inScripts(seen));
    }

    @Test
    @DisplayName("a new session costs one SET")
    void newSession() throws Exception {
        FakeBrowser browser = new FakeBrowser(sessions);
        List<Monitor.Command> seen = measure("new session (no cookie)", () -> browser.request("POST", increment()));
        assertEquals(List.of("set"), sent(seen));
        assertTrue(browser.cookie("SESSION").isPresent());
    }

    @Test
    @DisplayName("a request that does not touch its session costs nothing")
    void untouched() throws Exception {
        FakeBrowser browser = browserWithSession();
        List<Monitor.Command> seen = measure("request not touching its session", () -> browser.request("GET", open -> { }));
        assertEquals(List.of(), sent(seen));
    }

    @Test
    @DisplayName("rotating the id costs three round trips: acquire, SET of the new key, delete-and-release of the old")
    void rotation() throws Exception {
        FakeBrowser browser = browserWithSession();
        String oldId = browser.cookie("SESSION").orElseThrow();
        List<Monitor.Command> seen = measure("id rotation", () -> browser.request("POST", open -> open.session("session").rotateId()));
        assertEquals(List.of("evalsha", "set", "evalsha"), sent(seen));
        String newId = browser.cookie("SESSION").orElseThrow();
        assertTrue(!newId.equals(oldId));
        assertEquals(0L, REDIS.server().command("EXISTS", new String(store.dataKey(oldId))));
        assertEquals(1L, REDIS.server().command("EXISTS", new String(store.dataKey(newId))));
    }

    private static List<String> inScripts(List<Monitor.Command> seen) {
        return seen.stream().filter(Monitor.Command::fromScript).map(Monitor.Command::name).collect(Collectors.toList());
    }

    @Test
    @DisplayName("login on an existing session costs four round trips (the rotation's three, and the index's one script), logout three: acquire, delete-and-release, unindex")
    void loginAndLogout() throws Exception {
        FakeBrowser browser = browserWithSession();
        String user = "dana-" + UUID.randomUUID();
        List<Monitor.Command> login = measure("login (existing session)", () ->
                browser.request("POST", open -> AuthSession.of(open.session("session")).login(user)));
        assertEquals(List.of("evalsha", "set", "evalsha", "evalsha"), sent(login));
        // Acquire (set, getex), delete-and-release (get, del), then the index: hset, pttl, pexpire (the
        // user's first session: the index key gets its expiry), hget, hlen.
        assertEquals(List.of("set", "getex", "get", "del", "hset", "pttl", "pexpire", "hget", "hlen"), inScripts(login));
        String id = browser.cookie("SESSION").orElseThrow();

        List<Monitor.Command> logout = measure("logout", () ->
                browser.request("POST", open -> AuthSession.of(open.session("session")).logout()));
        // Who logs out is read under the lock that ends the session: acquire, delete-and-release, and the
        // index's one script (hdel, hlen); no read before them.
        assertEquals(List.of("evalsha", "evalsha", "evalsha"), sent(logout));
        assertEquals(List.of("set", "getex", "get", "del", "hdel", "hlen"), inScripts(logout));
        assertTrue(browser.cookie("SESSION").isEmpty(), "logout did not expire the cookie");
        assertEquals(0L, REDIS.server().command("EXISTS", new String(store.dataKey(id))));
        assertEquals(0L, REDIS.server().command("EXISTS", new String(store.userKey(user))),
                "the index key outlived the user's last session");
    }

    @Test
    @DisplayName("login without a session costs one SET and the index's one script")
    void loginWithoutSession() throws Exception {
        FakeBrowser browser = new FakeBrowser(sessions);
        List<Monitor.Command> seen = measure("login (no session yet)", () ->
                browser.request("POST", open -> AuthSession.of(open.session("session")).login("alice")));
        assertEquals(List.of("set", "evalsha"), sent(seen));
    }

    @Test
    @DisplayName("a logged-in session costs what an anonymous one does: a read one GETEX, an update two round trips")
    void loggedInReadAndWrite() throws Exception {
        FakeBrowser browser = browserWithSession();
        browser.request("POST", open -> AuthSession.of(open.session("session")).login("alice"));
        List<Monitor.Command> read = measure("read-only request, logged in", () ->
                browser.request("GET", open -> open.session("session").get("count")));
        assertEquals(List.of("getex"), sent(read));
        assertEquals(List.of(), inScripts(read));
        List<Monitor.Command> write = measure("update, logged in", () -> browser.request("POST", increment()));
        assertEquals(List.of("getex", "evalsha"), sent(write));
        assertEquals(List.of("exists", "get", "set"), inScripts(write));
    }

    @Test
    @DisplayName("listing a user's sessions reads the index and PTTLs, which do not slide the sessions' expiry")
    void listing() throws Exception {
        List<FakeBrowser> clients = List.of(new FakeBrowser(sessions), new FakeBrowser(sessions));
        for (FakeBrowser c : clients) {
            c.request("POST", open -> AuthSession.of(open.session("session")).login("carol"));
        }
        String id = clients.get(0).cookie("SESSION").orElseThrow();
        store.touch(id, Duration.ofMinutes(1));
        List<Monitor.Command> seen = measure("list a user's sessions (2 of them; the PTTLs are one pipeline, so 2 round trips)", () ->
                assertEquals(2, sessions.manager("session").sessions("carol").size()));
        assertEquals(List.of("hgetall", "pttl", "pttl"), sent(seen));
        long pttl = (Long) REDIS.server().command("PTTL", new String(store.dataKey(id)));
        assertTrue(pttl <= Duration.ofMinutes(1).toMillis(), "listing slid a session's expiry: PTTL " + pttl);
        List<Monitor.Command> out = measure("sign a user out everywhere (2 sessions; 2 + 3 per session round trips)", () ->
                sessions.manager("session").signOutEverywhere("carol"));
        // List, then for each session: acquire, delete-and-release, unindex.
        assertEquals(List.of("hgetall", "pttl", "pttl", "evalsha", "evalsha", "evalsha", "evalsha", "evalsha", "evalsha"),
                sent(out));
    }

    @Test
    @DisplayName("a read of a session logged in with its own duration adds a PEXPIRE: the read slid by the manager's timeout")
    void readAfterRememberMeLogin() throws Exception {
        FakeBrowser browser = browserWithSession();
        browser.request("POST", open -> AuthSession.of(open.session("session")).login("alice",
                LoginOptions.rememberMe(Duration.ofDays(30))));
        String id = browser.cookie("SESSION").orElseThrow();
        List<Monitor.Command> seen = measure("read-only request, login with its own duration", () ->
                browser.request("GET", open -> open.session("session").get("count")));
        assertEquals(List.of("getex", "pexpire"), sent(seen));
        long pttl = (Long) REDIS.server().command("PTTL", new String(store.dataKey(id)));
        assertTrue(pttl > Duration.ofDays(29).toMillis(), "the login's own duration was not kept: PTTL " + pttl);
    }

    @Test
    @DisplayName("invalidating a session costs two round trips: acquire, delete-and-release")
    void invalidate() throws Exception {
        FakeBrowser browser = browserWithSession();
        String id = browser.cookie("SESSION").orElseThrow();
        List<Monitor.Command> seen = measure("invalidate", () -> browser.request("POST", open -> open.session("session").invalidate()));
        assertEquals(List.of("evalsha", "evalsha"), sent(seen));
        assertEquals(0L, REDIS.server().command("EXISTS", new String(store.dataKey(id))));
        assertEquals(0L, REDIS.server().command("EXISTS", new String(store.lockKey(id))));
    }

    @Test
    @DisplayName("a read when the cookie's refresh is due adds the engine's re-save, one compare-and-set script (once per quarter of the idle timeout)")
    void readWithRefreshDue() throws Exception {
        FakeBrowser browser = browserWithSession();
        clock.advance(IDLE.dividedBy(4).plusSeconds(1));
        List<Monitor.Command> seen = measure("read-only request, cookie refresh due", () ->
                browser.request("GET", open -> open.session("session").get("count")));
        assertEquals(List.of("getex", "evalsha"), sent(seen));
        List<Monitor.Command> next = measure("read-only request right after a refresh", () ->
                browser.request("GET", open -> open.session("session").get("count")));
        assertEquals(List.of("getex"), sent(next));
    }

    @Test
    @DisplayName("a script unknown to the server (after a restart or SCRIPT FLUSH) is sent once with EVAL, then by SHA again")
    void noscriptFallback() throws Exception {
        FakeBrowser browser = browserWithSession();
        REDIS.server().command("SCRIPT", "FLUSH");
        List<Monitor.Command> first = measure("lock() block, scripts not cached", () -> browser.request("POST", lockBlockIncrement()));
        assertEquals(List.of("evalsha", "eval", "evalsha", "eval"), sent(first));
        List<Monitor.Command> again = measure("lock() block, scripts cached again", () -> browser.request("POST", lockBlockIncrement()));
        assertEquals(List.of("evalsha", "evalsha"), sent(again));
        int[] count = new int[1];
        browser.request("GET", open -> count[0] = open.session("session").get("count", Integer.class).orElseThrow());
        assertEquals(2, count[0]);
    }

    @Test
    @DisplayName("INFO commandstats counts the commands inside scripts too: an update shows as GETEX, EVALSHA and 3 inner commands")
    void commandstatsCountsCommandsInsideScripts() {
        Assumptions.assumeTrue(REDIS.server().dedicated(), "commandstats are server-wide; needs a Redis only this test uses");
        FakeBrowser browser = browserWithSession();
        REDIS.server().command("CONFIG", "RESETSTAT");
        browser.request("POST", increment());
        Map<String, Long> stats = commandstats();
        MEASURED.put("INFO commandstats after one update", stats.toString());
        assertEquals(1L, stats.get("getex"));
        assertEquals(1L, stats.get("evalsha"));
        assertEquals(1L, stats.get("exists"));
        assertEquals(1L, stats.get("get"));
        assertEquals(1L, stats.get("set"));
    }

    private static Map<String, Long> commandstats() {
        String info = (String) REDIS.server().command("INFO", "commandstats");
        Map<String, Long> calls = new LinkedHashMap<>();
        Matcher m = Pattern.compile("cmdstat_([a-z|]+):calls=(\\d+)").matcher(info);
        while (m.find()) {
            calls.put(m.group(1), Long.parseLong(m.group(2)));
        }
        return calls;
    }
}
