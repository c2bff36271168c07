package dev.cookies.servlet;

import dev.cookies.Sessions;
import dev.cookies.testkit.AdapterContract;
import dev.cookies.testkit.ContractStore;
import dev.cookies.testkit.PostgresExtension;
import dev.cookies.testkit.ReferenceServer;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The servlet adapter on Jetty passes the adapter contract with the JDBC store on a real PostgreSQL,
 * each session manager in its own table.
 */
class ServletJdbcContractTest extends AdapterContract {

    @RegisterExtension
    static final PostgresExtension POSTGRES = PostgresExtension.find();

    @Override
    protected String adapterName() {
        return "servlet";
    }

    @Override
    protected ContractStore store() {
        return ContractStore.perManager("jdbc", (name, b) -> b.store(POSTGRES.server().uri()
                + "&createTable=true&table=servlet_contract_" + name));
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
