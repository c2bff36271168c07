package dev.cookies.undertow;

import dev.cookies.testkit.ContractStore;
import dev.cookies.testkit.RedisExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Undertow's session API on the bridge, with the Redis store. */
class SessionBridgeRedisTest extends SessionApiContract {

    @RegisterExtension
    static final RedisExtension REDIS = RedisExtension.standalone();

    @Override
    protected ContractStore store() {
        return ContractStore.perManager("redis", (name, b) -> b.store(REDIS.server().uri() + "?prefix=bridge:" + name + ":"));
    }
}
