package dev.cookies.example;

import dev.cookies.testkit.ContractStore;
import dev.cookies.testkit.RedisExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The example app on servlet, Redis store, each session under its own key prefix. */
class ServletRedisExampleTest extends ExampleContract {
    @RegisterExtension
    static final RedisExtension REDIS = RedisExtension.standalone();

    @Override
    protected String adapterName() {
        return "servlet";
    }

    @Override
    protected ContractStore store() {
        return ContractStore.perManager("redis", (name, b) -> b.store(REDIS.server().uri() + "?prefix=example:" + name + ":"));
    }
}
