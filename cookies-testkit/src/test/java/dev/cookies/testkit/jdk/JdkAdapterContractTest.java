package dev.cookies.testkit.jdk;

import com.sun.net.httpserver.HttpExchange;
import dev.cookies.Sessions;
import dev.cookies.testkit.AdapterContract;
import dev.cookies.testkit.ContractStore;
import dev.cookies.testkit.ReferenceServer;

/** The test kit checks itself: the JDK reference adapter passes the adapter contract. */
class JdkAdapterContractTest extends AdapterContract {

    @Override
    protected String adapterName() {
        return "jdk";
    }

    @Override
    protected ContractStore store() {
        return ContractStore.of("map", b -> b.store(new MapStore()));
    }

    @Override
    protected ReferenceServer start(Sessions sessions) throws Exception {
        return JdkReferenceApp.start(sessions, null);
    }

    @Override
    protected ReferenceServer startWithLoginRedirect(Sessions sessions) throws Exception {
        return JdkReferenceApp.start(sessions, JdkAdapterContractTest::toLoginPage);
    }

    private static void toLoginPage(HttpExchange exchange) throws java.io.IOException {
        exchange.getResponseHeaders().set("Location", LOGIN_PAGE);
        exchange.sendResponseHeaders(302, -1);
        exchange.close();
    }
}
