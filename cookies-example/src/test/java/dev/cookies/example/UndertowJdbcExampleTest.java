package dev.cookies.example;

import dev.cookies.testkit.ContractStore;
import dev.cookies.testkit.PostgresExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The example app on undertow, JDBC store on a real PostgreSQL, each session in its own table; its time-outs
 * generous, since a shared test machine can take seconds to open a connection.
 */
class UndertowJdbcExampleTest extends ExampleContract {
    @RegisterExtension
    static final PostgresExtension POSTGRES = PostgresExtension.find();

    @Override
    protected String adapterName() {
        return "undertow";
    }

    @Override
    protected ContractStore store() {
        return ContractStore.perManager("jdbc", (name, b) -> b.store(POSTGRES.server().uri()
                + "&createTable=true&table=example_undertow_" + name + "&timeout=10s"));
    }
}
