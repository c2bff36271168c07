/**
 * The relational session store, on plain JDBC: PostgreSQL (9.5 or later) and H2 (2.x, embedded). Reads
 * are one statement, a locked write two, and the lock holds across application instances.
 *
 * <p>Start with {@link dev.cookies.store.jdbc.JdbcSessionStore#builder()}, handing it the application's
 * {@link javax.sql.DataSource}, or configure a URI such as
 * {@code jdbc:postgresql://db.internal/app?table=cookies_session}
 * ({@link dev.cookies.store.jdbc.JdbcStoreProvider} serves the scheme {@code jdbc}). The table is created
 * from the schema files this module ships ({@link dev.cookies.store.jdbc.Database#schemaResource()}).
 *
 * @since 0.1
 */
package dev.cookies.store.jdbc;
