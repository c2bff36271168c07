package dev.cookies.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cookies.SameSite;
import dev.cookies.SessionManager;
import dev.cookies.Sessions;
import dev.cookies.spi.SessionIdGenerator;
import java.util.concurrent.atomic.AtomicInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * The contract every adapter passes: the reference app, served natively by the adapter under test on
 * a real server, driven over real HTTP by {@link java.net.http.HttpClient} (cookies are parsed and sent
 * by hand, so hostile {@code Cookie} headers can be sent as they are).
 *
 * <h2>What a subclass provides</h2>
 *
 * <pre>{@code
 * class JettyMemoryContractTest extends AdapterContract {
 *     protected String adapterName() { return "jetty"; }
 *     protected ContractStore store() { return ContractStore.uri("memory:"); }
 *     protected ReferenceServer start(Sessions sessions) throws Exception { return MyApp.start(sessions, null); }
 *     protected ReferenceServer startWithLoginRedirect(Sessions sessions) throws Exception {
 *         return MyApp.start(sessions, LOGIN_PAGE);  // the guard's own no-auth handler: 302 to /login
 *     }
 * }
 * }</pre>
 *
 * <ul>
 *   <li>{@link #store()}: the store under test, one subclass per store (memory, Redis, cookie), so each
 *       adapter runs the matrix with three ten-line subclasses. The contract builds every
 *       {@link Sessions} itself (each scenario needs its own cookie settings) and calls
 *       {@link ContractStore#configure} once per manager. Managers must not share a keyspace (see
 *       {@link ContractStore#perManager}).</li>
 *   <li>{@link #start(Sessions)}: start the reference app below on the adapter under test, on a real
 *       server listening on a free loopback port, using exactly the given {@link Sessions}. They hold
 *       two managers, {@link ReferenceApp#SESSION} ({@code "session"}, cookie {@code SESSION}) and
 *       {@link ReferenceApp#AUTH} ({@code "auth"}, cookie {@code AUTH}), in that order. The contract
 *       closes the returned server, then the sessions.</li>
 *   <li>{@link #startWithLoginRedirect(Sessions)}: the same app, but the login-required guard on
 *       {@code /me} is installed with the application's own no-auth handler, which answers {@code 302}
 *       with {@code Location: /login} ({@link #LOGIN_PAGE}) instead of the default 401.</li>
 * </ul>
 *
 * <h2>The routes, all served natively by the adapter</h2>
 *
 * Each looks its session up the way an application would (the request attribute under the session's
 * name, or the adapter's accessor) and delegates to {@link ReferenceApp}, writing the {@link
 * ReferenceApp.Reply}'s status, content type and body.
 *
 * <table>
 *   <caption>Routes of the app under test</caption>
 *   <tr><th>request</th><th>what it does</th></tr>
 *   <tr><td>{@code GET /counter}</td><td>{@link ReferenceApp#counter} on {@code session}</td></tr>
 *   <tr><td>{@code POST /counter/increment}</td><td>{@link ReferenceApp#increment} on {@code session}</td></tr>
 *   <tr><td>{@code POST /counter/clear}</td><td>{@link ReferenceApp#clear} on {@code session}</td></tr>
 *   <tr><td>{@code POST /login}</td><td>{@link ReferenceApp#login} on {@code auth}, with the request body</td></tr>
 *   <tr><td>{@code POST /logout}</td><td>{@link ReferenceApp#logout} on {@code auth}</td></tr>
 *   <tr><td>{@code GET /me}</td><td>behind the adapter's login-required guard for {@code auth} (default
 *       answer 401 with {@link #LOGIN_REQUIRED_BODY}); then
 *       {@link ReferenceApp#me}. {@code OPTIONS /me} passes the guard and answers 200 or 204 (the
 *       framework's own OPTIONS handling is fine)</td></tr>
 *   <tr><td>{@code GET /}</td><td>{@link ReferenceApp#page}</td></tr>
 *   <tr><td>{@code GET /sessions}, {@code POST /logout/everywhere}, {@code POST /logout/everywhere-else}</td>
 *       <td>behind the login-required guard for {@code auth}, as {@code /me}; then
 *       {@link ReferenceApp#sessions}, {@link ReferenceApp#signOutEverywhere},
 *       {@link ReferenceApp#signOutEverywhereElse} (501 with a short JSON body where the store cannot)</td></tr>
 *   <tr><td>{@code POST /redirect}</td><td>{@link ReferenceApp#increment} on {@code session}, then the
 *       framework's native redirect: 302 to {@code /counter} (servlet: {@code sendRedirect})</td></tr>
 *   <tr><td>{@code POST /error}</td><td>{@link ReferenceApp#increment}, then the framework's native
 *       error mechanism with status 409 (servlet: {@code sendError(409)})</td></tr>
 *   <tr><td>{@code POST /stream}</td><td>{@link ReferenceApp#increment}, then {@link #STREAM_BYTES}
 *       (1 MiB) of body written straight to the raw output stream in chunks of at most 64 KiB, flushing
 *       after each chunk, status 200</td></tr>
 *   <tr><td>{@code POST /fail}</td><td>{@link ReferenceApp#fail} on {@code session}: an unlocked write,
 *       then an exception the handler lets escape to the framework (which answers it, 500)</td></tr>
 *   <tr><td>{@code POST /big}</td><td>{@link ReferenceApp#big} on {@code session}: an unlocked write of
 *       a value too large for the session's cookie or store, answered as its reply says</td></tr>
 * </table>
 *
 * <h2>What the server must accept</h2>
 *
 * Request headers of up to 64 KiB (hostile cookies of 10 KB; Jetty's default is 8 KiB: raise
 * {@code HttpConfiguration.setRequestHeaderSize}). On Jetty (the servlet adapter's tests, Javalin) also
 * call {@code HttpConfiguration.setHeaderCacheCaseSensitive(true)}: by default Jetty's per-connection
 * header cache matches values case-insensitively, so {@code Cookie: SESSION=abc} can be read as an
 * earlier {@code Cookie: SESSION=ABC} on the same connection, and the letter-case scenario fails.
 *
 * <p>Failures: the adapter passes whatever a handler throws to {@code OpenSessions.end(failure)} and
 * lets the framework answer it only when the core did not: the core answers a store outage with 503 and
 * {@link #UNAVAILABLE_BODY}, a session too large with 500 and {@link #TOO_LARGE_BODY}, both as
 * {@code application/json}.
 *
 * <p>Every failure message starts with {@code [adapter x store]} ({@link #adapterName()} and the
 * store's {@link ContractStore#description()}), so a failure in the matrix names its cell.
 *
 * <h2>The store-down scenario</h2>
 *
 * It builds both managers with {@link ContractStore#configureDown}: the store's own {@link
 * ContractStore#down} when given (a Redis store points it at a closed port), otherwise {@link
 * DeadStores#configureDown}, which uses a real Redis URI at a closed loopback port when a
 * {@code redis} store provider is on the test classpath, and only as a last resort (no Redis module
 * available, as in the test kit's own tests) a store whose every call fails with
 * {@link dev.cookies.StoreUnavailableException}. A store-down answer must be 503 with a short body,
 * within a client timeout of {@link #STORE_DOWN_CLIENT_TIMEOUT}. A second scenario uses a store that
 * accepts connections and never answers ({@link ContractStore#hung}, by default
 * {@link DeadStores#hungRedisUri()}: a listening socket that never accepts, behind a Redis URI with a
 * 300 ms timeout); it is skipped when no such store is available.
 *
 * <h2>Which scenarios run where</h2>
 *
 * Every scenario runs for every store, with two allowances for a client-side store (the cookie holds
 * the data, so there is no server-side state to lock or revoke). The 100 concurrent increments on one
 * cookie (which must end at 1 + 100) are skipped through a JUnit assumption, reported with the reason:
 * concurrent requests carrying one cookie are last-write-wins by nature. The checks that an id no
 * longer loads after login, logout or clearing are made for server-side stores only; the rest of
 * those scenarios runs for both. Who is signed in where depends on the store: listing needs an index of
 * sessions by user (memory, Redis, JDBC), signing out everywhere an index or, for a client-side store, a
 * revocation store ({@link ContractStore#revocations}); where the store has neither, those routes must
 * answer 501 with a short JSON body and end nothing.
 *
 * <p>Hostile {@code Cookie} headers the JDK client can send must give a fresh session (a 200 with
 * count 0, a 401 on {@code /me}, and a write that gets a cookie value never sent). Bytes it refuses to
 * send (NUL, control bytes, DEL, raw UTF-8) go over a plain socket; the server may refuse those
 * requests itself with a 4xx, but never answers 5xx.
 *
 * @since 0.1
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@ExtendWith(AdapterContract.Labels.class)
public abstract class AdapterContract {

    /** Where the app's own no-auth handler sends an anonymous request in {@link #startWithLoginRedirect}. */
    public static final String LOGIN_PAGE = "/login";

    /** The size of the body {@code POST /stream} writes: 1 MiB. */
    public static final int STREAM_BYTES = 1024 * 1024;

    /** How long the client waits for a store-down answer before the scenario fails as a hang. */
    public static final Duration STORE_DOWN_CLIENT_TIMEOUT = Duration.ofSeconds(30);

    /** The content type of the core's own answers. */
    public static final String JSON = "application/json";

    /** The body of the 503 the core answers when a session store or lock is unavailable. */
    public static final String UNAVAILABLE_BODY = "{\"error\":\"session store unavailable\"}";

    /** The body of the 500 the core answers for a session too large for its cookie or store. */
    public static final String TOO_LARGE_BODY = "{\"error\":\"session too large\"}";

    /** The body of the login-required guard's default 401. */
    public static final String LOGIN_REQUIRED_BODY = "{\"error\":\"login required\"}";

    /** For subclasses. */
    protected AdapterContract() {
    }

    /**
     * Names the adapter under test; every failure message starts with it and the store's name.
     *
     * @return for example {@code "servlet"}
     */
    protected abstract String adapterName();

    /**
     * Returns the store under test.
     *
     * @return for example {@code ContractStore.uri("memory:")}
     */
    protected abstract ContractStore store();

    /**
     * Starts the reference app (the routes on this class) on the adapter under test, on a real server
     * listening on a free loopback port, using the given sessions.
     *
     * @param sessions two managers: {@code "session"} (cookie {@code SESSION}) and {@code "auth"}
     *     (cookie {@code AUTH})
     * @return the running server; the contract closes it
     * @throws Exception if the server cannot start
     */
    protected abstract ReferenceServer start(Sessions sessions) throws Exception;

    /**
     * Starts the same app as {@link #start(Sessions)}, but with the login-required guard on {@code /me}
     * given the application's own no-auth handler: a {@code 302} with {@code Location: /login}
     * ({@link #LOGIN_PAGE}).
     *
     * @param sessions as for {@link #start(Sessions)}
     * @return the running server; the contract closes it
     * @throws Exception if the server cannot start
     */
    protected abstract ReferenceServer startWithLoginRedirect(Sessions sessions) throws Exception;

    // ---------------------------------------------------------------- set-up

    private static final String COUNT_0 = "{\"count\":0}";
    private static final SessionIdGenerator IDS = SessionIdGenerator.secureRandom();

    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    final void closeServersAndSessions() throws Exception {
        Exception failure = null;
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        resources.clear();
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Builds the two sessions of the reference app on the store under test, closed after the test.
     *
     * @param session changes the {@code session} manager's builder (its store is already set)
     * @param auth changes the {@code auth} manager's builder (its store is already set)
     * @return the sessions
     */
    protected final Sessions sessions(Consumer<SessionManager.Builder> session, Consumer<SessionManager.Builder> auth) {
        ContractStore store = store();
        return group(manager(ReferenceApp.SESSION, b -> store.configure(ReferenceApp.SESSION, b), session),
                manager(ReferenceApp.AUTH, b -> store.configure(ReferenceApp.AUTH, b), auth));
    }

    /**
     * Builds the two sessions of the reference app on the store under test with default settings.
     *
     * @return the sessions
     */
    protected final Sessions defaultSessions() {
        return sessions(b -> { }, b -> { });
    }

    private Sessions group(SessionManager session, SessionManager auth) {
        Sessions s = Sessions.of(session, auth);
        resources.add(s);
        return s;
    }

    private SessionManager manager(String name, Consumer<SessionManager.Builder> store,
            Consumer<SessionManager.Builder> change) {
        SessionManager.Builder b = SessionManager.builder(name);
        store.accept(b);
        change.accept(b);
        return b.build();
    }

    /**
     * Starts the app with {@link #start(Sessions)}; the server is closed after the test.
     *
     * @param sessions the sessions
     * @return a client for it
     * @throws Exception if the server cannot start
     */
    protected final HttpTestClient serve(Sessions sessions) throws Exception {
        ReferenceServer server = start(sessions);
        resources.add(server);
        return new HttpTestClient(server.baseUri());
    }

    private HttpTestClient serveWithLoginRedirect(Sessions sessions) throws Exception {
        ReferenceServer server = startWithLoginRedirect(sessions);
        resources.add(server);
        return new HttpTestClient(server.baseUri());
    }

    private static boolean clientSide(Sessions sessions) {
        return sessions.manager(ReferenceApp.SESSION).isClientSide();
    }

    private static String cookie(String name, String value) {
        return name + "=" + value;
    }

    private static String count(int n) {
        return "{\"count\":" + n + "}";
    }

    private static String user(String name) {
        return name == null ? "{\"user\":null}" : "{\"user\":\"" + name + "\"}";
    }

    /** The cookies a browser would hold, updated from each response's {@code Set-Cookie} headers. */
    private static final class Jar {
        private final Map<String, String> values = new LinkedHashMap<>();

        HttpTestClient.Response keep(HttpTestClient.Response r) {
            for (SetCookie c : r.setCookies()) {
                if (c.isExpired()) {
                    values.remove(c.name());
                } else {
                    values.put(c.name(), c.value());
                }
            }
            return r;
        }

        String[] header() {
            if (values.isEmpty()) {
                return new String[0];
            }
            return new String[] {values.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining("; "))};
        }
    }

    private static String swapCase(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            b.append(Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c));
        }
        return b.toString();
    }

    private static void assertStatus(int expected, HttpTestClient.Response r) {
        assertEquals(expected, r.status(), () -> "unexpected answer: " + r);
    }

    /** Checks a live (not expired) cookie and returns its value. */
    private static String live(HttpTestClient.Response r, String name) {
        SetCookie c = r.cookie(name);
        assertFalse(c.isExpired(), () -> name + " should be a live cookie: " + r.headers("Set-Cookie"));
        assertFalse(c.value().isEmpty(), () -> name + " has an empty value: " + r.headers("Set-Cookie"));
        return c.value();
    }

    private static void assertExactAttributes(SetCookie c, Map<String, String> expected) {
        assertEquals(expected, c.attributes().entrySet().stream()
                .filter(e -> !e.getKey().equals("expires"))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)), () -> "attributes of " + c);
    }

    private static void assertExpiresMatchesMaxAge(SetCookie c, Instant before, Instant after) {
        long maxAge = Long.parseLong(c.attribute("Max-Age").orElseThrow());
        String expires = c.attribute("Expires").orElseThrow(() -> new AssertionError("no Expires in " + c));
        Instant at = ZonedDateTime.parse(expires, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        Instant low = before.minusSeconds(1).plusSeconds(maxAge);
        Instant high = after.plusSeconds(1).plusSeconds(maxAge);
        assertTrue(!at.isBefore(low) && !at.isAfter(high),
                () -> "Expires " + expires + " is not Max-Age " + maxAge + " seconds after the request");
    }

    // ---------------------------------------------------------------- cookies

    /** Cookie attributes, and when a {@code Set-Cookie} is sent at all. */
    @Nested
    @DisplayName("cookies")
    class Cookies {

        @Test
        @DisplayName("the default cookie has Path=/, HttpOnly, SameSite=Lax and Max-Age/Expires of the idle timeout, nothing else")
        void defaultAttributes() throws Exception {
            HttpTestClient http = serve(defaultSessions());
            Instant before = Instant.now();
            HttpTestClient.Response r = http.post("/counter/increment", null);
            Instant after = Instant.now();
            assertStatus(200, r);
            assertEquals(count(1), r.body());
            SetCookie c = r.cookie("SESSION");
            live(r, "SESSION");
            assertExactAttributes(c, Map.of("path", "/", "httponly", "", "samesite", "Lax", "max-age", "1800"));
            assertExpiresMatchesMaxAge(c, before, after);
            assertFalse(r.setsCookie("AUTH"), "an untouched session sends no cookie");
        }

        @Test
        @DisplayName("configured attributes are sent exactly: Domain, Path, Secure, SameSite, Max-Age; none of Max-Age/Expires for a browser-session cookie")
        void configuredAttributes() throws Exception {
            HttpTestClient http = serve(sessions(
                    b -> b.idleTimeout(Duration.ofMinutes(20)).cookie(c -> c.domain("cookies.test").path("/counter")
                            .secure(true).sameSite(SameSite.STRICT)),
                    b -> b.cookie(c -> c.persistent(false).secure(true).httpOnly(false).sameSite(SameSite.NONE))));
            Instant before = Instant.now();
            HttpTestClient.Response r = http.post("/counter/increment", null);
            Instant after = Instant.now();
            assertStatus(200, r);
            SetCookie session = r.cookie("SESSION");
            live(r, "SESSION");
            assertExactAttributes(session, Map.of("domain", "cookies.test", "path", "/counter", "secure", "",
                    "httponly", "", "samesite", "Strict", "max-age", "1200"));
            assertExpiresMatchesMaxAge(session, before, after);

            HttpTestClient.Response login = http.post("/login", "{\"user\":\"alice\"}");
            assertStatus(200, login);
            SetCookie auth = login.cookie("AUTH");
            live(login, "AUTH");
            assertEquals(Map.of("path", "/", "secure", "", "samesite", "None"), auth.attributes(),
                    () -> "a browser-session cookie without HttpOnly: " + auth);
        }

        @Test
        @DisplayName("a read-only request sends no Set-Cookie, the first write does, and reading it back sends none")
        void onlyWritesSendCookies() throws Exception {
            HttpTestClient http = serve(defaultSessions());
            HttpTestClient.Response read = http.get("/counter");
            assertStatus(200, read);
            assertEquals(COUNT_0, read.body());
            assertEquals(List.of(), read.headers("Set-Cookie"), "a new session that was only read");

            HttpTestClient.Response write = http.post("/counter/increment", null);
            assertEquals(count(1), write.body());
            String value = live(write, "SESSION");

            HttpTestClient.Response again = http.get("/counter", cookie("SESSION", value));
            assertEquals(count(1), again.body());
            assertEquals(List.of(), again.headers("Set-Cookie"), "a known session that was only read");

            HttpTestClient.Response page = http.get("/", cookie("SESSION", value));
            assertStatus(200, page);
            assertTrue(page.body().contains("<span id=\"count\">1</span>"), page::body);
            assertEquals(List.of(), page.headers("Set-Cookie"), "the page only reads");
        }

        @Test
        @DisplayName("a cookie value that differs from a known one only in letter case is another session")
        void letterCaseMatters() throws Exception {
            HttpTestClient http = serve(defaultSessions());
            String value = live(http.post("/counter/increment", null), "SESSION");
            String swapped = swapCase(value);
            assertNotEquals(value, swapped);
            // The known value twice first: a server that caches header fields has seen it by then.
            assertEquals(count(1), http.get("/counter", cookie("SESSION", value)).body());
            assertEquals(count(1), http.get("/counter", cookie("SESSION", value)).body());
            assertEquals(COUNT_0, http.get("/counter", cookie("SESSION", swapped)).body());
            assertEquals(count(1), http.get("/counter", cookie("SESSION", value)).body());
        }

        @Test
        @DisplayName("emptying the session sends an expired cookie with the same Domain and Path")
        void emptyingExpiresTheCookie() throws Exception {
            Sessions sessions = sessions(b -> b.cookie(c -> c.domain("cookies.test").path("/counter")), b -> { });
            HttpTestClient http = serve(sessions);
            String value = live(http.post("/counter/increment", null), "SESSION");

            HttpTestClient.Response clear = http.post("/counter/clear", null, cookie("SESSION", value));
            assertStatus(200, clear);
            assertEquals(COUNT_0, clear.body());
            SetCookie expired = clear.cookie("SESSION");
            assertTrue(expired.isExpired(), () -> "expected an expired cookie: " + expired);
            assertEquals("", expired.value());
            assertEquals("cookies.test", expired.attribute("Domain").orElse(null), expired::toString);
            assertEquals("/counter", expired.attribute("Path").orElse(null), expired::toString);
            if (!clientSide(sessions)) {
                // A server-side session is deleted: its id no longer loads. (A client-side cookie holds its
                // own data, so a replayed copy reads what it holds until it expires.)
                assertEquals(COUNT_0, http.get("/counter", cookie("SESSION", value)).body());
            }
        }
    }

    // ---------------------------------------------------------------- commit paths

    /** A session written before the response commits in any of the framework's ways still gets its cookie. */
    @Nested
    @DisplayName("commit paths")
    class CommitPaths {

        @Test
        @DisplayName("a session written before a native redirect gets its Set-Cookie on the 302")
        void redirect() throws Exception {
            HttpTestClient http = serve(defaultSessions());
            HttpTestClient.Response r = http.post("/redirect", null);
            assertStatus(302, r);
            assertTrue(r.header("Location").orElse("").endsWith("/counter"), r::toString);
            assertEquals(count(1), http.get("/counter", cookie("SESSION", live(r, "SESSION"))).body());
        }

        @Test
        @DisplayName("a session written before the framework's native error (409) gets its Set-Cookie")
        void nativeError() throws Exception {
            HttpTestClient http = serve(defaultSessions());
            HttpTestClient.Response r = http.post("/error", null);
            assertStatus(409, r);
            assertEquals(count(1), http.get("/counter", cookie("SESSION", live(r, "SESSION"))).body());
        }

        @Test
        @DisplayName("a session written before a streamed 1 MiB body gets its Set-Cookie, and the body arrives whole")
        void streamedBody() throws Exception {
            HttpTestClient http = serve(defaultSessions());
            HttpTestClient.Response r = http.post("/stream", null);
            assertStatus(200, r);
            assertEquals(STREAM_BYTES, r.body().getBytes(StandardCharsets.UTF_8).length, "body length");
            String value = live(r, "SESSION");
            assertEquals(count(1), http.get("/counter", cookie("SESSION", value)).body());

            HttpTestClient.Response second = http.post("/stream", null, cookie("SESSION", value));
            assertStatus(200, second);
            // a client-side session sends its new value; a server-side one keeps its id
            String now = second.setsCookie("SESSION") ? live(second, "SESSION") : value;
            assertEquals(count(2), http.get("/counter", cookie("SESSION", now)).body());
        }
    }

    // ---------------------------------------------------------------- sessions

    /** Locking and named sessions. */
    @Nested
    @DisplayName("sessions")
    class SessionsTogether {

        @Test
        @DisplayName("100 concurrent locked increments with one cookie lose none (server-side stores)")
        void concurrentIncrements() throws Exception {
            Sessions sessions = defaultSessions();
            // A client-side session lives in the cookie each response sends back: concurrent requests
            // that carry the same cookie each start from its copy, and the last response wins. There is
            // no shared state to lock, so this scenario does not apply.
            assumeFalse(clientSide(sessions), "client-side stores are last-write-wins by nature");
            HttpTestClient http = serve(sessions);
            String session = cookie("SESSION", live(http.post("/counter/increment", null), "SESSION"));
            int n = 100;
            ExecutorService pool = Executors.newFixedThreadPool(n);
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<HttpTestClient.Response>> futures = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    futures.add(pool.submit(() -> {
                        go.await();
                        return http.post("/counter/increment", null, session);
                    }));
                }
                go.countDown();
                Set<String> bodies = new HashSet<>();
                for (Future<HttpTestClient.Response> f : futures) {
                    HttpTestClient.Response r = f.get(60, TimeUnit.SECONDS);
                    assertStatus(200, r);
                    bodies.add(r.body());
                }
                Set<String> expected = new HashSet<>();
                for (int i = 2; i <= n + 1; i++) {
                    expected.add(count(i));
                }
                assertEquals(expected, bodies, "each increment saw the one before it");
            } finally {
                pool.shutdownNow();
            }
            assertEquals(count(n + 1), http.get("/counter", session).body());
        }

        @Test
        @DisplayName("two named sessions keep their own cookies side by side: the counter in SESSION, the login in AUTH")
        void twoSessions() throws Exception {
            HttpTestClient http = serve(defaultSessions());
            Jar jar = new Jar();
            HttpTestClient.Response inc = jar.keep(http.post("/counter/increment", null));
            live(inc, "SESSION");
            assertFalse(inc.setsCookie("AUTH"), inc::toString);

            HttpTestClient.Response login = jar.keep(http.post("/login", "{\"user\":\"alice\"}", jar.header()));
            assertStatus(200, login);
            assertEquals(user("alice"), login.body());
            live(login, "AUTH");
            assertFalse(login.setsCookie("SESSION"), "logging in does not touch the counter's session");

            assertEquals(count(2), jar.keep(http.post("/counter/increment", null, jar.header())).body());
            assertEquals(user("alice"), jar.keep(http.get("/me", jar.header())).body());
            HttpTestClient.Response page = jar.keep(http.get("/", jar.header()));
            assertTrue(page.body().contains("<span id=\"count\">2</span>") && page.body().contains("alice"), page::body);

            HttpTestClient.Response logout = jar.keep(http.post("/logout", null, jar.header()));
            assertTrue(logout.cookie("AUTH").isExpired(), logout::toString);
            assertFalse(logout.setsCookie("SESSION"), "logging out does not touch the counter's session");
            assertEquals(count(2), http.get("/counter", jar.header()).body());
            assertStatus(401, http.get("/me", jar.header()));
        }
    }

    // ---------------------------------------------------------------- hostile cookies

    private record Hostile(String name, List<String> headers) {
        Hostile(String name, String header) {
            this(name, List.of(header));
        }
    }

    private static List<Hostile> hostileHeaders(String real, String realAuth) {
        String unknown = IDS.newId();
        String unknown2 = IDS.newId();
        List<Hostile> list = new ArrayList<>();
        list.add(new Hostile("garbage value", "SESSION=garbage"));
        list.add(new Hostile("empty value", "SESSION="));
        list.add(new Hostile("name without value", "SESSION"));
        list.add(new Hostile("value without name", "=SESSION"));
        list.add(new Hostile("only separators", ";;;; ;"));
        list.add(new Hostile("only spaces", "   "));
        list.add(new Hostile("duplicate names", "SESSION=a; SESSION=b"));
        list.add(new Hostile("a valid-looking unknown id", cookie("SESSION", unknown)));
        list.add(new Hostile("two valid-looking unknown ids", "SESSION=" + unknown + "; SESSION=" + unknown2));
        list.add(new Hostile("the same unknown id in two Cookie headers", List.of(cookie("SESSION", unknown), cookie("SESSION", unknown))));
        list.add(new Hostile("a 10 KB value", cookie("SESSION", "A".repeat(10 * 1024))));
        list.add(new Hostile("a 10 KB value beside an unknown id", "SESSION=" + "x".repeat(10 * 1024) + "; SESSION=" + unknown));
        list.add(new Hostile("a quoted value", "SESSION=\"quoted\""));
        list.add(new Hostile("a quoted unknown id", "SESSION=\"" + unknown + "\""));
        list.add(new Hostile("an unbalanced quote", "SESSION=\"" + unknown));
        list.add(new Hostile("percent-encoded NUL", "SESSION=%00%01%ff"));
        list.add(new Hostile("a path traversal", "SESSION=../../../../etc/passwd"));
        list.add(new Hostile("markup", "SESSION=<script>alert(1)</script>"));
        list.add(new Hostile("JSON", "SESSION={\"count\":99}"));
        list.add(new Hostile("commas and backslashes", "SESSION=a,b\\c,d"));
        list.add(new Hostile("only equals signs", "SESSION=" + "=".repeat(64)));
        list.add(new Hostile("standard base64 with padding", "SESSION=" + unknown.replace('-', '+').replace('_', '/') + "=="));
        list.add(new Hostile("an upper-cased unknown id", cookie("SESSION", unknown.toUpperCase(Locale.ROOT))));
        list.add(new Hostile("spaces around the equals sign", "SESSION = " + unknown));
        list.add(new Hostile("a trailing tab", "SESSION=" + unknown + "\t"));
        list.add(new Hostile("RFC 2109 attributes", "$Version=1; SESSION=" + unknown + "; $Path=/"));
        list.add(new Hostile("the words null and undefined", "SESSION=null; AUTH=undefined"));
        list.add(new Hostile("swapped names", "AUTH=" + unknown + "; SESSION=" + unknown2));
        list.add(new Hostile("a 5000-character name", "N".repeat(5000) + "=1; SESSION=junk"));
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            many.add("c" + i + "=v" + i);
        }
        list.add(new Hostile("400 other cookies, then an unknown id", String.join("; ", many) + "; SESSION=" + unknown));
        List<String> dupes = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            dupes.add("SESSION=junk" + i);
        }
        list.add(new Hostile("300 values for the same name", String.join("; ", dupes)));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            ids.add("SESSION=" + IDS.newId());
        }
        list.add(new Hostile("100 well-formed unknown ids", String.join("; ", ids)));
        List<String> headers = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            headers.add("SESSION=" + IDS.newId());
        }
        list.add(new Hostile("50 Cookie headers", headers));
        list.add(new Hostile("a truncated real cookie", cookie("SESSION", real.substring(0, real.length() / 2))));
        list.add(new Hostile("a real cookie missing its last character", cookie("SESSION", real.substring(0, real.length() - 1))));
        list.add(new Hostile("a real cookie with a character changed", cookie("SESSION", flip(real, real.length() / 2))));
        list.add(new Hostile("a real cookie with junk appended", cookie("SESSION", real + "AAAA")));
        list.add(new Hostile("a real cookie under the wrong-case name", cookie("session", real)));
        list.add(new Hostile("the AUTH cookie sent as SESSION", cookie("SESSION", realAuth)));
        list.add(new Hostile("Latin-1 bytes", "SESSION=caf\u00e9\u00ff"));
        return list;
    }

    private static String flip(String s, int at) {
        char c = s.charAt(at);
        char other = c == '7' ? '8' : '7'; // a digit: never the same letter in another case
        return s.substring(0, at) + other + s.substring(at + 1);
    }

    /** Hostile {@code Cookie} headers: never a 5xx, always a fresh session. */
    @Nested
    @DisplayName("hostile cookies")
    class HostileCookies {

        /**
         * Hostile {@code Cookie} headers never give a 5xx and always give a fresh session: {@code GET
         * /counter} reads 0, {@code GET /me} is 401, and a write gets a new cookie value, different from
         * anything that was sent.
         *
         * <p>The server must accept request headers of up to 64 KiB (Jetty's default is 8 KiB: raise its
         * {@code requestHeaderSize}).
         *
         * @return one test per header
         * @throws Exception if the server cannot start
         */
        @TestFactory
        @DisplayName("hostile Cookie headers never give a 5xx and always give a fresh session")
        Stream<DynamicTest> hostileCookies() throws Exception {
            HttpTestClient http = serve(defaultSessions());
            String real = live(http.post("/counter/increment", null), "SESSION");
            String realAuth = live(http.post("/login", "{\"user\":\"mallory\"}"), "AUTH");
            return hostileHeaders(real, realAuth).stream().map(h -> DynamicTest.dynamicTest(h.name(), () -> {
                String sent = String.join("\n", h.headers());
                HttpTestClient.Response read = http.send("GET", "/counter", null, h.headers(), HttpTestClient.DEFAULT_TIMEOUT);
                assertStatus(200, read);
                assertEquals(COUNT_0, read.body());

                HttpTestClient.Response me = http.send("GET", "/me", null, h.headers(), HttpTestClient.DEFAULT_TIMEOUT);
                assertStatus(401, me);

                HttpTestClient.Response write = http.send("POST", "/counter/increment", null, h.headers(),
                        HttpTestClient.DEFAULT_TIMEOUT);
                assertStatus(200, write);
                assertEquals(count(1), write.body());
                String fresh = live(write, "SESSION");
                assertFalse(sent.contains(fresh), "the new cookie value must not be one that was sent");
                assertNotEquals(real, fresh);
            }));
        }

        /**
         * Bytes the JDK client refuses to send (NUL, control bytes, DEL, raw UTF-8), sent over a plain
         * socket. The server may refuse such a request itself with a 4xx before the adapter sees it; it
         * must never answer 5xx, and whatever it lets through must give a fresh session.
         *
         * @return one test per header
         * @throws Exception if the server cannot start
         */
        @TestFactory
        @DisplayName("Cookie headers with NUL, control and raw UTF-8 bytes never give a 5xx")
        Stream<DynamicTest> rawHostileCookies() throws Exception {
            HttpTestClient http = serve(defaultSessions());
            String unknown = IDS.newId();
            Map<String, byte[]> cases = new LinkedHashMap<>();
            cases.put("a NUL byte", ("SESSION=" + unknown + "\0x").getBytes(StandardCharsets.ISO_8859_1));
            cases.put("control bytes", ("SESSION=\u0001\u0002\u001b[31m" + unknown).getBytes(StandardCharsets.ISO_8859_1));
            cases.put("a DEL byte", ("SESSION=" + unknown + "\u007f").getBytes(StandardCharsets.ISO_8859_1));
            cases.put("raw UTF-8 emoji", ("SESSION=\uD83C\uDF6A" + unknown).getBytes(StandardCharsets.UTF_8));
            cases.put("invalid UTF-8", new byte[] {'S', 'E', 'S', 'S', 'I', 'O', 'N', '=', (byte) 0xC3, (byte) 0x28, (byte) 0xFF});
            return cases.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
                HttpTestClient.Response read = http.sendRaw("GET", "/counter", e.getValue());
                assertTrue(read.status() < 500, read::toString);
                if (read.status() == 200) {
                    assertTrue(read.body().contains(COUNT_0), read::toString);
                }
                HttpTestClient.Response write = http.sendRaw("POST", "/counter/increment", e.getValue());
                assertTrue(write.status() < 500, write::toString);
                if (write.status() == 200) {
                    String fresh = live(write, "SESSION");
                    assertFalse(new String(e.getValue(), StandardCharsets.ISO_8859_1).contains(fresh));
                    assertEquals(count(1), http.get("/counter", cookie("SESSION", fresh)).body());
                }
            }));
        }
    }

    // ---------------------------------------------------------------- store down

    /** A store that is down gives a quick 503, never a 500 or a hang. */
    @Nested
    @DisplayName("store down")
    class StoreDown {

        private HttpTestClient http;

        private HttpTestClient down() throws Exception {
            if (http == null) {
                http = serve(group(manager(ReferenceApp.SESSION, store()::configureDown, b -> { }),
                        manager(ReferenceApp.AUTH, store()::configureDown, b -> { })));
            }
            return http;
        }

        private void assertUnavailable(String method, String path, String json, String cookieHeader) throws Exception {
            HttpTestClient.Response r = down().send(method, path, json,
                    cookieHeader == null ? List.of() : List.of(cookieHeader), STORE_DOWN_CLIENT_TIMEOUT);
            assertStatus(503, r);
            assertEquals(UNAVAILABLE_BODY, r.body());
            assertEquals(JSON, r.mediaType());
        }

        @Test
        @DisplayName("a locked write answers 503 with the short unavailable body")
        void lockedWrite() throws Exception {
            assertUnavailable("POST", "/counter/increment", null, null);
            assertUnavailable("POST", "/counter/increment", null, cookie("SESSION", IDS.newId()));
        }

        @Test
        @DisplayName("reading a known-looking session answers 503")
        void read() throws Exception {
            assertUnavailable("GET", "/counter", null, cookie("SESSION", IDS.newId()));
            assertUnavailable("GET", "/", null, cookie("SESSION", IDS.newId()));
        }

        @Test
        @DisplayName("the login-required guard answers 503, not 401 or 500, when it cannot load the session")
        void guard() throws Exception {
            assertUnavailable("GET", "/me", null, cookie("AUTH", IDS.newId()));
        }

        @Test
        @DisplayName("login and logout answer 503")
        void loginLogout() throws Exception {
            assertUnavailable("POST", "/login", "{\"user\":\"alice\"}", null);
            assertUnavailable("POST", "/logout", null, cookie("AUTH", IDS.newId()));
        }

        @Test
        @DisplayName("a store that accepts connections but never answers gives a 503 within the client timeout, not a hang")
        void hung() throws Exception {
            SessionManager.Builder session = SessionManager.builder(ReferenceApp.SESSION);
            SessionManager.Builder auth = SessionManager.builder(ReferenceApp.AUTH);
            assumeTrue(store().configureHung(session) && store().configureHung(auth),
                    "no store that can hang is available (no Redis store on the classpath)");
            HttpTestClient hungApp = serve(group(session.build(), auth.build()));
            HttpTestClient.Response r = hungApp.send("POST", "/counter/increment", null,
                    List.of(cookie("SESSION", IDS.newId())), STORE_DOWN_CLIENT_TIMEOUT);
            assertStatus(503, r);
            assertEquals(UNAVAILABLE_BODY, r.body());
        }

        @Test
        @DisplayName("a request that never touches its session still works")
        void untouched() throws Exception {
            HttpTestClient.Response r = down().get("/counter");
            assertStatus(200, r);
            assertEquals(COUNT_0, r.body());
        }
    }

    // ---------------------------------------------------------------- auth

    /** Login, logout and the login-required guard (issue 6). */
    @Nested
    @DisplayName("auth")
    class Auth {

        @Test
        @DisplayName("login sends a new AUTH id and the old id no longer loads")
        void loginRotates() throws Exception {
            Sessions sessions = defaultSessions();
            HttpTestClient http = serve(sessions);
            String first = live(http.post("/login", "{\"user\":\"alice\"}"), "AUTH");
            HttpTestClient.Response again = http.post("/login", "{\"user\":\"bob\"}", cookie("AUTH", first));
            assertStatus(200, again);
            String second = live(again, "AUTH");
            assertNotEquals(first, second, "login must rotate the id");
            assertEquals(user("bob"), http.get("/me", cookie("AUTH", second)).body());
            if (!clientSide(sessions)) {
                // Server-side: the id before login was deleted (session fixation). A client-side cookie
                // has no id to delete; an old copy stays valid until it expires, by design.
                assertStatus(401, http.get("/me", cookie("AUTH", first)));
            }
        }

        @Test
        @DisplayName("without remember-me the AUTH cookie is a browser-session cookie: no Max-Age, no Expires")
        void browserSessionLogin() throws Exception {
            HttpTestClient http = serve(defaultSessions());
            HttpTestClient.Response r = http.post("/login", "{\"user\":\"alice\"}");
            assertStatus(200, r);
            live(r, "AUTH");
            assertEquals(Map.of("path", "/", "httponly", "", "samesite", "Lax"), r.cookie("AUTH").attributes());
        }

        @Test
        @DisplayName("remember-me with durationSeconds gives Max-Age equal to it, and Expires to match")
        void rememberMe() throws Exception {
            HttpTestClient http = serve(defaultSessions());
            Instant before = Instant.now();
            HttpTestClient.Response r = http.post("/login", "{\"user\":\"alice\",\"rememberMe\":true,\"durationSeconds\":7200}");
            Instant after = Instant.now();
            assertStatus(200, r);
            SetCookie c = r.cookie("AUTH");
            assertEquals("7200", c.attribute("Max-Age").orElse(null), c::toString);
            assertExpiresMatchesMaxAge(c, before, after);
            assertEquals(user("alice"), http.get("/me", cookie("AUTH", c.value())).body());
        }

        @Test
        @DisplayName("after logout /me is 401, and replaying the pre-logout cookie is 401 (server-side stores)")
        void logout() throws Exception {
            Sessions sessions = defaultSessions();
            HttpTestClient http = serve(sessions);
            String auth = cookie("AUTH", live(http.post("/login", "{\"user\":\"alice\"}"), "AUTH"));
            assertEquals(user("alice"), http.get("/me", auth).body());

            HttpTestClient.Response out = http.post("/logout", null, auth);
            assertStatus(200, out);
            assertEquals(user(null), out.body());
            assertTrue(out.cookie("AUTH").isExpired(), out::toString);
            assertStatus(401, http.get("/me"));
            if (!clientSide(sessions)) {
                // Server-side: logout deleted the session. A client-side cookie cannot be revoked.
                assertStatus(401, http.get("/me", auth));
            }
        }

        @Test
        @DisplayName("the guard answers 401 with the login-required body to an anonymous request, 200 once logged in")
        void guard() throws Exception {
            HttpTestClient http = serve(defaultSessions());
            HttpTestClient.Response anonymous = http.get("/me");
            assertStatus(401, anonymous);
            assertEquals(LOGIN_REQUIRED_BODY, anonymous.body());
            assertEquals(JSON, anonymous.mediaType());
            assertStatus(401, http.get("/me", cookie("AUTH", IDS.newId())));

            String auth = cookie("AUTH", live(http.post("/login", "{\"user\":\"alice\"}"), "AUTH"));
            HttpTestClient.Response me = http.get("/me", auth);
            assertStatus(200, me);
            assertEquals(user("alice"), me.body());
        }

        @Test
        @DisplayName("OPTIONS passes the guard")
        void optionsPasses() throws Exception {
            HttpTestClient http = serve(defaultSessions());
            HttpTestClient.Response r = http.send("OPTIONS", "/me", null, List.of(), HttpTestClient.DEFAULT_TIMEOUT);
            assertTrue(r.status() == 200 || r.status() == 204, r::toString);
        }

        @Test
        @DisplayName("the app's own no-auth handler answers instead of the default 401")
        void customNoAuthHandler() throws Exception {
            HttpTestClient http = serveWithLoginRedirect(defaultSessions());
            HttpTestClient.Response anonymous = http.get("/me");
            assertStatus(302, anonymous);
            assertTrue(anonymous.header("Location").orElse("").endsWith(LOGIN_PAGE), anonymous::toString);

            String auth = cookie("AUTH", live(http.post("/login", "{\"user\":\"alice\"}"), "AUTH"));
            assertEquals(user("alice"), http.get("/me", auth).body());
        }
    }

    // ---------------------------------------------------------------- failures

    /** What a failed handler keeps, and how the core answers a session too large (one rule, decided in the core). */
    @Nested
    @DisplayName("failures")
    class Failures {

        @Test
        @DisplayName("a handler that writes without the lock and then throws: its write is saved and its cookie sent")
        void writeThenThrow() throws Exception {
            HttpTestClient http = serve(defaultSessions());
            String value = live(http.post("/counter/increment", null), "SESSION");
            HttpTestClient.Response failed = http.post("/fail", null, cookie("SESSION", value));
            assertStatus(500, failed);
            // A server-side session keeps its id; a client-side one sends its new value.
            String now = failed.setsCookie("SESSION") ? live(failed, "SESSION") : value;
            assertEquals(count(ReferenceApp.FAIL_COUNT), http.get("/counter", cookie("SESSION", now)).body());

            HttpTestClient.Response fresh = http.post("/fail", null);
            assertStatus(500, fresh);
            assertEquals(count(ReferenceApp.FAIL_COUNT), http.get("/counter", cookie("SESSION", live(fresh, "SESSION"))).body(),
                    "a new session written before the failure gets its cookie");
        }

        @Test
        @DisplayName("a session too large for its cookie or store: 500 with the short body, no cookie, the previous one kept")
        void tooLarge() throws Exception {
            HttpTestClient http = serve(defaultSessions());
            String value = live(http.post("/counter/increment", null), "SESSION");
            HttpTestClient.Response big = http.post("/big", null, cookie("SESSION", value));
            assertStatus(500, big);
            assertEquals(TOO_LARGE_BODY, big.body());
            assertEquals(JSON, big.mediaType());
            assertFalse(big.setsCookie("SESSION"), () -> "the previous cookie must stay: " + big);
            assertEquals(count(1), http.get("/counter", cookie("SESSION", value)).body(), "the previous session is intact");

            HttpTestClient.Response bigNew = http.post("/big", null);
            assertStatus(500, bigNew);
            assertEquals(TOO_LARGE_BODY, bigNew.body());
            assertFalse(bigNew.setsCookie("SESSION"), bigNew::toString);
        }
    }

    // ---------------------------------------------------------------- lifecycle

    /** The adapter runs the core's one lifecycle, once per request. */
    @Nested
    @DisplayName("lifecycle")
    class Lifecycle {

        @Test
        @DisplayName("each request opens its sessions once: one id check per cookie, whatever the handler does")
        void openedOnce() throws Exception {
            // The auth manager counts the id checks that opening a request makes, one per AUTH cookie
            // value; its store is never called, since no route here touches the auth session.
            CountingIds ids = new CountingIds();
            HttpTestClient http = serve(group(manager(ReferenceApp.SESSION, b -> store().configure(ReferenceApp.SESSION, b),
                    b -> { }), SessionManager.builder(ReferenceApp.AUTH).store(DeadStores.unavailable()).idGenerator(ids).build()));
            String auth = cookie("AUTH", IDS.newId());
            String session = cookie("SESSION", live(http.post("/counter/increment", null, auth), "SESSION"));
            for (String[] request : new String[][] {{"GET", "/counter"}, {"POST", "/counter/increment"},
                    {"POST", "/redirect"}, {"POST", "/stream"}, {"POST", "/error"}, {"POST", "/fail"}}) {
                int before = ids.checks.get();
                HttpTestClient.Response r = http.send(request[0], request[1], null, List.of(session + "; " + auth),
                        HttpTestClient.DEFAULT_TIMEOUT);
                assertTrue(r.status() < 500 || request[1].equals("/fail"), r::toString);
                assertEquals(1, ids.checks.get() - before, () -> request[0] + " " + request[1] + " opened its sessions "
                        + (ids.checks.get() - before) + " times");
            }
        }
    }

    /** An id generator that counts the well-formedness checks the core makes when it opens a request. */
    private static final class CountingIds implements SessionIdGenerator {
        final AtomicInteger checks = new AtomicInteger();

        @Override
        public String newId() {
            return IDS.newId();
        }

        @Override
        public boolean isWellFormed(String candidate) {
            checks.incrementAndGet();
            return IDS.isWellFormed(candidate);
        }
    }

    // ---------------------------------------------------------------- cache headers

    /** Responses that carry or depend on a session cookie are not shared by caches. */
    @Nested
    @DisplayName("cache headers")
    class CacheHeaders {

        @Test
        @DisplayName("a response that sets a session cookie is Cache-Control: private and varies on Cookie")
        void privateAndVary() throws Exception {
            HttpTestClient http = serve(defaultSessions());
            HttpTestClient.Response write = http.post("/counter/increment", null);
            live(write, "SESSION");
            assertEquals(List.of("private"), write.headers("Cache-Control"), write::toString);
            assertTrue(write.headers("Vary").stream().anyMatch(v -> v.toLowerCase(Locale.ROOT).contains("cookie")),
                    write::toString);
            HttpTestClient.Response login = http.post("/login", "{\"user\":\"alice\"}");
            assertEquals(List.of("private"), login.headers("Cache-Control"), login::toString);
        }

        @Test
        @DisplayName("a read-only response varies on Cookie and sets no cookie")
        void readOnly() throws Exception {
            HttpTestClient http = serve(defaultSessions());
            String value = live(http.post("/counter/increment", null), "SESSION");
            HttpTestClient.Response read = http.get("/counter", cookie("SESSION", value));
            assertEquals(List.of(), read.headers("Set-Cookie"));
            assertTrue(read.headers("Vary").stream().anyMatch(v -> v.toLowerCase(Locale.ROOT).contains("cookie")),
                    read::toString);
        }
    }

    // ---------------------------------------------------------------- header transport

    /** The session id in a request header instead of a cookie, for API and mobile clients. */
    @Nested
    @DisplayName("header transport")
    class HeaderTransport {

        private static final String SESSION_HEADER = "X-Session-Token";
        private static final String AUTH_HEADER = "X-Auth-Token";

        /** A client that keeps only the two headers, never a cookie. */
        private final class HeaderClient {
            private final HttpTestClient http;
            private final Map<String, String> tokens = new LinkedHashMap<>();

            HeaderClient(HttpTestClient http) {
                this.http = http;
            }

            HttpTestClient.Response send(String method, String path, String json) {
                List<Map.Entry<String, String>> headers = new ArrayList<>();
                tokens.forEach((name, value) -> headers.add(Map.entry(name, value)));
                HttpTestClient.Response r = http.send(method, path, json, headers);
                assertEquals(List.of(), r.headers("Set-Cookie"), () -> "no Set-Cookie on the header transport: " + r);
                for (String name : List.of(SESSION_HEADER, AUTH_HEADER)) {
                    List<String> answered = r.headers(name);
                    if (!answered.isEmpty()) {
                        if (answered.get(0).isEmpty()) {
                            tokens.remove(name);
                        } else {
                            tokens.put(name, answered.get(0));
                        }
                    }
                }
                return r;
            }
        }

        private Sessions headerSessions() {
            return sessions(b -> b.transport(dev.cookies.IdTransport.header(SESSION_HEADER)),
                    b -> b.transport(dev.cookies.IdTransport.header(AUTH_HEADER)));
        }

        private boolean clientSideStore() {
            SessionManager.Builder probe = SessionManager.builder(ReferenceApp.SESSION);
            store().configure(ReferenceApp.SESSION, probe);
            try (SessionManager m = probe.build()) {
                return m.isClientSide();
            }
        }

        @Test
        @DisplayName("a client that keeps only the header increments, logs in, sees itself at /me and logs out")
        void wholeCycle() throws Exception {
            if (clientSideStore()) {
                // A client-side session is its cookie: an id header needs a server-side store.
                dev.cookies.SessionConfigException e = org.junit.jupiter.api.Assertions.assertThrows(
                        dev.cookies.SessionConfigException.class, this::headerSessions);
                assertEquals("transport", e.setting());
                return;
            }
            HeaderClient client = new HeaderClient(serve(headerSessions()));
            assertEquals(count(1), client.send("POST", "/counter/increment", null).body());
            String id = client.tokens.get(SESSION_HEADER);
            assertTrue(id != null && IDS.isWellFormed(id), () -> "the new id comes back in " + SESSION_HEADER);
            HttpTestClient.Response read = client.send("GET", "/counter", null);
            assertEquals(count(1), read.body());
            assertEquals(List.of(), read.headers(SESSION_HEADER), "a read-only request sends nothing");
            assertEquals(count(2), client.send("POST", "/counter/increment", null).body());

            HttpTestClient.Response login = client.send("POST", "/login", "{\"user\":\"alice\"}");
            assertStatus(200, login);
            assertTrue(client.tokens.containsKey(AUTH_HEADER), login::toString);
            assertEquals(user("alice"), client.send("GET", "/me", null).body());
            String before = client.tokens.get(AUTH_HEADER);
            client.send("POST", "/login", "{\"user\":\"bob\"}");
            assertNotEquals(before, client.tokens.get(AUTH_HEADER), "login rotates the id");

            HttpTestClient.Response logout = client.send("POST", "/logout", null);
            assertEquals(List.of(""), logout.headers(AUTH_HEADER), "invalidation answers the header empty");
            assertStatus(401, client.send("GET", "/me", null));
            assertEquals(count(2), client.send("GET", "/counter", null).body());
        }

        @Test
        @DisplayName("a forged or unknown header id is a fresh session, never adopted")
        void forged() throws Exception {
            if (clientSideStore()) {
                return; // see wholeCycle: the manager cannot be built
            }
            HttpTestClient http = serve(headerSessions());
            for (String forged : List.of(IDS.newId(), "garbage", "../../etc/passwd", "A".repeat(5000))) {
                HttpTestClient.Response read = http.send("GET", "/counter", null, List.of(Map.entry(SESSION_HEADER, forged)));
                assertEquals(COUNT_0, read.body(), forged);
                HttpTestClient.Response write = http.send("POST", "/counter/increment", null,
                        List.of(Map.entry(SESSION_HEADER, forged)));
                assertEquals(count(1), write.body());
                String issued = write.headers(SESSION_HEADER).get(0);
                assertNotEquals(forged, issued, "an unknown id is never adopted");
                assertStatus(401, http.send("GET", "/me", null, List.of(Map.entry(AUTH_HEADER, forged))));
            }
        }

        @Test
        @DisplayName("100 concurrent locked increments with one header id end at 100 more")
        void concurrent() throws Exception {
            if (clientSideStore()) {
                return; // see wholeCycle: the manager cannot be built
            }
            HttpTestClient http = serve(headerSessions());
            HttpTestClient.Response first = http.send("POST", "/counter/increment", null, List.of());
            List<Map.Entry<String, String>> header = List.of(Map.entry(SESSION_HEADER, first.headers(SESSION_HEADER).get(0)));
            int n = 100;
            ExecutorService pool = Executors.newFixedThreadPool(n);
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<HttpTestClient.Response>> futures = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    futures.add(pool.submit(() -> {
                        go.await();
                        return http.send("POST", "/counter/increment", null, header);
                    }));
                }
                go.countDown();
                for (Future<HttpTestClient.Response> f : futures) {
                    assertStatus(200, f.get(60, TimeUnit.SECONDS));
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals(count(n + 1), http.send("GET", "/counter", null, header).body());
        }
    }

    // ---------------------------------------------------------------- who is signed in where

    /**
     * A user's sessions over HTTP: {@code GET /sessions}, {@code POST /logout/everywhere} and
     * {@code POST /logout/everywhere-else}, behind the login-required guard. What the app can do depends
     * on the store: one that indexes sessions by user (memory, Redis, JDBC) does all three; a client-side store
     * given a revocation store ({@link ContractStore#revocations}) signs users out everywhere but cannot
     * list; any other store answers all three with 501 and a short JSON body, and ends nothing.
     */
    @Nested
    @DisplayName("who is signed in where")
    class SignedInWhere {

        /**
         * The {@code auth} manager's clock. A client-side store keeps revocations in whole seconds: a
         * cookie issued in the same second as a sign-out still counts. The scenarios move this clock a
         * second on before signing out, rather than wait for the wall clock.
         */
        private final MutableClock clock = MutableClock.now();

        /** A user of this test alone: a Redis index outlives the test that filled it. */
        private final String alice = "alice-" + IDS.newId().substring(0, 10);
        private final String bob = "bob-" + IDS.newId().substring(0, 10);

        private Can can;

        /** What the app under test can do for a user's sessions on this store. */
        private enum Can { LIST_AND_SIGN_OUT, SIGN_OUT_ONLY, NOTHING }

        private HttpTestClient serveApp() throws Exception {
            boolean clientSide;
            SessionManager.Builder probe = SessionManager.builder(ReferenceApp.AUTH);
            store().configure(ReferenceApp.AUTH, probe);
            try (SessionManager m = probe.build()) {
                clientSide = m.isClientSide();
            }
            boolean[] revocations = {false};
            Sessions sessions = sessions(b -> { }, b -> {
                b.clock(clock);
                if (clientSide) {
                    revocations[0] = store().configureRevocations(b);
                }
            });
            if (clientSide) {
                can = revocations[0] ? Can.SIGN_OUT_ONLY : Can.NOTHING;
            } else {
                can = indexes(sessions.manager(ReferenceApp.AUTH)) ? Can.LIST_AND_SIGN_OUT : Can.NOTHING;
            }
            return serve(sessions);
        }

        /** Whether a server-side store keeps an index of sessions by user: the core says so when asked. */
        private boolean indexes(SessionManager auth) {
            try {
                auth.sessions("nobody-" + IDS.newId());
                return true;
            } catch (IllegalStateException noIndex) {
                return false;
            }
        }

        /** Logs a user in from a new client (no cookie); returns its AUTH value. */
        private String login(HttpTestClient http, String name) {
            HttpTestClient.Response r = http.post("/login", "{\"user\":\"" + name + "\"}");
            assertStatus(200, r);
            return live(r, "AUTH");
        }

        private List<String> threeClients(HttpTestClient http) {
            return List.of(login(http, alice), login(http, alice), login(http, alice));
        }

        /** The app's refusal: 501 with a short JSON error of its own words, not the core's message. */
        private void assertRefused(HttpTestClient.Response r) {
            assertStatus(501, r);
            assertEquals(JSON, r.mediaType());
            assertTrue(r.body().matches("\\{\"error\":\"[^\"]{1,100}\"\\}"), r::toString);
            assertFalse(r.body().contains("Exception") || r.body().contains("keeps no index")
                    || r.body().contains("SessionManager"), () -> "no exception text: " + r);
        }

        /** The entries of a {@code GET /sessions} answer, each checked for its four fields and nothing more. */
        private List<JsonNode> entries(HttpTestClient.Response r) {
            assertStatus(200, r);
            assertEquals(JSON, r.mediaType());
            JsonNode root;
            try {
                root = new ObjectMapper().readTree(r.body());
            } catch (java.io.IOException e) {
                throw new AssertionError("GET /sessions is not JSON: " + r, e);
            }
            assertTrue(root.isObject() && root.size() == 1 && root.path("sessions").isArray(), r::toString);
            List<JsonNode> list = new ArrayList<>();
            root.get("sessions").forEach(list::add);
            for (JsonNode e : list) {
                Set<String> fields = new HashSet<>();
                e.fieldNames().forEachRemaining(fields::add);
                assertEquals(Set.of("handle", "createdAt", "lastUsedAt", "current"), fields, r::toString);
                assertTrue(e.get("handle").isTextual() && !e.get("handle").asText().isEmpty(), r::toString);
                Instant.parse(e.get("createdAt").asText());
                Instant.parse(e.get("lastUsedAt").asText());
                assertTrue(e.get("current").isBoolean(), r::toString);
            }
            return list;
        }

        private String currentHandle(List<JsonNode> entries) {
            List<String> current = entries.stream().filter(e -> e.get("current").asBoolean())
                    .map(e -> e.get("handle").asText()).toList();
            assertEquals(1, current.size(), () -> "exactly one session is the caller's: " + entries);
            return current.get(0);
        }

        @Test
        @DisplayName("a user logged in from three clients is listed three times: handle, createdAt, lastUsedAt, current; no data, no ids")
        void listed() throws Exception {
            HttpTestClient http = serveApp();
            for (String[] route : new String[][] {{"GET", "/sessions"}, {"POST", "/logout/everywhere"},
                    {"POST", "/logout/everywhere-else"}}) {
                HttpTestClient.Response anonymous = http.send(route[0], route[1], null, List.of(),
                        HttpTestClient.DEFAULT_TIMEOUT);
                assertStatus(401, anonymous);
                assertEquals(LOGIN_REQUIRED_BODY, anonymous.body(), () -> route[1] + " is behind the guard");
            }
            List<String> clients = threeClients(http);
            String bobs = login(http, bob);
            HttpTestClient.Response listed = http.get("/sessions", cookie("AUTH", clients.get(1)));
            if (can != Can.LIST_AND_SIGN_OUT) {
                assertRefused(listed);
                return;
            }
            List<JsonNode> entries = entries(listed);
            assertEquals(3, entries.size(), listed::toString);
            Set<String> handles = entries.stream().map(e -> e.get("handle").asText()).collect(Collectors.toSet());
            assertEquals(3, handles.size(), "three sessions, three handles");
            String second = currentHandle(entries);
            for (String id : clients) {
                assertFalse(listed.body().contains(id), "no session id in the list");
            }
            assertFalse(listed.body().contains(alice), "no session data in the list");

            List<JsonNode> fromFirst = entries(http.get("/sessions", cookie("AUTH", clients.get(0))));
            assertEquals(handles, fromFirst.stream().map(e -> e.get("handle").asText()).collect(Collectors.toSet()));
            assertNotEquals(second, currentHandle(fromFirst), "each client is marked current in its own list");
            assertEquals(1, entries(http.get("/sessions", cookie("AUTH", bobs))).size(), "another user's sessions are not listed");
        }

        @Test
        @DisplayName("sign out everywhere ends all three sessions: each client's next request is anonymous, a replayed copy of the caller's cookie too")
        void everywhere() throws Exception {
            HttpTestClient http = serveApp();
            List<String> clients = threeClients(http);
            String bobs = login(http, bob);
            clock.advance(Duration.ofSeconds(1));
            HttpTestClient.Response out = http.post("/logout/everywhere", null, cookie("AUTH", clients.get(0)));
            if (can == Can.NOTHING) {
                assertRefused(out);
                for (String c : clients) {
                    assertEquals(user(alice), http.get("/me", cookie("AUTH", c)).body(), "a refusal ends nothing");
                }
                return;
            }
            assertStatus(200, out);
            assertEquals(user(null), out.body());
            assertTrue(out.cookie("AUTH").isExpired(), out::toString);
            for (String c : clients) {
                assertStatus(401, http.get("/me", cookie("AUTH", c)));
                assertStatus(401, http.get("/sessions", cookie("AUTH", c)));
            }
            assertEquals(user(bob), http.get("/me", cookie("AUTH", bobs)).body(), "another user stays signed in");
            if (can == Can.LIST_AND_SIGN_OUT) {
                assertEquals(1, entries(http.get("/sessions", cookie("AUTH", bobs))).size());
            }
        }

        @Test
        @DisplayName("sign out everywhere else keeps exactly the caller's session")
        void everywhereElse() throws Exception {
            HttpTestClient http = serveApp();
            List<String> clients = threeClients(http);
            clock.advance(Duration.ofSeconds(1));
            String caller = clients.get(1);
            HttpTestClient.Response kept = http.post("/logout/everywhere-else", null, cookie("AUTH", caller));
            if (can == Can.NOTHING) {
                assertRefused(kept);
                for (String c : clients) {
                    assertEquals(user(alice), http.get("/me", cookie("AUTH", c)).body(), "a refusal ends nothing");
                }
                return;
            }
            assertStatus(200, kept);
            assertEquals(user(alice), kept.body());
            // A client-side session is re-issued after the sign-out; a server-side one keeps its id.
            String now = kept.setsCookie("AUTH") ? live(kept, "AUTH") : caller;
            assertEquals(user(alice), http.get("/me", cookie("AUTH", now)).body());
            assertStatus(401, http.get("/me", cookie("AUTH", clients.get(0))));
            assertStatus(401, http.get("/me", cookie("AUTH", clients.get(2))));
            if (can == Can.LIST_AND_SIGN_OUT) {
                List<JsonNode> left = entries(http.get("/sessions", cookie("AUTH", now)));
                assertEquals(1, left.size(), left::toString);
                assertTrue(left.get(0).get("current").asBoolean(), left::toString);
            } else {
                assertNotEquals(caller, now, "the client-side session is re-issued");
                assertStatus(401, http.get("/me", cookie("AUTH", caller)));
            }
        }
    }

    // ---------------------------------------------------------------- labels

    /** Prefixes every failure with the adapter and the store, so a failure in a matrix run names its cell. */
    static final class Labels implements TestExecutionExceptionHandler {
        @Override
        public void handleTestExecutionException(ExtensionContext context, Throwable thrown) throws Throwable {
            Object instance = context.getTestInstances().map(i -> i.getAllInstances().get(0)).orElse(null);
            if (!(instance instanceof AdapterContract) || !(thrown instanceof AssertionError)) {
                throw thrown;
            }
            AdapterContract contract = (AdapterContract) instance;
            AssertionError labelled = new AssertionError("[" + contract.adapterName() + " x " + contract.store().description()
                    + "] " + thrown.getMessage(), thrown.getCause());
            labelled.setStackTrace(thrown.getStackTrace());
            throw labelled;
        }
    }
}
