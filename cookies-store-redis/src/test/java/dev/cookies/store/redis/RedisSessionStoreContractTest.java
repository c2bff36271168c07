package dev.cookies.store.redis;

import dev.cookies.spi.ServerSideStore;
import dev.cookies.testkit.MutableClock;
import dev.cookies.testkit.RedisExtension;
import dev.cookies.testkit.SessionStoreContract;
import java.util.UUID;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The store contract against a standalone redis-server; each store has its own connection pool. */
class RedisSessionStoreContractTest extends SessionStoreContract {

    @RegisterExtension
    static final RedisExtension REDIS = RedisExtension.standalone();

    /**
     * A key prefix of this test's own, shared by the stores it creates: the scenarios by user name fixed
     * users (alice, bob), whose sessions would otherwise outlive one test into the next in Redis.
     */
    private final String prefix = "cookies:contract:" + UUID.randomUUID() + ":";

    @Override
    protected ServerSideStore createStore(MutableClock clock) {
        return RedisSessionStore.builder().uri(REDIS.server().uri()).keyPrefix(prefix).clock(clock).build();
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
