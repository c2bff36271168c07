package dev.cookies.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.cookies.AuthSession;
import dev.cookies.LockPolicy;
import dev.cookies.LoginOptions;
import dev.cookies.OpenSessions;
import dev.cookies.SessionManager;
import dev.cookies.Sessions;
import dev.cookies.testkit.FakeBrowser;
import dev.cookies.testkit.MutableClock;
import dev.cookies.testkit.PostgresExtension;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Counts the statements each kind of request sends to PostgreSQL, through the real engine
 * ({@link SessionManager}, {@link Sessions}, {@link FakeBrowser}) on a store built on HikariCP, as
 * applications build it. A {@link CountingDataSource} around the HikariCP pool records every statement
 * the store executes; each is one round trip in auto-commit mode. HikariCP's own liveness checks of
 * idle connections are not the store's and are not counted.
 */
class RoundTripTest {

    @RegisterExtension
    static final PostgresExtension POSTGRES = PostgresExtension.find();

    private static final Duration IDLE = Duration.ofMinutes(30);
    private static final Map<String, String> MEASURED = new LinkedHashMap<>();

    private static HikariDataSource hikari;
    /** A user of each test's own: the table, and so the user's sessions, outlive a test. */
    private final String alice = "alice-" + java.util.UUID.randomUUID();
    private CountingDataSource counting;
    private JdbcSessionStore store;
    private MutableClock clock;
    private Sessions sessions;

    @BeforeAll
    static void pool() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(POSTGRES.server().url());
        config.setUsername(POSTGRES.server().user());
        config.setPassword(POSTGRES.server().password());
        config.setMaximumPoolSize(4);
        hikari = new HikariDataSource(config);
    }

    @AfterAll
    static void report() {
        if (hikari != null) {
            hikari.close();
        }
        System.out.println("Statements per request (PostgreSQL, store on HikariCP):");
        MEASURED.forEach((k, v) -> System.out.println("  " + k + ": " + v));
    }

    @BeforeEach
    void setUp() {
        counting = new CountingDataSource(hikari);
        store = JdbcSessionStore.builder().dataSource(counting).table("round_trips").createTable(true).build();
        clock = MutableClock.now();
        sessions = Sessions.of(SessionManager.builder("session").store(store).clock(clock).idleTimeout(IDLE)
                .lockPolicy(LockPolicy.STRICT).build());
        counting.drain();
    }

    @AfterEach
    void tearDown() {
        sessions.close();
        store.close();
    }

    /** Runs one request and returns the store's statements by name, recording them for the report. */
    private List<String> measure(String what, Runnable request) {
        counting.drain();
        request.run();
        List<String> names = counting.drain().stream().map(this::name).collect(Collectors.toList());
        MEASURED.put(what, names.size() + " " + names);
        return names;
    }

    private String name(String sql) {
        Sql s = store.sql();
        Map<String, String> byText = new LinkedHashMap<>();
        byText.put(s.load, "load");
        byText.put(s.save, "save");
        byText.put(s.delete, "delete");
        byText.put(s.touch, "touch");
        byText.put(s.acquire, "lock");
        byText.put(s.saveAndRelease, "save-and-release");
        byText.put(s.replace, "replace");
        byText.put(s.deleteAndRelease, "delete-and-release");
        byText.put(s.release, "release");
        byText.put(s.cleanUp, "clean-up");
        byText.put(s.index, "index");
        byText.put(s.unindex, "unindex");
        byText.put(s.sessions, "list");
        return byText.getOrDefault(sql, "other: " + sql);
    }

    private FakeBrowser browserWithSession() {
        FakeBrowser browser = new FakeBrowser(sessions);
        browser.request("POST", open -> open.session("session").update(s -> s.put("count", 0)));
        assertTrue(browser.cookie("SESSION").isPresent(), "no session cookie was set");
        return browser;
    }

    private static Consumer<OpenSessions> increment() {
        return open -> open.session("session").update(s -> s.put("count", s.get("count", Integer.class).orElse(0) + 1));
    }

    private long secondsLeft(String id) {
        return query("SELECT EXTRACT(EPOCH FROM expires_at - now())::bigint FROM round_trips WHERE id = ?", id);
    }

    private long rowVersion(String id) {
        return query("SELECT xmin::text::bigint FROM round_trips WHERE id = ?", id);
    }

    private static long query(String sql, String id) {
        try (Connection c = hikari.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), "no row for " + id);
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    @DisplayName("a read-only request costs one statement, which also slides the expiry")
    void readOnly() {
        FakeBrowser browser = browserWithSession();
        String id = browser.cookie("SESSION").orElseThrow();
        store.touch(id, Duration.ofMinutes(1));
        int[] count = new int[1];
        List<String> seen = measure("read-only request", () ->
                browser.request("GET", open -> count[0] = open.session("session").get("count", Integer.class).orElseThrow()));
        assertEquals(0, count[0]);
        assertEquals(List.of("load"), seen);
        assertTrue(secondsLeft(id) > IDLE.minusMinutes(1).toSeconds(), "the read did not slide the expiry: "
                + secondsLeft(id) + " s left");
    }

    @Test
    @DisplayName("a read that would move the expiry by less than a hundredth of the timeout writes no row version")
    void readWithinTheSlackWritesNothing() {
        FakeBrowser browser = browserWithSession();
        String id = browser.cookie("SESSION").orElseThrow();
        long before = rowVersion(id);
        List<String> seen = measure("read-only request, slide not due", () ->
                browser.request("GET", open -> open.session("session").get("count")));
        assertEquals(List.of("load"), seen);
        assertEquals(before, rowVersion(id), "the read wrote a new row version");
    }

    @Test
    @DisplayName("an update of an existing session costs two statements: the read, and a compare-and-set")
    void lockedIncrement() {
        FakeBrowser browser = browserWithSession();
        List<String> seen = measure("update (existing session)", () -> browser.request("POST", increment()));
        assertEquals(List.of("load", "replace"), seen);
        int[] count = new int[1];
        browser.request("GET", open -> count[0] = open.session("session").get("count", Integer.class).orElseThrow());
        assertEquals(1, count[0]);
    }

    @Test
    @DisplayName("a lock() block costs two statements: acquire-and-read, save-and-release")
    void lockBlock() {
        FakeBrowser browser = browserWithSession();
        List<String> seen = measure("lock() block (existing session)", () -> browser.request("POST", open -> {
            try (dev.cookies.LockedSession locked = open.session("session").lock()) {
                locked.put("count", locked.get("count", Integer.class).orElse(0) + 1);
            }
        }));
        assertEquals(List.of("lock", "save-and-release"), seen);
        int[] count = new int[1];
        browser.request("GET", open -> count[0] = open.session("session").get("count", Integer.class).orElseThrow());
        assertEquals(1, count[0]);
    }

    @Test
    @DisplayName("a read, then a locked increment, costs two statements: the read, and a compare-and-set")
    void readThenIncrement() {
        FakeBrowser browser = browserWithSession();
        List<String> seen = measure("read, then locked increment", () -> browser.request("POST", open -> {
            open.session("session").get("count");
            increment().accept(open);
        }));
        assertEquals(List.of("load", "replace"), seen);
    }

    @Test
    @DisplayName("a new session costs one upsert")
    void newSession() {
        FakeBrowser browser = new FakeBrowser(sessions);
        List<String> seen = measure("new session (no cookie)", () -> browser.request("POST", increment()));
        assertEquals(List.of("save"), seen);
        assertTrue(browser.cookie("SESSION").isPresent());
    }

    @Test
    @DisplayName("a request that does not touch its session costs nothing")
    void untouched() {
        FakeBrowser browser = browserWithSession();
        assertEquals(List.of(), measure("request not touching its session", () -> browser.request("GET", open -> { })));
    }

    @Test
    @DisplayName("login on an existing session costs four statements (lock, save of the new id, delete-and-release of the old, index); logout two (lock, delete-and-release, which takes the row's index entry with it)")
    void loginAndLogout() {
        FakeBrowser browser = browserWithSession();
        String before = browser.cookie("SESSION").orElseThrow();
        List<String> login = measure("login (existing session)", () ->
                browser.request("POST", open -> AuthSession.of(open.session("session")).login("alice")));
        assertEquals(List.of("lock", "save", "delete-and-release", "index"), login);
        assertNotEquals(before, browser.cookie("SESSION").orElseThrow(), "login did not rotate the id");
        List<String> logout = measure("logout", () ->
                browser.request("POST", open -> AuthSession.of(open.session("session")).logout()));
        assertEquals(List.of("lock", "delete-and-release"), logout);
        assertTrue(browser.cookie("SESSION").isEmpty(), "logout did not expire the cookie");
    }

    @Test
    @DisplayName("login without a session costs two statements: the upsert, and index")
    void loginWithoutSession() {
        FakeBrowser browser = new FakeBrowser(sessions);
        List<String> seen = measure("login (no session yet)", () ->
                browser.request("POST", open -> AuthSession.of(open.session("session")).login("alice")));
        assertEquals(List.of("save", "index"), seen);
    }

    @Test
    @DisplayName("a new login on a logged-in session costs four: the rotation's three (the old row takes its index entry with it), index of the new")
    void loginAgain() {
        FakeBrowser browser = browserWithSession();
        browser.request("POST", open -> AuthSession.of(open.session("session")).login(alice));
        List<String> seen = measure("login again (logged-in session)", () ->
                browser.request("POST", open -> AuthSession.of(open.session("session")).login(alice)));
        assertEquals(List.of("lock", "save", "delete-and-release", "index"), seen);
    }

    @Test
    @DisplayName("the index costs a logged-in session nothing on a read (one statement, no row version) or an update (two)")
    void loggedInReadsAndWrites() {
        FakeBrowser browser = browserWithSession();
        browser.request("POST", open -> AuthSession.of(open.session("session")).login(alice));
        String id = browser.cookie("SESSION").orElseThrow();
        long before = rowVersion(id);
        assertEquals(List.of("load"), measure("read-only request, logged in", () ->
                browser.request("GET", open -> open.session("session").get("count"))));
        assertEquals(before, rowVersion(id), "the read wrote a new row version");
        assertEquals(List.of("load", "replace"), measure("update, logged in", () ->
                browser.request("POST", increment())));
        assertEquals(List.of("load", "replace"), measure("read, then locked increment, logged in", () ->
                browser.request("POST", open -> {
                    open.session("session").get("count");
                    increment().accept(open);
                })));
        assertEquals(1, sessions.manager("session").sessions(alice).size(), "the writes lost the index entry");
    }

    @Test
    @DisplayName("listing a user's sessions costs one SELECT (after the request's own read), which writes no row version and slides no expiry")
    void listing() {
        List<FakeBrowser> clients = List.of(browserWithSession(), browserWithSession(), browserWithSession());
        clients.forEach(c -> c.request("POST", open -> AuthSession.of(open.session("session")).login(alice)));
        // Another client's session, whose expiry a slide would move: the request's own read slides its own.
        String id = clients.get(1).cookie("SESSION").orElseThrow();
        store.touch(id, Duration.ofMinutes(10));
        long version = rowVersion(id);
        List<dev.cookies.SessionInfo> listed = new java.util.ArrayList<>();
        assertEquals(List.of("load", "list"), measure("list a user's sessions (3)", () ->
                clients.get(0).request("GET", open -> listed.addAll(AuthSession.of(open.session("session")).sessions()))));
        assertEquals(3, listed.size(), listed::toString);
        assertEquals(version, rowVersion(id), "listing wrote a row version");
        assertTrue(secondsLeft(id) <= Duration.ofMinutes(10).toSeconds(), "listing slid the expiry");
    }

    @Test
    @DisplayName("signing out everywhere costs the listing, then for each session its lock and delete-and-release; then the request's own logout")
    void signOutEverywhere() {
        List<FakeBrowser> clients = List.of(browserWithSession(), browserWithSession(), browserWithSession());
        clients.forEach(c -> c.request("POST", open -> AuthSession.of(open.session("session")).login(alice)));
        List<String> seen = measure("sign out everywhere (3 sessions)", () ->
                clients.get(0).request("POST", open -> AuthSession.of(open.session("session")).signOutEverywhere()));
        // The request reads its own session first; its logout at the end finds it already gone (lock, release).
        assertEquals(List.of("load", "list", "lock", "delete-and-release", "lock", "delete-and-release",
                "lock", "delete-and-release", "lock", "release"), seen);
        assertEquals(List.of(), sessions.manager("session").sessions(alice));
    }

    @Test
    @DisplayName("a read of a session logged in with its own duration adds a touch: the read slid by the manager's timeout")
    void readAfterRememberMeLogin() {
        FakeBrowser browser = browserWithSession();
        browser.request("POST", open -> AuthSession.of(open.session("session")).login("alice",
                LoginOptions.rememberMe(Duration.ofDays(30))));
        String id = browser.cookie("SESSION").orElseThrow();
        List<String> seen = measure("read-only request, login with its own duration", () ->
                browser.request("GET", open -> open.session("session").get("count")));
        assertEquals(List.of("load", "touch"), seen);
        assertTrue(secondsLeft(id) > Duration.ofDays(29).toSeconds(), "the login's own duration was not kept");
    }

    @Test
    @DisplayName("invalidating a session costs two statements: lock, delete-and-release")
    void invalidate() {
        FakeBrowser browser = browserWithSession();
        String id = browser.cookie("SESSION").orElseThrow();
        List<String> seen = measure("invalidate", () -> browser.request("POST", open -> open.session("session").invalidate()));
        assertEquals(List.of("lock", "delete-and-release"), seen);
        assertEquals(0, query("SELECT count(*) FROM round_trips WHERE id = ?", id));
    }

    @Test
    @DisplayName("invalidating a logged-in session costs two statements: lock, delete-and-release (no unindex: the row took its entry with it)")
    void invalidateLoggedIn() {
        FakeBrowser browser = browserWithSession();
        browser.request("POST", open -> AuthSession.of(open.session("session")).login(alice));
        List<String> seen = measure("invalidate (logged in)", () ->
                browser.request("POST", open -> open.session("session").invalidate()));
        assertEquals(List.of("lock", "delete-and-release"), seen);
        assertEquals(List.of(), sessions.manager("session").sessions(alice));
    }

    @Test
    @DisplayName("a read when the cookie's refresh is due adds the engine's re-save, one compare-and-set")
    void readWithRefreshDue() {
        FakeBrowser browser = browserWithSession();
        clock.advance(IDLE.dividedBy(4).plusSeconds(1));
        List<String> seen = measure("read-only request, cookie refresh due", () ->
                browser.request("GET", open -> open.session("session").get("count")));
        assertEquals(List.of("load", "replace"), seen);
        assertEquals(List.of("load"), measure("read-only request right after a refresh", () ->
                browser.request("GET", open -> open.session("session").get("count"))));
    }
}
