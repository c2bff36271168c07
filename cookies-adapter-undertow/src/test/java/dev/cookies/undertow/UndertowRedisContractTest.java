package dev.cookies.undertow;

import dev.cookies.Sessions;
import dev.cookies.testkit.AdapterContract;
import dev.cookies.testkit.ContractStore;
import dev.cookies.testkit.RedisExtension;
import dev.cookies.testkit.ReferenceServer;
import io.undertow.server.handlers.RedirectHandler;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The adapter contract on Undertow with the Redis store, each session manager under its own key
 * prefix. The store-down scenario points at a Redis port where nothing listens.
 */
class UndertowRedisContractTest extends AdapterContract {

    @RegisterExtension
    static final RedisExtension REDIS = RedisExtension.standalone();

    @Override
    protected String adapterName() {
        return "undertow";
    }

    @Override
    protected ContractStore store() {
        return ContractStore.perManager("redis", (name, b) -> b.store(REDIS.server().uri() + "?prefix=cookies:" + name + ":"));
    }

    @Override
    protected ReferenceServer start(Sessions sessions) {
        return UndertowReferenceApp.start(sessions, null, null);
    }

    @Override
    protected ReferenceServer startWithLoginRedirect(Sessions sessions) {
        return UndertowReferenceApp.start(sessions, new RedirectHandler(LOGIN_PAGE), null);
    }
}
