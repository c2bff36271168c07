package dev.cookies.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cookies.SessionConfigException;
import dev.cookies.spi.SessionIndex;
import dev.cookies.spi.StoreLock;
import dev.cookies.testkit.PostgresExtension;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The index of sessions by user on the session's own row, on PostgreSQL and H2, through the store's SPI:
 * what the columns hold, what forgets an entry, how expiry drops one out, how precise the reported last
 * use is, the plan of a listing, and what a table created before the index is told at build.
 */
class SessionIndexTest {

    @RegisterExtension
    static final PostgresExtension POSTGRES = PostgresExtension.find();

    private static final Duration IDLE = Duration.ofMinutes(30);
    private static final String H2_URL = "jdbc:h2:mem:index-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";

    /** A table of each test's own. */
    private final String table = "index_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    private static String uri(Database db) {
        return db == Database.POSTGRESQL ? POSTGRES.server().uri() + "&" : H2_URL + "?";
    }

    private JdbcSessionStore store(Database db, String more) {
        return JdbcSessionStore.create(uri(db) + "createTable=true&cleanup=false&table=" + table + more);
    }

    private static Connection connect(Database db) throws SQLException {
        return db == Database.POSTGRESQL
                ? DriverManager.getConnection(POSTGRES.server().url(), POSTGRES.server().user(), POSTGRES.server().password())
                : DriverManager.getConnection(H2_URL);
    }

    private static void execute(Database db, String sql) {
        try (Connection c = connect(db); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new AssertionError(sql, e);
        }
    }

    /** Moves a row's expiry this far back: as if that much time had passed since its last slide. */
    private void age(Database db, String id, Duration by) {
        String older = db == Database.POSTGRESQL ? "expires_at - " + by.toMillis() + " * INTERVAL '1 millisecond'"
                : "DATEADD(MILLISECOND, -" + by.toMillis() + ", expires_at)";
        execute(db, "UPDATE " + table + " SET expires_at = " + older + " WHERE id = '" + id + "'");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String newId() {
        return "index-" + UUID.randomUUID();
    }

    /** Saves a session and indexes it for a user, created now, as the core does at a login. */
    private static String login(JdbcSessionStore store, String principal) {
        return login(store, principal, Instant.now());
    }

    private static String login(JdbcSessionStore store, String principal, Instant created) {
        String id = newId();
        store.save(id, bytes("session of " + principal), IDLE);
        store.index(principal, id, created, IDLE);
        return id;
    }

    private static List<String> ids(List<SessionIndex.Entry> entries) {
        return entries.stream().map(SessionIndex.Entry::id).collect(Collectors.toList());
    }

    private static long millisAgo(Instant t) {
        return Duration.between(t, Instant.now()).toMillis();
    }

    @ParameterizedTest
    @EnumSource(Database.class)
    @DisplayName("the row holds SHA-256 of the principal, never the name; any string is a principal")
    void hashedPrincipal(Database db) throws Exception {
        try (JdbcSessionStore store = store(db, "")) {
            String longName = "ü".repeat(10_000);
            String alice = login(store, "alice@example.com");
            String other = login(store, longName);
            assertEquals(List.of(alice), ids(store.sessions("alice@example.com")));
            assertEquals(List.of(other), ids(store.sessions(longName)));
            assertEquals(List.of(), store.sessions("Alice@example.com"));
            try (Connection c = connect(db);
                 PreparedStatement ps = c.prepareStatement("SELECT principal_hash FROM " + table + " WHERE id = ?")) {
                ps.setString(1, alice);
                try (ResultSet rs = ps.executeQuery()) {
                    assertTrue(rs.next());
                    byte[] hash = rs.getBytes(1);
                    assertArrayEquals(java.security.MessageDigest.getInstance("SHA-256")
                            .digest(bytes("alice@example.com")), hash);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Database.class)
    @DisplayName("unindex forgets only the pair it names; deleting the row forgets its entry; an id with no session is not indexed")
    void forgetting(Database db) {
        try (JdbcSessionStore store = store(db, "")) {
            String first = login(store, "alice");
            String second = login(store, "alice");
            store.unindex("bob", first);
            store.unindex("alice", newId());
            assertEquals(2, store.sessions("alice").size(), "unindex of another pair forgot a session");
            store.unindex("alice", first);
            assertEquals(List.of(second), ids(store.sessions("alice")));
            store.delete(second);
            assertEquals(List.of(), store.sessions("alice"));

            String locked = newId();
            try (StoreLock lock = store.lock(locked, IDLE, Duration.ZERO)) {
                store.index("alice", locked, Instant.now(), IDLE);
                lock.save(bytes("written after the index was asked"), IDLE);
            }
            assertEquals(List.of(), store.sessions("alice"), "a row that held no session was indexed");
        }
    }

    @ParameterizedTest
    @EnumSource(Database.class)
    @DisplayName("a locked write, a replace and a touch keep the entry; a rotation's new id is indexed anew; oldest first")
    void writesKeepTheEntry(Database db) {
        try (JdbcSessionStore store = store(db, "")) {
            String id = newId();
            store.save(id, bytes("v1"), IDLE);
            store.index("alice", id, Instant.now().minusSeconds(60), IDLE);
            try (StoreLock lock = store.lock(id, IDLE, Duration.ZERO)) {
                lock.save(bytes("v2"), IDLE);
            }
            assertTrue(store.replace(id, bytes("v2"), bytes("v3"), IDLE));
            store.touch(id, IDLE);
            store.save(id, bytes("v4"), IDLE);
            String newer = login(store, "alice");
            assertEquals(List.of(id, newer), ids(store.sessions("alice")), "oldest first");
        }
    }

    @ParameterizedTest
    @EnumSource(Database.class)
    @DisplayName("an expired session drops out of the list at once, before the clean-up deletes its row and its entry")
    void expiredDropOut(Database db) {
        try (JdbcSessionStore store = store(db, "")) {
            String stays = login(store, "alice");
            String leaves = login(store, "alice");
            age(db, leaves, IDLE.plusSeconds(1));
            assertEquals(List.of(stays), ids(store.sessions("alice")));
            assertEquals(1, store.deleteExpired());
            assertEquals(List.of(stays), ids(store.sessions("alice")));
        }
    }

    @ParameterizedTest
    @EnumSource(Database.class)
    @DisplayName("last use: a read within the slide slack does not show, one past it does; no slack shows every read")
    void lastUseWithinTheSlack(Database db) {
        // Created an hour ago, so that moving the expiry back stands for time passed since the last use,
        // and the last use is not held at the creation.
        Instant created = Instant.now().minus(Duration.ofHours(1));
        try (JdbcSessionStore store = store(db, "")) {
            String id = login(store, "alice", created);
            assertTrue(millisAgo(store.sessions("alice").get(0).lastUsed()) < 2_000);

            // Ten seconds since the last slide: a read now would move the expiry by less than the slack
            // (a hundredth of 30 minutes, 18 s), so it writes nothing, and the last use stays ten seconds ago.
            age(db, id, Duration.ofSeconds(10));
            assertTrue(store.load(id, IDLE).isPresent());
            long ago = millisAgo(store.sessions("alice").get(0).lastUsed());
            assertTrue(ago > 8_000 && ago < 12_000, "last used " + ago + " ms ago");

            // A minute: the read slides, and the last use is now.
            age(db, id, Duration.ofSeconds(50));
            assertTrue(store.load(id, IDLE).isPresent());
            assertTrue(millisAgo(store.sessions("alice").get(0).lastUsed()) < 2_000);
        }
        try (JdbcSessionStore exact = store(db, "&slideSlack=0ms")) {
            String id = login(exact, "bob", created);
            age(db, id, Duration.ofSeconds(5));
            assertTrue(millisAgo(exact.sessions("bob").get(0).lastUsed()) > 4_000);
            assertTrue(exact.load(id, IDLE).isPresent());
            assertTrue(millisAgo(exact.sessions("bob").get(0).lastUsed()) < 2_000, "the read did not show");
        }
    }

    @ParameterizedTest
    @EnumSource(Database.class)
    @DisplayName("last use is never before the session's creation nor after now, whatever the expiry says")
    void lastUseBounds(Database db) {
        try (JdbcSessionStore store = store(db, "")) {
            Instant created = Instant.now().minusSeconds(10).truncatedTo(ChronoUnit.SECONDS);
            String shorter = newId();
            store.save(shorter, bytes("v"), IDLE);
            // Indexed with two hours, its expiry half an hour away: 90 minutes before now, before its creation.
            store.index("alice", shorter, created, Duration.ofHours(2));
            String longer = newId();
            store.save(longer, bytes("v"), IDLE);
            // Indexed with a minute, its expiry half an hour away: 29 minutes after now.
            store.index("bob", longer, created, Duration.ofMinutes(1));
            SessionIndex.Entry a = store.sessions("alice").get(0);
            assertEquals(created, a.created());
            assertEquals(created, a.lastUsed());
            SessionIndex.Entry b = store.sessions("bob").get(0);
            assertFalse(b.lastUsed().isAfter(Instant.now()), b.toString());
            assertTrue(millisAgo(b.lastUsed()) < 2_000, b.toString());
        }
    }

    @Test
    @DisplayName("PostgreSQL: a listing walks the partial principal_hash index, with no sequential scan")
    void listingWalksTheIndex() throws SQLException {
        try (JdbcSessionStore store = store(Database.POSTGRESQL, "")) {
            execute(Database.POSTGRESQL, "INSERT INTO " + table + " (id, data, expires_at, principal_hash, created_at, ttl_ms)"
                    + " SELECT 'row-' || g, '\\x00'::bytea, now() + interval '10 minutes',"
                    + " CASE WHEN g % 2 = 0 THEN sha256(('user-' || (g % 5000))::bytea) END, now(), 1800000"
                    + " FROM generate_series(1, 20000) g");
            execute(Database.POSTGRESQL, "ANALYZE " + table);
            List<String> plan = new ArrayList<>();
            try (Connection c = connect(Database.POSTGRESQL);
                 PreparedStatement ps = c.prepareStatement("EXPLAIN " + store.sql().sessions)) {
                ps.setBytes(1, JdbcSessionStore.principalHash("user-42"));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        plan.add(rs.getString(1));
                    }
                }
            }
            String text = String.join("\n", plan);
            assertTrue(text.contains("Index Scan") && text.contains(table + "_principal"), text);
            assertFalse(text.contains("Seq Scan"), text);
            assertEquals(4, store.sessions("user-42").size());
            int[] partial = new int[1];
            try (Connection c = connect(Database.POSTGRESQL); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT indexdef FROM pg_indexes WHERE indexname = '" + table + "_principal'")) {
                assertTrue(rs.next(), "no principal index");
                partial[0] = rs.getString(1).contains("WHERE (principal_hash IS NOT NULL)") ? 1 : 0;
            }
            assertEquals(1, partial[0], "the principal index is not partial");
        }
    }

    @ParameterizedTest
    @EnumSource(Database.class)
    @DisplayName("a table created before the index fails the build naming the missing columns, with ALTER TABLE statements that work")
    void tableFromBefore(Database db) {
        execute(db, "CREATE TABLE " + table + " (id VARCHAR(128) NOT NULL PRIMARY KEY, data "
                + (db == Database.POSTGRESQL ? "BYTEA" : "VARBINARY") + ", expires_at TIMESTAMP WITH TIME ZONE NOT NULL,"
                + " lock_token VARCHAR(64), lock_until TIMESTAMP WITH TIME ZONE)");
        execute(db, "INSERT INTO " + table + " (id, data, expires_at) VALUES ('old', "
                + (db == Database.POSTGRESQL ? "'\\x01'::bytea" : "X'01'") + ", CURRENT_TIMESTAMP + INTERVAL '1' HOUR)");
        for (String more : List.of("", "&createTable=true")) {
            SessionConfigException e = assertThrows(SessionConfigException.class,
                    () -> JdbcSessionStore.create(uri(db) + "table=" + table + more));
            assertEquals("table", e.setting(), e.getMessage());
            String m = e.getMessage();
            assertTrue(m.contains("principal_hash, created_at, ttl_ms"), m);
            assertTrue(m.contains("ALTER TABLE " + table + " ADD COLUMN principal_hash"), m);
            assertTrue(m.contains("CREATE INDEX " + table + "_principal"), m);
            assertTrue(m.contains("docs/jdbc-store.md"), m);
        }
        // One column added by hand: the message names the two still missing.
        execute(db, "ALTER TABLE " + table + " ADD COLUMN ttl_ms BIGINT");
        String m = assertThrows(SessionConfigException.class,
                () -> JdbcSessionStore.create(uri(db) + "table=" + table)).getMessage();
        assertTrue(m.contains("columns principal_hash, created_at that"), m);
        // The statements the message gives bring the table up to date, and its sessions are served.
        String statements = m.substring(m.indexOf("add them and the index: ") + "add them and the index: ".length(),
                m.indexOf(" (docs/jdbc-store.md"));
        for (String statement : statements.split("; ")) {
            execute(db, statement);
        }
        try (JdbcSessionStore store = JdbcSessionStore.create(uri(db) + "cleanup=false&table=" + table)) {
            assertArrayEquals(new byte[] {1}, store.load("old", IDLE).orElseThrow());
            store.index("alice", "old", Instant.now(), IDLE);
            assertEquals(List.of("old"), ids(store.sessions("alice")));
        }
    }
}
