package dev.cookies.store.jdbc;

import dev.cookies.spi.ServerSideStore;
import dev.cookies.testkit.MutableClock;
import dev.cookies.testkit.PostgresExtension;
import dev.cookies.testkit.SessionStoreContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The store contract on a real PostgreSQL. Each store has its own pool, as two application instances
 * would; expiry follows the database's clock.
 */
class PostgresSessionStoreContractTest extends SessionStoreContract {

    @RegisterExtension
    static final PostgresExtension POSTGRES = PostgresExtension.find();

    @Override
    protected ServerSideStore createStore(MutableClock clock) {
        return JdbcSessionStore.create(POSTGRES.server().uri() + "&createTable=true&table=contract_sessions");
    }

    @Override
    protected boolean clockDrivesExpiry() {
        return false;
    }

    @Override
    protected boolean locksAcrossInstances() {
        return true;
    }
}
