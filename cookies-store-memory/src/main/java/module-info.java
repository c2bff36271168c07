/**
 * The in-process session store: a byte-bounded, least-recently-used map with per-session expiry.
 * Chosen by the URI {@code memory:}.
 */
module dev.cookies.store.memory {
    requires transitive dev.cookies;
    requires org.slf4j;
    // The G1 region size, by which large sessions are weighed (com.sun.management).
    requires jdk.management;

    exports dev.cookies.store.memory;

    provides dev.cookies.spi.SessionStoreProvider with dev.cookies.store.memory.MemoryStoreProvider;
}
