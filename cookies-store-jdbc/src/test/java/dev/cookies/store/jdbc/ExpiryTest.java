package dev.cookies.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.cookies.spi.StoreLock;
import dev.cookies.testkit.Await;
import dev.cookies.testkit.PostgresExtension;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Expiry by the database's clock, and the clean-up of expired rows: never served, deleted in bounded
 * batches through the {@code expires_at} index, on a schedule that stops with the store. The rows are
 * inspected with plain SQL, which neither reads through the store nor slides anything.
 */
class ExpiryTest {

    @RegisterExtension
    static final PostgresExtension POSTGRES = PostgresExtension.find();

    private static final Duration LONG = Duration.ofMinutes(10);

    private static Connection sql() throws SQLException {
        return DriverManager.getConnection(POSTGRES.server().uri());
    }

    private static long count(String query) {
        try (Connection c = sql(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    private static void execute(String statement) {
        try (Connection c = sql(); Statement s = c.createStatement()) {
            s.execute(statement);
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static JdbcSessionStore store(String table, String more) {
        return JdbcSessionStore.create(POSTGRES.server().uri() + "&createTable=true&table=" + table + more);
    }

    @Test
    @DisplayName("an expired row is never served, though the clean-up has not deleted it yet: not by load, lock or touch")
    void expiredRowsAreNeverServed() {
        try (JdbcSessionStore store = store("expiry_served", "&cleanup=false")) {
            String id = "expiry-" + UUID.randomUUID();
            store.save(id, bytes("v"), Duration.ofMillis(500));
            Await.until(Duration.ofSeconds(10), "the row to expire by the database's clock", () ->
                    count("SELECT count(*) FROM expiry_served WHERE id = '" + id + "' AND expires_at <= now()") == 1);

            assertTrue(store.load(id, LONG).isEmpty(), "load served an expired row");
            store.touch(id, LONG);
            assertTrue(store.load(id, LONG).isEmpty(), "touch brought an expired row back");
            try (StoreLock lock = store.lock(id, LONG, Duration.ZERO)) {
                assertTrue(lock.data().isEmpty(), "lock served an expired row");
            }
            assertTrue(store.load(id, LONG).isEmpty());
            assertEquals(1, count("SELECT count(*) FROM expiry_served WHERE id = '" + id + "'"),
                    "the row should still be there, waiting for the clean-up");

            assertEquals(1, store.deleteExpired());
            assertEquals(0, count("SELECT count(*) FROM expiry_served WHERE id = '" + id + "'"));
        }
    }

    @Test
    @DisplayName("the clean-up deletes at most cleanupBatch rows per statement and 10 statements per pass, and leaves live and locked rows")
    void cleanupRunsInBoundedPasses() {
        execute("DROP TABLE IF EXISTS expiry_batches");
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(POSTGRES.server().url());
        config.setUsername(POSTGRES.server().user());
        config.setPassword(POSTGRES.server().password());
        config.setMaximumPoolSize(2);
        try (HikariDataSource hikari = new HikariDataSource(config)) {
            bounded(new CountingDataSource(hikari));
        }
    }

    private static void bounded(CountingDataSource counting) {
        try (JdbcSessionStore store = JdbcSessionStore.builder().dataSource(counting).table("expiry_batches")
                .createTable(true).cleanup(false).cleanupBatch(100).build()) {
            execute("INSERT INTO expiry_batches (id, data, expires_at) SELECT 'old-' || g, '\\x00'::bytea,"
                    + " now() - interval '5 minutes' FROM generate_series(1, 2500) g");
            execute("INSERT INTO expiry_batches (id, data, expires_at) SELECT 'live-' || g, '\\x00'::bytea,"
                    + " now() + interval '5 minutes' FROM generate_series(1, 10) g");
            execute("INSERT INTO expiry_batches (id, data, expires_at, lock_token, lock_until) VALUES"
                    + " ('locked', NULL, now() - interval '5 minutes', 'someone', now() + interval '5 minutes')");
            counting.drain();

            assertEquals(1000, store.deleteExpired());
            assertEquals(10, counting.drain().size(), "statements in a full pass");
            assertEquals(1000, store.deleteExpired());
            assertEquals(10, counting.drain().size());
            assertEquals(500, store.deleteExpired());
            assertEquals(6, counting.drain().size(), "five full batches, then one that found nothing");
            assertEquals(0, store.deleteExpired());
            assertEquals(1, counting.drain().size());

            assertEquals(10, count("SELECT count(*) FROM expiry_batches WHERE id LIKE 'live-%'"));
            assertEquals(1, count("SELECT count(*) FROM expiry_batches WHERE id = 'locked'"),
                    "the clean-up deleted a row whose lock is held");
        }
    }

    @Test
    @DisplayName("the clean-up's DELETE walks the expires_at index and stops at the batch: no sequential scan")
    void cleanupWalksTheIndex() throws Exception {
        try (JdbcSessionStore store = store("expiry_plan", "&cleanup=false")) {
            execute("INSERT INTO expiry_plan (id, data, expires_at) SELECT 'row-' || g, '\\x00'::bytea,"
                    + " now() + (g % 100 - 5) * interval '1 minute' FROM generate_series(1, 20000) g");
            execute("ANALYZE expiry_plan");
            List<String> plan;
            try (Connection c = sql(); PreparedStatement ps = c.prepareStatement("EXPLAIN " + store.sql().cleanUp)) {
                ps.setInt(1, 500);
                try (ResultSet rs = ps.executeQuery()) {
                    plan = new java.util.ArrayList<>();
                    while (rs.next()) {
                        plan.add(rs.getString(1));
                    }
                }
            }
            String text = plan.stream().collect(Collectors.joining("\n"));
            assertTrue(text.contains("Index Scan using expiry_plan_expires_at"), text);
            assertTrue(text.contains("Limit"), text);
            assertFalse(text.contains("Seq Scan"), text);
        }
    }

    @Test
    @DisplayName("the scheduled clean-up deletes expired rows by itself, and its thread stops when the store is closed")
    void scheduledCleanupStopsOnClose() {
        JdbcSessionStore store = store("expiry_schedule", "&cleanupInterval=200ms");
        try {
            execute("INSERT INTO expiry_schedule (id, data, expires_at) SELECT 'old-' || g, '\\x00'::bytea,"
                    + " now() - interval '1 minute' FROM generate_series(1, 50) g");
            assertTrue(store.cleanupRunning());
            Await.until(Duration.ofSeconds(20), "the scheduled clean-up to delete the expired rows", () ->
                    count("SELECT count(*) FROM expiry_schedule WHERE id LIKE 'old-%'") == 0);
        } finally {
            store.close();
        }
        assertFalse(store.cleanupRunning(), "the clean-up thread outlived the store");
    }
}
