package dev.cookies.servlet;

import dev.cookies.Sessions;
import dev.cookies.testkit.AdapterContract;
import dev.cookies.testkit.ContractStore;
import dev.cookies.testkit.ReferenceServer;

/** The servlet adapter on Jetty passes the adapter contract with the memory store. */
class ServletMemoryContractTest extends AdapterContract {

    @Override
    protected String adapterName() {
        return "servlet";
    }

    @Override
    protected ContractStore store() {
        return ContractStore.uri("memory:");
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
