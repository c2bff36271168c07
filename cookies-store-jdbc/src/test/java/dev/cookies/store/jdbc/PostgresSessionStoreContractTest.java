package dev.cookies.store.jdbc;

import dev.cookies.spi.ServerSideStore;
import dev.cookies.testkit.MutableClock;
import dev.cookies.testkit.PostgresExtension;
import dev.cookies.testkit.SessionStoreContract;
import java.util.UUID;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The store contract on a real PostgreSQL. Each store has its own pool, as two application instances
 * would; expiry follows the database's clock.
 *
 * <p>Each test has a table of its own, and the stores run with no slide slack; see
 * {@link H2SessionStoreContractTest} for why.
 */
class PostgresSessionStoreContractTest extends SessionStoreContract {

    @RegisterExtension
    static final PostgresExtension POSTGRES = PostgresExtension.find();

    private final String table = "contract_" + UUID.randomUUID().toString().replace("-", "");

    @Override
    protected ServerSideStore createStore(MutableClock clock) {
        return JdbcSessionStore.builder().uri(POSTGRES.server().uri() + "&createTable=true&slideSlack=0ms&table=" + table)
                .clock(clock).build();
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
