/**
 * The relational session store, on plain JDBC: PostgreSQL and H2, with locks that hold across
 * application instances. Chosen by the URIs {@code jdbc:postgresql://...} and {@code jdbc:h2:...}, or
 * built on the application's own {@link javax.sql.DataSource}. The JDBC driver is the application's.
 */
module dev.cookies.store.jdbc {
    requires transitive dev.cookies;
    requires transitive java.sql;
    requires org.slf4j;

    exports dev.cookies.store.jdbc;

    provides dev.cookies.spi.SessionStoreProvider with dev.cookies.store.jdbc.JdbcStoreProvider;
}
