package dev.cookies.store.redis;

import dev.cookies.spi.ServerSideStore;
import dev.cookies.testkit.MutableClock;
import dev.cookies.testkit.RedisExtension;
import dev.cookies.testkit.SessionStoreContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The store contract against a standalone redis-server; each store has its own connection pool. */
class RedisSessionStoreContractTest extends SessionStoreContract {

    @RegisterExtension
    static final RedisExtension REDIS = RedisExtension.standalone();

    @Override
    protected ServerSideStore createStore(MutableClock clock) {
        return RedisSessionStore.builder().uri(REDIS.server().uri()).build();
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
