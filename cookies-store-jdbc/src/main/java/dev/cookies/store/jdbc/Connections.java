package dev.cookies.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Where the store's statements get a connection: the application's {@link DataSource}, or the store's
 * own {@link ConnectionPool}. Each statement borrows one connection and gives it back at once; no
 * connection is held between a lock's acquire and its final write.
 */
interface Connections {

    /**
     * Borrows a connection, in auto-commit mode.
     *
     * @return a connection, to give back with {@link #giveBack}
     * @throws SQLException if none could be had within the bounds of the source
     */
    Connection borrow() throws SQLException;

    /**
     * Gives a connection back.
     *
     * @param connection what {@link #borrow()} returned
     * @param broken whether a statement on it failed because the connection itself failed
     */
    void giveBack(Connection connection, boolean broken);

    /** Closes what the store owns; an application's data source is left open. */
    void close();

    /**
     * Connections from the application's data source, returned to it by {@link Connection#close()}.
     *
     * @param networkTimeoutMillis set on each connection borrowed (a pool restores its own on return)
     */
    static Connections of(DataSource dataSource, int networkTimeoutMillis) {
        return new Connections() {
            @Override
            public Connection borrow() throws SQLException {
                Connection c = dataSource.getConnection();
                try {
                    // A pool configured without auto-commit would leave our writes uncommitted. In the
                    // idle state, switching costs no round trip; the pool restores its default on return.
                    if (!c.getAutoCommit()) {
                        c.setAutoCommit(true);
                    }
                    c.setNetworkTimeout(Runnable::run, networkTimeoutMillis);
                } catch (SQLException | RuntimeException e) {
                    closeQuietly(c);
                    throw e;
                }
                return c;
            }

            @Override
            public void giveBack(Connection connection, boolean broken) {
                // The application's pool decides what a broken connection means (HikariCP evicts it).
                closeQuietly(connection);
            }

            @Override
            public void close() {
            }
        };
    }

    static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException | RuntimeException ignored) {
            // closing a broken connection may fail; it is gone either way
        }
    }
}
