package dev.cookies.javalin;

import dev.cookies.Sessions;
import dev.cookies.testkit.AdapterContract;
import dev.cookies.testkit.ContractStore;
import dev.cookies.testkit.ReferenceServer;

/** The adapter contract on Javalin with the memory store. */
class JavalinMemoryContractTest extends AdapterContract {

    @Override
    protected String adapterName() {
        return "javalin";
    }

    @Override
    protected ContractStore store() {
        return ContractStore.uri("memory:");
    }

    @Override
    protected ReferenceServer start(Sessions sessions) {
        return JavalinReferenceApp.start(sessions, null, null);
    }

    @Override
    protected ReferenceServer startWithLoginRedirect(Sessions sessions) {
        return JavalinReferenceApp.start(sessions, ctx -> ctx.redirect(LOGIN_PAGE), null);
    }
}
