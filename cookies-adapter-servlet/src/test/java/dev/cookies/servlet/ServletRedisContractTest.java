package dev.cookies.servlet;

import dev.cookies.Sessions;
import dev.cookies.testkit.AdapterContract;
import dev.cookies.testkit.ContractStore;
import dev.cookies.testkit.RedisExtension;
import dev.cookies.testkit.ReferenceServer;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The servlet adapter on Jetty passes the adapter contract with the Redis store, each session manager
 * under its own key prefix. The store-down scenario points at a Redis port where nothing listens.
 */
class ServletRedisContractTest extends AdapterContract {

    @RegisterExtension
    static final RedisExtension REDIS = RedisExtension.standalone();

    @Override
    protected String adapterName() {
        return "servlet";
    }

    @Override
    protected ContractStore store() {
        return ContractStore.perManager("redis", (name, b) -> b.store(REDIS.server().uri() + "?prefix=cookies:" + name + ":"));
    }

    @Override
    protected ReferenceServer start(Sessions sessions) throws Exception {
        return ServletReferenceApp.start(sessions, null);
    }

    @Override
    protected ReferenceServer startWithLoginRedirect(Sessions sessions) throws Exception {
        return ServletReferenceApp.start(sessions, (request, response) -> response.sendRedirect(LOGIN_PAGE));
    }
}
