package dev.cookies.store.jdbc;

import java.util.Locale;

/**
 * The databases the JDBC store speaks to. Each has its own SQL, since the one-statement read needs a
 * database that returns the rows an {@code UPDATE} changed, and its own schema file.
 *
 * <p>MySQL and MariaDB are not among them: neither returns the rows of an {@code UPDATE}, so a read that
 * also slides the expiry would take two statements in a transaction, not one.
 *
 * @since 0.1
 */
public enum Database {

    /** PostgreSQL 9.5 or later ({@code INSERT ... ON CONFLICT}, {@code FOR UPDATE SKIP LOCKED}). */
    POSTGRESQL("postgresql", "PostgreSQL"),

    /** H2 2.x, embedded or in memory ({@code MERGE ... USING}, data change delta tables). */
    H2("h2", "H2");

    private final String subprotocol;
    private final String productName;

    Database(String subprotocol, String productName) {
        this.subprotocol = subprotocol;
        this.productName = productName;
    }

    /**
     * Returns the JDBC subprotocol of this database's URLs.
     *
     * @return {@code postgresql} or {@code h2}, as in {@code jdbc:postgresql://...}
     */
    public String subprotocol() {
        return subprotocol;
    }

    /**
     * Returns where this module's jar holds the table's schema: one {@code CREATE TABLE} and one
     * {@code CREATE INDEX}, for the default table name {@code cookies_session}. Read it with
     * {@code JdbcSessionStore.class.getResourceAsStream(...)}, or copy it into your migrations.
     *
     * @return for example {@code /dev/cookies/store/jdbc/postgresql.sql}
     */
    public String schemaResource() {
        return "/dev/cookies/store/jdbc/" + subprotocol + ".sql";
    }

    /** Finds the database of a JDBC URL, or null. */
    static Database ofUrl(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        for (Database d : values()) {
            if (lower.startsWith("jdbc:" + d.subprotocol + ":")) {
                return d;
            }
        }
        return null;
    }

    /** Finds the database from {@link java.sql.DatabaseMetaData#getDatabaseProductName()}, or null. */
    static Database ofProductName(String name) {
        for (Database d : values()) {
            if (d.productName.equalsIgnoreCase(name)) {
                return d;
            }
        }
        return null;
    }
}
