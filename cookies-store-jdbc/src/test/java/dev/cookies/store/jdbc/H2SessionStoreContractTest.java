package dev.cookies.store.jdbc;

import dev.cookies.spi.ServerSideStore;
import dev.cookies.testkit.MutableClock;
import dev.cookies.testkit.SessionStoreContract;
import java.util.UUID;

/**
 * The store contract on an embedded, in-memory H2 database. Each store has its own pool on the same
 * database, as two application instances would share one; expiry follows H2's clock.
 *
 * <p>Each test has a database of its own: the scenarios by user name fixed users (alice, bob), whose
 * sessions would otherwise outlive one test into the next. The stores run with no slide slack, so that
 * every read moves the expiry: the contract tells the least recently used of sessions used 30 ms
 * apart, and by default a read within the slack (a hundredth of the idle timeout, at most a minute)
 * does not show in the last use the store reports (see {@code SessionIndexTest}).
 */
class H2SessionStoreContractTest extends SessionStoreContract {

    private final String url = "jdbc:h2:mem:contract-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";

    @Override
    protected ServerSideStore createStore(MutableClock clock) {
        return JdbcSessionStore.builder().uri(url + "?createTable=true&slideSlack=0ms").clock(clock).build();
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
