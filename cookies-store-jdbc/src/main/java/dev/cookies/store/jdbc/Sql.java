package dev.cookies.store.jdbc;

import java.util.regex.Pattern;

/**
 * The statements of one store: its database's SQL for its table. Every statement is one round trip
 * and touches at most one session's row, except the clean-up, which deletes a bounded batch found
 * through the {@code expires_at} index, and the listing of a user's sessions, which reads that user's
 * rows through the {@code principal_hash} index. Time is the database's ({@code CURRENT_TIMESTAMP}), so
 * that application instances with clocks apart agree on expiry and on leases.
 *
 * <p>A row is a live session when its {@code data} is not null and its {@code expires_at} is in the
 * future. A row with null data only carries a lock (an id that had no session when it was locked).
 */
final class Sql {

    /** The default table name, the one the schema files use. */
    static final String DEFAULT_TABLE = "cookies_session";

    /** A table name: an unquoted identifier, optionally schema-qualified; never quoted, never user SQL. */
    static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}(\\.[A-Za-z_][A-Za-z0-9_]{0,62})?");

    /** The columns of the index of sessions by user, which tables created before it lack. */
    static final java.util.List<String> INDEX_COLUMNS = java.util.List.of("principal_hash", "created_at", "ttl_ms");

    final Database database;
    final String table;
    /** The name of the index on {@code expires_at}, which the clean-up walks. */
    final String expiresIndex;
    /** The name of the index on {@code principal_hash}, which listing a user's sessions walks. */
    final String principalIndex;

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
    /** Records a live session's user. Parameters: principal hash, created, ttl ms, id. */
    final String index;
    /** Forgets a session's user, only if it is still that user. Parameters: id, principal hash. */
    final String unindex;
    /**
     * A user's live sessions, oldest first: id, created_at, ttl_ms, and the milliseconds left before
     * expires_at by the database's clock. Parameter: principal hash.
     */
    final String sessions;
    final String probe;
    /** Reads the columns of the index of sessions by user, which older tables lack. */
    final String probeIndex;

    Sql(Database database, String table) {
        this.database = database;
        this.table = table;
        int dot = table.indexOf('.');
        String bare = dot < 0 ? table : table.substring(dot + 1);
        // PostgreSQL puts an index in its table's schema and refuses a qualified index name; H2 wants it.
        String indexPrefix = (database == Database.H2 && dot >= 0 ? table.substring(0, dot + 1) : "") + bare;
        this.expiresIndex = indexPrefix + "_expires_at";
        this.principalIndex = indexPrefix + "_principal";
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
            sessions = "SELECT id, created_at, ttl_ms, CAST(FLOOR(EXTRACT(EPOCH FROM (expires_at - " + now
                    + ")) * 1000) AS BIGINT) FROM " + table + " WHERE principal_hash = ? AND " + live
                    + " ORDER BY created_at, id";
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
            sessions = "SELECT id, created_at, ttl_ms, DATEDIFF(MILLISECOND, " + now + ", expires_at) FROM " + table
                    + " WHERE principal_hash = ? AND " + live + " ORDER BY created_at, id";
        }
        delete = "DELETE FROM " + table + " WHERE id = ?";
        touch = "UPDATE " + table + " SET expires_at = " + plus("?") + " WHERE id = ? AND " + live;
        saveAndRelease = "UPDATE " + table + " SET data = ?, expires_at = " + plus("?")
                + ", lock_token = NULL, lock_until = NULL WHERE id = ? AND lock_token = ? AND lock_until > " + now;
        replace = "UPDATE " + table + " SET data = ?, expires_at = " + plus("?")
                + " WHERE id = ? AND data = ? AND expires_at > " + now + " AND " + free;
        deleteAndRelease = "DELETE FROM " + table + " WHERE id = ? AND lock_token = ? AND lock_until > " + now;
        release = "UPDATE " + table + " SET lock_token = NULL, lock_until = NULL WHERE id = ? AND lock_token = ?";
        index = "UPDATE " + table + " SET principal_hash = ?, created_at = ?, ttl_ms = ? WHERE id = ? AND data IS NOT NULL";
        unindex = "UPDATE " + table + " SET principal_hash = NULL, created_at = NULL, ttl_ms = NULL"
                + " WHERE id = ? AND principal_hash = ?";
        probe = "SELECT id, data, expires_at, lock_token, lock_until FROM " + table + " WHERE 1 = 0";
        probeIndex = "SELECT " + String.join(", ", INDEX_COLUMNS) + " FROM " + table + " WHERE 1 = 0";
    }

    /** Creates the {@code principal_hash} index, as the schema file does (partial on PostgreSQL). */
    String createPrincipalIndex() {
        return "CREATE INDEX " + principalIndex + " ON " + table + " (principal_hash)"
                + (database == Database.POSTGRESQL ? " WHERE principal_hash IS NOT NULL" : "");
    }

    /**
     * Returns the statements that bring a table created before the index of sessions by user up to
     * date: one {@code ALTER TABLE ... ADD COLUMN} per missing column, then the index.
     */
    java.util.List<String> upgrade(java.util.List<String> missing) {
        java.util.List<String> statements = new java.util.ArrayList<>();
        for (String column : missing) {
            String type = switch (column) {
                case "principal_hash" -> database == Database.POSTGRESQL ? "BYTEA" : "VARBINARY(32)";
                case "created_at" -> "TIMESTAMP WITH TIME ZONE";
                case "ttl_ms" -> "BIGINT";
                default -> throw new IllegalArgumentException(column);
            };
            statements.add("ALTER TABLE " + table + " ADD COLUMN " + column + " " + type);
        }
        statements.add(createPrincipalIndex());
        return statements;
    }

    /** {@code CURRENT_TIMESTAMP} plus a parameter's milliseconds. */
    private String plus(String millis) {
        return database == Database.POSTGRESQL
                ? "CURRENT_TIMESTAMP + " + millis + " * INTERVAL '1 millisecond'"
                : "DATEADD(MILLISECOND, " + millis + ", CURRENT_TIMESTAMP)";
    }

    /**
     * Returns the schema file's statements for this table: the file's {@code cookies_session},
     * {@code cookies_session_expires_at} and {@code cookies_session_principal} renamed to this store's
     * table and indexes.
     */
    String[] schema(String file) {
        StringBuilder sql = new StringBuilder();
        for (String line : file.split("\n")) {
            if (!line.trim().startsWith("--")) {
                sql.append(line).append('\n');
            }
        }
        String named = sql.toString()
                .replace(DEFAULT_TABLE + "_expires_at", "\u0000expires\u0000")
                .replace(DEFAULT_TABLE + "_principal", "\u0000principal\u0000")
                .replace(DEFAULT_TABLE, table)
                .replace("\u0000expires\u0000", expiresIndex)
                .replace("\u0000principal\u0000", principalIndex);
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
