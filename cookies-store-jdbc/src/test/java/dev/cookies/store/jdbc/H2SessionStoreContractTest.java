package dev.cookies.store.jdbc;

import dev.cookies.spi.ServerSideStore;
import dev.cookies.testkit.MutableClock;
import dev.cookies.testkit.SessionStoreContract;
import java.util.UUID;

/**
 * The store contract on an embedded, in-memory H2 database. Each store has its own pool on the same
 * database, as two application instances would share one; expiry follows H2's clock.
 */
class H2SessionStoreContractTest extends SessionStoreContract {

    private static final String URL = "jdbc:h2:mem:contract-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";

    @Override
    protected ServerSideStore createStore(MutableClock clock) {
        return JdbcSessionStore.create(URL + "?createTable=true");
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
