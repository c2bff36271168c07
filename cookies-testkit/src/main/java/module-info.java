/**
 * The contracts every store and adapter passes, in-memory stand-ins for an exchange and a browser, and
 * fixtures that find or start real servers for tests. Testcontainers is optional.
 */
module dev.cookies.testkit {
    requires transitive dev.cookies;
    requires transitive org.junit.jupiter.api;
    requires transitive java.net.http;
    requires static testcontainers;

    exports dev.cookies.testkit;

    // JUnit creates the contracts' nested test classes and extensions reflectively.
    opens dev.cookies.testkit to org.junit.platform.commons;
}
