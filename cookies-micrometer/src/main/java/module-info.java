/**
 * Micrometer meters for Cookies: sessions created, ended and logged in, store calls, lock waits,
 * outages and sessions too large. Both the core and Micrometer are required transitively, since
 * {@link dev.cookies.micrometer.SessionMetrics} implements the core's listener and observer and takes
 * and returns Micrometer's types. Micrometer's module is an automatic one: micrometer-core 1.17 ships
 * no module descriptor, only {@code Automatic-Module-Name: micrometer.core}.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.cookies.micrometer {
    requires transitive dev.cookies;
    requires transitive micrometer.core;
    requires org.slf4j;

    exports dev.cookies.micrometer;
}
