package dev.cookies.javalin;

import dev.cookies.testkit.ContractStore;
import dev.cookies.testkit.RedisExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** HttpSession code, unchanged, and Javalin's session methods on the Redis store. */
class HttpSessionRedisTest extends HttpSessionContract {

    @RegisterExtension
    static final RedisExtension REDIS = RedisExtension.standalone();

    @Override
    protected ContractStore store() {
        return ContractStore.perManager("redis", (name, b) -> b.store(REDIS.server().uri() + "?prefix=legacy:"
                + java.util.UUID.randomUUID() + ":"));
    }
}
