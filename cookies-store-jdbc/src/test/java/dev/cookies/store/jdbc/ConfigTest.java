package dev.cookies.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cookies.SessionConfigException;
import dev.cookies.SessionManager;
import dev.cookies.Sessions;
import dev.cookies.StoreUnavailableException;
import dev.cookies.spi.SessionStore;
import dev.cookies.spi.SessionStoreProvider;
import dev.cookies.spi.StoreContext;
import dev.cookies.testkit.FakeBrowser;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * URI forms, settings and their errors, the provider's registration, the table checks and the
 * create-table option. Needs no server: what needs a database uses an in-memory H2; a PostgreSQL URL
 * that is parsed but never reached points at a closed port.
 */
class ConfigTest {

    private static String h2() {
        return "jdbc:h2:mem:config-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    }

    @Test
    @DisplayName("jdbc:postgresql: keeps the driver's parameters in the URL, takes out the store's and the credentials")
    void postgresForms() {
        JdbcUri uri = JdbcUri.parse("jdbc:postgresql://db.internal:5433/app?user=app&password=p%40ss+word"
                + "&sslmode=verify-full&table=web_sessions&lockLease=20s&ApplicationName=shop");
        assertEquals(Database.POSTGRESQL, uri.database);
        assertEquals("jdbc:postgresql://db.internal:5433/app?sslmode=verify-full&ApplicationName=shop", uri.driverUrl);
        assertEquals(List.of("sslmode", "ApplicationName"), uri.driverParameters);
        assertEquals("app", uri.user);
        assertEquals("p@ss+word", uri.password);
        assertEquals(Map.of("table", "web_sessions", "lockLease", "20s"), uri.parameters);
        assertEquals("jdbc:postgresql://db.internal:5433/app", uri.description);
        assertEquals("jdbc:postgresql://db1,db2/app", JdbcUri.parse("jdbc:postgresql://db1,db2/app?targetServerType=primary")
                .description);
    }

    @Test
    @DisplayName("jdbc:h2: keeps H2's settings after ';' for the driver and shows none of them")
    void h2Forms() {
        JdbcUri uri = JdbcUri.parse("jdbc:h2:mem:sessions;DB_CLOSE_DELAY=-1;PASSWORD=secret?table=t&createTable=true");
        assertEquals(Database.H2, uri.database);
        assertEquals("jdbc:h2:mem:sessions;DB_CLOSE_DELAY=-1;PASSWORD=secret", uri.driverUrl);
        assertEquals("jdbc:h2:mem:sessions", uri.description);
        assertNull(uri.user);
        assertEquals("true", uri.parameters.get("createTable"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "http://u:topsecret@localhost                                  | uri",
        "jdbc:mysql://h/db?password=topsecret                          | uri",
        "jdbc:postgresql:?password=topsecret                           | uri",
        "jdbc:h2:mem:x?password=topsecret&colour=blue                  | uri",
        "jdbc:postgresql://127.0.0.1:1/db?password=topsecret&tabel=x   | uri",
        "jdbc:postgresql://h/db?password=topsecret&timeout=5           | timeout",
        "jdbc:postgresql://h/db?password=topsecret&connectTimeout=10m  | connectTimeout",
        "jdbc:postgresql://h/db?password=topsecret&queryTimeout=0ms    | queryTimeout",
        "jdbc:postgresql://h/db?password=topsecret&poolSize=0          | poolSize",
        "jdbc:postgresql://h/db?password=topsecret&poolSize=many       | poolSize",
        "jdbc:postgresql://h/db?password=topsecret&lockLease=10ms      | lockLease",
        "jdbc:postgresql://h/db?password=topsecret&slideSlack=2h       | slideSlack",
        "jdbc:postgresql://h/db?password=topsecret&slideSlack=5        | slideSlack",
        "jdbc:postgresql://h/db?password=topsecret&table=1sessions     | table",
        "jdbc:postgresql://h/db?password=topsecret&table=s%3Bdrop      | table",
        "jdbc:postgresql://h/db?password=topsecret&createTable=yes     | createTable",
        "jdbc:postgresql://h/db?password=topsecret&cleanup=maybe       | cleanup",
        "jdbc:postgresql://h/db?password=topsecret&cleanupInterval=1ms | cleanupInterval",
        "jdbc:postgresql://h/db?password=topsecret&cleanupBatch=0      | cleanupBatch",
    })
    @DisplayName("a bad URI or parameter fails with SessionConfigException naming the setting, never the password")
    void badUris(String uri, String setting) {
        SessionConfigException e = assertThrows(SessionConfigException.class, () -> JdbcSessionStore.create(uri));
        assertEquals(setting, e.setting(), e.getMessage());
        assertFalse(e.getMessage().contains("topsecret"), e.getMessage());
    }

    @ParameterizedTest(name = "{0} = {1} ms")
    @CsvSource({"500ms, 500", "2s, 2000", "1m, 60000", "1h, 3600000", "PT3S, 3000"})
    @DisplayName("durations carry their unit: 500ms, 2s, 1m, 1h, or ISO-8601")
    void durations(String text, long millis) {
        assertEquals(Duration.ofMillis(millis), JdbcUri.duration("timeout", text));
    }

    @Test
    @DisplayName("the builder needs a URI or a DataSource, not both, and keeps pool settings away from a DataSource")
    void builderChecks() throws SQLException {
        assertEquals("uri", assertThrows(SessionConfigException.class, () -> JdbcSessionStore.builder().build()).setting());
        String url = h2();
        UrlDataSource ds = new UrlDataSource(url);
        assertEquals("dataSource", assertThrows(SessionConfigException.class,
                () -> JdbcSessionStore.builder().uri(url).dataSource(ds)).setting());
        assertEquals("uri", assertThrows(SessionConfigException.class,
                () -> JdbcSessionStore.builder().dataSource(ds).uri(url)).setting());
        assertEquals("poolSize", assertThrows(SessionConfigException.class,
                () -> JdbcSessionStore.builder().dataSource(ds).poolSize(4).build()).setting());
        assertEquals("database", assertThrows(SessionConfigException.class,
                () -> JdbcSessionStore.builder().uri(url).database(Database.POSTGRESQL).build()).setting());
        try (JdbcSessionStore store = JdbcSessionStore.builder().dataSource(ds).createTable(true).build()) {
            assertEquals(Database.H2, store.database(), "the database was not detected from the DataSource");
            assertEquals("jdbc:h2 (UrlDataSource)", store.description());
        }
        try (JdbcSessionStore store = JdbcSessionStore.create(url + "?createTable=true&table=s2&lockLease=5s")) {
            assertEquals("s2", store.table());
            assertEquals(Duration.ofSeconds(5), store.lockLease());
            assertEquals(JdbcSessionStore.DEFAULT_POOL_SIZE, 10);
        }
    }

    @Test
    @DisplayName("a missing table fails the build with SessionConfigException for createTable, naming the table and the schema file")
    void missingTable() {
        String url = h2();
        SessionConfigException e = assertThrows(SessionConfigException.class, () -> JdbcSessionStore.create(url));
        assertEquals("createTable", e.setting());
        assertTrue(e.getMessage().contains("cookies_session"), e.getMessage());
        assertTrue(e.getMessage().contains("/dev/cookies/store/jdbc/h2.sql"), e.getMessage());
        assertTrue(e.getMessage().contains("createTable=true"), e.getMessage());
    }

    @Test
    @DisplayName("createTable=true creates the table and its index (also schema-qualified), and is harmless when they exist")
    void createTable() throws SQLException {
        String url = h2();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA web");
        }
        for (int i = 0; i < 2; i++) {
            try (JdbcSessionStore store = JdbcSessionStore.create(url + "?createTable=true&table=web.sessions")) {
                store.save("id", new byte[] {1}, Duration.ofMinutes(1));
                assertEquals(1, store.load("id", Duration.ofMinutes(1)).orElseThrow()[0]);
            }
        }
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             var rs = s.executeQuery("SELECT count(*) FROM INFORMATION_SCHEMA.INDEXES WHERE TABLE_SCHEMA = 'WEB'"
                     + " AND INDEX_NAME = 'SESSIONS_EXPIRES_AT'")) {
            rs.next();
            assertEquals(1, rs.getInt(1), "the expires_at index was not created");
        }
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             var rs = s.executeQuery("SELECT count(*) FROM INFORMATION_SCHEMA.INDEXES WHERE TABLE_SCHEMA = 'WEB'"
                     + " AND INDEX_NAME = 'SESSIONS_PRINCIPAL'")) {
            rs.next();
            assertEquals(1, rs.getInt(1), "the principal_hash index was not created");
        }
        // Without the option, the existing table is simply used.
        try (JdbcSessionStore store = JdbcSessionStore.create(url + "?table=web.sessions")) {
            assertTrue(store.load("id", Duration.ofMinutes(1)).isPresent());
        }
    }

    @Test
    @DisplayName("a table dropped while the store runs: StoreUnavailableException naming the table and createTable")
    void tableDroppedAtRunTime() throws SQLException {
        String url = h2();
        try (JdbcSessionStore store = JdbcSessionStore.create(url + "?createTable=true")) {
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                s.execute("DROP TABLE cookies_session");
            }
            StoreUnavailableException e = assertThrows(StoreUnavailableException.class,
                    () -> store.load("id", Duration.ofMinutes(1)));
            assertEquals("load", e.operation());
            assertTrue(e.getMessage().contains("cookies_session") && e.getMessage().contains("createTable"), e.getMessage());
        }
    }

    @Test
    @DisplayName("a database that cannot be reached at start: the store is built all the same, and fails per call")
    void unreachableAtStart() {
        try (JdbcSessionStore store = JdbcSessionStore.create("jdbc:postgresql://127.0.0.1:1/app?timeout=1s")) {
            StoreUnavailableException e = assertThrows(StoreUnavailableException.class,
                    () -> store.load("id", Duration.ofMinutes(1)));
            assertEquals("jdbc:postgresql://127.0.0.1:1/app", e.store());
        }
        assertEquals("createTable", assertThrows(StoreUnavailableException.class,
                () -> JdbcSessionStore.create("jdbc:postgresql://127.0.0.1:1/app?timeout=1s&createTable=true")).operation());
    }

    @Test
    @DisplayName("the provider serves jdbc, is found through ServiceLoader, and builds a manager's store from a URI alone")
    void provider() {
        List<SessionStoreProvider> found = ServiceLoader.load(SessionStoreProvider.class).stream()
                .map(ServiceLoader.Provider::get).filter(p -> p instanceof JdbcStoreProvider).collect(Collectors.toList());
        assertEquals(1, found.size());
        assertEquals(Set.of("jdbc"), found.get(0).schemes());
        assertEquals(SessionStoreProvider.API_VERSION, found.get(0).apiVersion());
        try (SessionManager manager = SessionManager.builder("session").store(h2() + "?createTable=true").build()) {
            FakeBrowser browser = new FakeBrowser(Sessions.of(manager));
            browser.request("POST", open -> open.session("session").update(s -> s.put("n", 1)));
            int[] n = new int[1];
            browser.request("GET", open -> n[0] = open.session("session").get("n", Integer.class).orElseThrow());
            assertEquals(1, n[0]);
        }
    }

    @Test
    @DisplayName("a store from the provider dates the last use of its users' sessions by the manager's clock")
    void providerGivesTheClock() {
        java.time.Instant then = java.time.Instant.parse("2031-01-01T00:00:00Z");
        Clock fixed = Clock.fixed(then, java.time.ZoneOffset.UTC);
        try (JdbcSessionStore store = (JdbcSessionStore) new JdbcStoreProvider().create(StoreContext.of(
                h2() + "?createTable=true", URI.create("jdbc:/"), fixed, Map.of()))) {
            store.save("id", new byte[] {1}, Duration.ofMinutes(30));
            store.index("alice", "id", then.minusSeconds(60), Duration.ofMinutes(30));
            java.time.Instant lastUsed = store.sessions("alice").get(0).lastUsed();
            assertTrue(!lastUsed.isAfter(then) && lastUsed.isAfter(then.minusSeconds(5)), lastUsed.toString());
        }
    }

    @Test
    @DisplayName("credentials come from cookies.jdbc.user and cookies.jdbc.password; those in the URI win; wrong ones name the setting")
    void credentialsFromSettings() throws SQLException {
        String url = h2();
        // The first connection to an in-memory H2 database creates it with its user and password.
        try (Connection keepAlive = DriverManager.getConnection(url, "app", "s3cret");
             Statement s = keepAlive.createStatement()) {
            s.execute("SELECT 1");
            JdbcStoreProvider provider = new JdbcStoreProvider();
            StoreContext settings = StoreContext.of(URI.create("jdbc:/"), Clock.systemUTC(),
                    Map.of(JdbcStoreProvider.USER_SETTING, "app", JdbcStoreProvider.PASSWORD_SETTING, "s3cret"));
            try (SessionStore store = provider.create(StoreContext.of(url + "?createTable=true", URI.create("jdbc:/"),
                    Clock.systemUTC(), Map.of(JdbcStoreProvider.USER_SETTING, "app",
                            JdbcStoreProvider.PASSWORD_SETTING, "s3cret")))) {
                assertTrue(store.description().startsWith("jdbc:h2:mem:"));
            }
            SessionConfigException wrong = assertThrows(SessionConfigException.class, () -> provider.create(
                    StoreContext.of(url + "?user=app&password=wrong-one", URI.create("jdbc:/"), Clock.systemUTC(),
                            Map.of(JdbcStoreProvider.PASSWORD_SETTING, "s3cret"))));
            assertEquals("credentials", wrong.setting());
            assertFalse(wrong.getMessage().contains("wrong-one"), wrong.getMessage());
            assertTrue(settings.setting(JdbcStoreProvider.USER_SETTING).isPresent());
        }
    }
}
