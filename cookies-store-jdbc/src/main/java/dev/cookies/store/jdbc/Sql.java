package dev.cookies.store.jdbc;

import java.util.regex.Pattern;

/**
 * The statements of one store: its database's SQL for its table. Every statement is one round trip
 * and touches at most one session's row, except the clean-up, which deletes a bounded batch found
 * through the {@code expires_at} index. Time is the database's ({@code CURRENT_TIMESTAMP}), so that
 * application instances with clocks apart agree on expiry and on leases.
 *
 * <p>A row is a live session when its {@code data} is not null and its {@code expires_at} is in the
 * future. A row with null data only carries a lock (an id that had no session when it was locked).
 */
final class Sql {

    /** The default table name, the one the schema files use. */
    static final String DEFAULT_TABLE = "cookies_session";

    /** A table name: an unquoted identifier, optionally schema-qualified; never quoted, never user SQL. */
    static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}(\\.[A-Za-z_][A-Za-z0-9_]{0,62})?");

    final Database database;
    final String table;
    final String index;

    /** Read and slide when due. Parameters: see {@link JdbcSessionStore}'s load. */
    final String load;
    final String save;
    final String delete;
    final String touch;
    final String acquire;
    final String saveAndRelease;
    /** The compare-and-set: writes only onto the bytes expected, and only while no lease is held. */
    final String replace;
    final String deleteAndRelease;
    final String release;
    final String cleanUp;
    final String probe;

    Sql(Database database, String table) {
        this.database = database;
        this.table = table;
        int dot = table.indexOf('.');
        String bare = dot < 0 ? table : table.substring(dot + 1);
        // PostgreSQL puts an index in its table's schema and refuses a qualified index name; H2 wants it.
        this.index = (database == Database.H2 && dot >= 0 ? table.substring(0, dot + 1) : "") + bare + "_expires_at";
        String now = "CURRENT_TIMESTAMP";
        String live = "data IS NOT NULL AND expires_at > " + now;
        String free = "(lock_until IS NULL OR lock_until <= " + now + ")";
        if (database == Database.POSTGRESQL) {
            // The slide writes only when it moves the expiry by more than the slack: an UPDATE that
            // matched no row writes nothing, and the SELECT then reads the row as it is.
            load = "WITH slid AS (UPDATE " + table + " SET expires_at = " + plus("?")
                    + " WHERE id = ? AND " + live + " AND expires_at < " + plus("?") + " RETURNING data)"
                    + " SELECT data FROM slid UNION ALL SELECT data FROM " + table
                    + " WHERE id = ? AND " + live + " AND NOT EXISTS (SELECT 1 FROM slid)";
            save = "INSERT INTO " + table + " (id, data, expires_at) VALUES (?, ?, " + plus("?") + ")"
                    + " ON CONFLICT (id) DO UPDATE SET data = EXCLUDED.data, expires_at = EXCLUDED.expires_at";
            acquire = "INSERT INTO " + table + " AS s (id, data, expires_at, lock_token, lock_until)"
                    + " VALUES (?, NULL, " + now + ", ?, " + plus("?") + ")"
                    + " ON CONFLICT (id) DO UPDATE SET"
                    + " expires_at = CASE WHEN s.data IS NOT NULL AND s.expires_at > " + now
                    + " AND s.expires_at < " + plus("?") + " THEN " + plus("?") + " ELSE s.expires_at END,"
                    + " data = CASE WHEN s.expires_at > " + now + " THEN s.data END,"
                    + " lock_token = EXCLUDED.lock_token, lock_until = EXCLUDED.lock_until"
                    + " WHERE s.lock_until IS NULL OR s.lock_until <= " + now + " OR s.lock_token = EXCLUDED.lock_token"
                    + " RETURNING s.data";
            // The inner SELECT walks the expires_at index and stops at the batch size; FOR UPDATE SKIP
            // LOCKED passes over rows a request is writing, and re-checks the others before they go.
            cleanUp = "DELETE FROM " + table + " WHERE id = ANY(ARRAY(SELECT id FROM " + table
                    + " WHERE expires_at <= " + now + " AND " + free
                    + " ORDER BY expires_at LIMIT ? FOR UPDATE SKIP LOCKED))";
        } else {
            load = "SELECT data FROM FINAL TABLE (UPDATE " + table + " SET expires_at = CASE WHEN expires_at < "
                    + plus("?") + " THEN " + plus("?") + " ELSE expires_at END WHERE id = ? AND " + live + ")";
            save = "MERGE INTO " + table + " s USING (VALUES (CAST(? AS VARCHAR(128)), CAST(? AS VARBINARY),"
                    + " CAST(? AS BIGINT))) AS k(id, data, ttl) ON s.id = k.id"
                    + " WHEN MATCHED THEN UPDATE SET data = k.data, expires_at = DATEADD(MILLISECOND, k.ttl, " + now + ")"
                    + " WHEN NOT MATCHED THEN INSERT (id, data, expires_at)"
                    + " VALUES (k.id, k.data, DATEADD(MILLISECOND, k.ttl, " + now + "))";
            acquire = "SELECT data FROM FINAL TABLE (MERGE INTO " + table + " s USING (VALUES (CAST(? AS VARCHAR(128)),"
                    + " CAST(? AS VARCHAR(64)), CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT)))"
                    + " AS k(id, token, lease, due, ttl) ON s.id = k.id"
                    + " WHEN MATCHED AND (s.lock_until IS NULL OR s.lock_until <= " + now + " OR s.lock_token = k.token)"
                    + " THEN UPDATE SET"
                    + " expires_at = CASE WHEN s.data IS NOT NULL AND s.expires_at > " + now
                    + " AND s.expires_at < DATEADD(MILLISECOND, k.due, " + now + ")"
                    + " THEN DATEADD(MILLISECOND, k.ttl, " + now + ") ELSE s.expires_at END,"
                    + " data = CASE WHEN s.expires_at > " + now + " THEN s.data END,"
                    + " lock_token = k.token, lock_until = DATEADD(MILLISECOND, k.lease, " + now + ")"
                    + " WHEN NOT MATCHED THEN INSERT (id, data, expires_at, lock_token, lock_until)"
                    + " VALUES (k.id, NULL, " + now + ", k.token, DATEADD(MILLISECOND, k.lease, " + now + ")))";
            cleanUp = "DELETE FROM " + table + " WHERE expires_at <= " + now + " AND " + free
                    + " FETCH FIRST ? ROWS ONLY";
        }
        delete = "DELETE FROM " + table + " WHERE id = ?";
        touch = "UPDATE " + table + " SET expires_at = " + plus("?") + " WHERE id = ? AND " + live;
        saveAndRelease = "UPDATE " + table + " SET data = ?, expires_at = " + plus("?")
                + ", lock_token = NULL, lock_until = NULL WHERE id = ? AND lock_token = ? AND lock_until > " + now;
        replace = "UPDATE " + table + " SET data = ?, expires_at = " + plus("?")
                + " WHERE id = ? AND data = ? AND expires_at > " + now + " AND " + free;
        deleteAndRelease = "DELETE FROM " + table + " WHERE id = ? AND lock_token = ? AND lock_until > " + now;
        release = "UPDATE " + table + " SET lock_token = NULL, lock_until = NULL WHERE id = ? AND lock_token = ?";
        probe = "SELECT id, data, expires_at, lock_token, lock_until FROM " + table + " WHERE 1 = 0";
    }

    /** {@code CURRENT_TIMESTAMP} plus a parameter's milliseconds. */
    private String plus(String millis) {
        return database == Database.POSTGRESQL
                ? "CURRENT_TIMESTAMP + " + millis + " * INTERVAL '1 millisecond'"
                : "DATEADD(MILLISECOND, " + millis + ", CURRENT_TIMESTAMP)";
    }

    /**
     * Returns the schema file's statements for this table: the file's {@code cookies_session} and
     * {@code cookies_session_expires_at} renamed to this store's table and index.
     */
    String[] schema(String file) {
        StringBuilder sql = new StringBuilder();
        for (String line : file.split("\n")) {
            if (!line.trim().startsWith("--")) {
                sql.append(line).append('\n');
            }
        }
        String named = sql.toString()
                .replace(DEFAULT_TABLE + "_expires_at", "\u0000index\u0000")
                .replace(DEFAULT_TABLE, table)
                .replace("\u0000index\u0000", index);
        return java.util.Arrays.stream(named.split(";")).map(String::trim).filter(s -> !s.isEmpty())
                .toArray(String[]::new);
    }

    /** Whether a SQL state says the table (or one of its columns) is not there. */
    static boolean missingTable(String sqlState) {
        return sqlState != null && (sqlState.equals("42P01") || sqlState.equals("42703")    // PostgreSQL
                || sqlState.equals("42S02") || sqlState.equals("42S04") || sqlState.equals("42S22")); // H2
    }

    /**
     * Whether a failure is a conflict between concurrent writers of one row that the same statement
     * may simply be tried again after: a unique violation (two first inserts of one id, which H2's
     * MERGE can run into), H2's concurrent update and lock timeout, a serialization failure or deadlock.
     */
    static boolean conflict(String sqlState) {
        return sqlState != null && (sqlState.equals("23505") || sqlState.equals("90131") || sqlState.equals("HYT00")
                || sqlState.equals("40001") || sqlState.equals("40P01"));
    }

    /**
     * Whether the server reported that it ended the connection itself (administrator or crash shutdown,
     * or not accepting connections yet): it ran nothing more that was sent on it.
     */
    static boolean serverEnded(String sqlState) {
        return sqlState != null && (sqlState.equals("57P01") || sqlState.equals("57P02") || sqlState.equals("57P03"));
    }

    /** Whether a failure means the connection itself is broken (SQL state class 08) or closed. */
    static boolean connectionFailure(String sqlState) {
        return sqlState != null && (sqlState.startsWith("08") || sqlState.equals("57P01") || sqlState.equals("57P02")
                || sqlState.equals("57P03"));
    }
}
