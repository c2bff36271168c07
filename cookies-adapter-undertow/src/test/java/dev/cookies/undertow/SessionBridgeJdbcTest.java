package dev.cookies.undertow;

import dev.cookies.testkit.ContractStore;
import dev.cookies.testkit.PostgresExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Undertow's session API on the bridge, with the JDBC store on a real PostgreSQL. */
class SessionBridgeJdbcTest extends SessionApiContract {

    @RegisterExtension
    static final PostgresExtension POSTGRES = PostgresExtension.find();

    @Override
    protected ContractStore store() {
        return ContractStore.perManager("jdbc", (name, b) -> b.store(POSTGRES.server().uri()
                + "&createTable=true&table=bridge_" + name + "&timeout=" + UndertowJdbcContractTest.TIMEOUT));
    }
}
