package dev.cookies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cookies.spi.SessionStore;
import dev.cookies.spi.SessionStoreProvider;
import dev.cookies.spi.StoreContext;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreRegistryTest {

    public static final class FirstProvider implements SessionStoreProvider {
        @Override
        public int apiVersion() {
            return SessionStoreProvider.API_VERSION;
        }

        static StoreContext lastContext;

        @Override
        public Set<String> schemes() {
            return Set.of("test", "Both");
        }

        @Override
        public SessionStore create(StoreContext context) {
            lastContext = context;
            return new NullServerStore();
        }
    }

    public static final class SecondProvider implements SessionStoreProvider {
        @Override
        public int apiVersion() {
            return SessionStoreProvider.API_VERSION;
        }

        @Override
        public Set<String> schemes() {
            return Set.of("both");
        }

        @Override
        public SessionStore create(StoreContext context) {
            return new NullServerStore();
        }
    }

    public static final class OldProvider implements SessionStoreProvider {
        @Override
        public int apiVersion() {
            return 1;
        }

        @Override
        public Set<String> schemes() {
            return Set.of("old");
        }

        @Override
        public SessionStore create(StoreContext context) {
            return new NullServerStore();
        }
    }

    private static ClassLoader loaderWith(Path dir, String... providers) throws IOException {
        Path services = dir.resolve("META-INF/services");
        Files.createDirectories(services);
        Files.writeString(services.resolve(SessionStoreProvider.class.getName()), String.join("\n", providers) + "\n");
        return new URLClassLoader(new URL[] {dir.toUri().toURL()}, StoreRegistryTest.class.getClassLoader());
    }

    private static SessionConfigException fail(String uri, ClassLoader loader) {
        return assertThrows(SessionConfigException.class,
                () -> StoreRegistry.create("store", uri, Clock.systemUTC(), Map.of(), loader));
    }

    @Test
    @DisplayName("no provider at all: the error names the module to add and says none were found")
    void zeroProviders(@TempDir Path dir) throws IOException {
        SessionConfigException e = fail("memory:", loaderWith(dir));
        assertEquals("store: no session store provider for scheme 'memory': add the module "
                + "dev.cookies:cookies-store-memory to the classpath. Schemes found: (none)", e.getMessage());
    }

    @Test
    @DisplayName("one provider: it is used, with the URI, clock and settings; its schemes are listed for others")
    void oneProvider(@TempDir Path dir) throws IOException {
        ClassLoader loader = loaderWith(dir, FirstProvider.class.getName());
        Map<String, String> settings = Map.of("k", "v");
        SessionStore store = StoreRegistry.create("store", "TEST:?maximumSize=5&x=a%20b", Clock.systemUTC(), settings, loader);
        assertTrue(store instanceof NullServerStore);
        assertEquals("TEST:/?maximumSize=5&x=a%20b", FirstProvider.lastContext.uri().toString());
        assertEquals(Map.of("maximumSize", "5", "x", "a b"), FirstProvider.lastContext.parameters());
        assertEquals(Optional.of("v"), FirstProvider.lastContext.setting("k"));
        SessionConfigException e = fail("cookie:", loader);
        assertEquals("store: no session store provider for scheme 'cookie': add the module "
                + "dev.cookies:cookies-store-cookie to the classpath. Schemes found: both, test", e.getMessage());
        assertTrue(fail("nosuch://x", loader).getMessage().contains("no module of this project serves it"));
    }

    @Test
    @DisplayName("two providers for one scheme: both are named")
    void twoProviders(@TempDir Path dir) throws IOException {
        ClassLoader loader = loaderWith(dir, FirstProvider.class.getName(), SecondProvider.class.getName());
        SessionConfigException e = fail("both://x", loader);
        assertTrue(e.getMessage().contains(FirstProvider.class.getName()), e.getMessage());
        assertTrue(e.getMessage().contains(SecondProvider.class.getName()), e.getMessage());
        assertTrue(e.getMessage().startsWith("store: several session store providers serve scheme 'both'"), e.getMessage());
    }

    @Test
    @DisplayName("a provider built for another SPI version is refused, naming where it comes from; one that fails to load is skipped")
    void refused(@TempDir Path dir) throws IOException {
        ClassLoader loader = loaderWith(dir, OldProvider.class.getName(), "no.such.Provider", FirstProvider.class.getName());
        String message = fail("old:", loader).getMessage();
        assertTrue(message.startsWith("store: the session store provider for scheme 'old' cannot be used: "
                + OldProvider.class.getName() + " in the unnamed module loaded from "), message);
        assertTrue(message.contains(" was built for store SPI version 1, and this core (dev.cookies) serves version "
                + SessionStoreProvider.API_VERSION), message);
        assertTrue(fail("nosuch:", loader).getMessage().contains("Schemes found: both, test"));
        assertTrue(StoreRegistry.create("store", "test:", Clock.systemUTC(), Map.of(), loader) instanceof NullServerStore);
    }

    @Test
    @DisplayName("credentials in a URI are never echoed")
    void redaction() {
        assertEquals("redis://***@host:6379/0", StoreRegistry.redact("redis://user:pw@host:6379/0"));
        assertEquals("redis://***@host:6379/0", StoreRegistry.redact("redis://user:p/w@x@host:6379/0"), "a password with / and @");
        assertEquals("jdbc:postgresql://db/app?user=app&password=***&table=t",
                StoreRegistry.redact("jdbc:postgresql://db/app?user=app&password=s3cret&table=t"));
        assertEquals("memory:", StoreRegistry.redact("memory:"));
    }
}
