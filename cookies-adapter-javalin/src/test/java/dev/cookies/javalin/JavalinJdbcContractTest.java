package dev.cookies.javalin;

import dev.cookies.Sessions;
import dev.cookies.testkit.AdapterContract;
import dev.cookies.testkit.ContractStore;
import dev.cookies.testkit.PostgresExtension;
import dev.cookies.testkit.ReferenceServer;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The adapter contract on Javalin with the JDBC store on a real PostgreSQL, each session manager in
 * its own table.
 */
class JavalinJdbcContractTest extends AdapterContract {

    @RegisterExtension
    static final PostgresExtension POSTGRES = PostgresExtension.find();

    @Override
    protected String adapterName() {
        return "javalin";
    }

    @Override
    protected ContractStore store() {
        return ContractStore.perManager("jdbc", (name, b) -> b.store(POSTGRES.server().uri()
                + "&createTable=true&table=javalin_contract_" + name));
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
