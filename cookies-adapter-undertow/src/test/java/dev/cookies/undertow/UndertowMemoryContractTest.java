package dev.cookies.undertow;

import dev.cookies.Sessions;
import dev.cookies.testkit.AdapterContract;
import dev.cookies.testkit.ContractStore;
import dev.cookies.testkit.ReferenceServer;
import io.undertow.server.handlers.RedirectHandler;

/** The adapter contract on Undertow with the memory store. */
class UndertowMemoryContractTest extends AdapterContract {

    @Override
    protected String adapterName() {
        return "undertow";
    }

    @Override
    protected ContractStore store() {
        return ContractStore.uri("memory:");
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
