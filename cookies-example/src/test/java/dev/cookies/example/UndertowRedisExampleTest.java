package dev.cookies.example;

import dev.cookies.testkit.ContractStore;
import dev.cookies.testkit.RedisExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The example app on undertow, Redis store, each session under its own key prefix. */
class UndertowRedisExampleTest extends ExampleContract {
    @RegisterExtension
    static final RedisExtension REDIS = RedisExtension.standalone();

    @Override
    protected String adapterName() {
        return "undertow";
    }

    @Override
    protected ContractStore store() {
        return ContractStore.perManager("redis", (name, b) -> b.store(REDIS.server().uri() + "?prefix=example:" + name + ":"));
    }
}
