package dev.cookies.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cookies.SessionConfigException;
import dev.cookies.SessionManager;
import dev.cookies.Sessions;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExampleConfigTest {

    @Test
    @DisplayName("defaults: javalin, memory:, no mirror, no revocations, the cookie transport, no keys, every interface, port 7070, 64 KiB of login body")
    void defaults() {
        assertEquals(new ExampleConfig("javalin", "memory:", "", "", "cookie", "", "0.0.0.0", 7070, 64 * 1024),
                ExampleConfig.parse(new String[0], Map.of()));
    }

    @Test
    @DisplayName("flags win over the environment, which wins over defaults; both flag forms work; keys come from COOKIES_KEYS")
    void precedence() {
        Map<String, String> env = Map.of("SESSION_STORE", "redis://r:6379/0", "SESSION_MIRROR", "memory:",
                "COOKIES_KEYS", "k1,k2", "PORT", "8080", "HOST", "0.0.0.0");
        assertEquals(new ExampleConfig("javalin", "redis://r:6379/0", "memory:", "", "cookie", "k1,k2", "0.0.0.0", 8080, 64 * 1024),
                ExampleConfig.parse(new String[0], env));
        assertEquals(new ExampleConfig("undertow", "cookie:", "", "memory:", "cookie", "k1,k2", "127.0.0.1", 9000, 64 * 1024),
                ExampleConfig.parse(new String[] {"--adapter=undertow", "--store", "cookie:", "--mirror=",
                        "--host", "127.0.0.1", "--port", "9000"}, env));
    }

    @Test
    @DisplayName("--transport and SESSION_TRANSPORT: cookie by default, header on request, anything else refused")
    void transport() {
        assertFalse(ExampleConfig.parse(new String[0], Map.of()).headerTransport());
        assertTrue(ExampleConfig.parse(new String[] {"--transport", "header"}, Map.of()).headerTransport());
        assertTrue(ExampleConfig.parse(new String[0], Map.of("SESSION_TRANSPORT", "HEADER")).headerTransport());
        assertFalse(ExampleConfig.parse(new String[] {"--transport=cookie"}, Map.of("SESSION_TRANSPORT", "header"))
                .headerTransport());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> ExampleConfig.parse(new String[] {"--transport", "query"}, Map.of())).getMessage()
                .contains("cookie or header"));
    }

    @Test
    @DisplayName("the header transport needs a server-side store: the cookie store fails at start naming transport")
    void headerTransportNeedsServerSideStore() {
        try (Sessions sessions = ExampleSessions.create(ExampleConfig.parse(new String[] {"--transport", "header"}, Map.of()))) {
            assertEquals(2, sessions.managers().size());
        }
        ExampleConfig cookie = ExampleConfig.parse(new String[] {"--store", "cookie:", "--transport", "header"},
                Map.of("COOKIES_KEYS", ExampleContract.KEY));
        assertEquals("transport", assertThrows(SessionConfigException.class, () -> ExampleSessions.create(cookie)).setting());
    }

    @Test
    @DisplayName("revocations: memory: by default with the cookie store, none with another; --revocations and SESSION_REVOCATIONS win")
    void revocations() {
        assertEquals("memory:", ExampleConfig.parse(new String[] {"--store", "cookie:"}, Map.of()).revocations());
        assertEquals("memory:", ExampleConfig.parse(new String[0], Map.of("SESSION_STORE", "cookie:")).revocations());
        assertEquals("", ExampleConfig.parse(new String[0], Map.of()).revocations());
        assertEquals("", ExampleConfig.parse(new String[] {"--store", "redis://r:6379/0"}, Map.of()).revocations());
        assertEquals("redis://r:6379/1", ExampleConfig.parse(new String[] {"--store", "cookie:"},
                Map.of("SESSION_REVOCATIONS", "redis://r:6379/1")).revocations());
        assertEquals("redis://r:6379/2", ExampleConfig.parse(new String[] {"--store", "cookie:", "--revocations",
                "redis://r:6379/2"}, Map.of("SESSION_REVOCATIONS", "redis://r:6379/1")).revocations());
    }

    @Test
    @DisplayName("a revocation store beside a server-side store fails at start naming revocations: it signs users out by deleting their sessions")
    void revocationsOnlyForTheCookieStore() {
        ExampleConfig config = ExampleConfig.parse(new String[] {"--revocations", "memory:"}, Map.of());
        assertEquals("revocations", assertThrows(SessionConfigException.class, () -> ExampleSessions.create(config)).setting());
    }

    @Test
    @DisplayName("SESSION_KEYS, the old name, is not read: COOKIES_KEYS is the one name for the cookie store's keys")
    void oneNameForKeys() {
        assertEquals("", ExampleConfig.parse(new String[0], Map.of("SESSION_KEYS", "k1")).keys());
        assertTrue(ExampleConfig.USAGE.contains("COOKIES_KEYS="), ExampleConfig.USAGE);
        assertFalse(ExampleConfig.USAGE.contains("SESSION_KEYS"), ExampleConfig.USAGE);
    }

    @Test
    @DisplayName("bad arguments are clear errors")
    void errors() {
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> ExampleConfig.parse(new String[] {"--adapter", "spring"}, Map.of())).getMessage().contains("javalin, servlet or undertow"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> ExampleConfig.parse(new String[] {"--port"}, Map.of())).getMessage().contains("needs a value"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> ExampleConfig.parse(new String[] {"--port", "http"}, Map.of())).getMessage().contains("number"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> ExampleConfig.parse(new String[] {"--verbose"}, Map.of())).getMessage().contains("unknown argument"));
        assertThrows(IllegalArgumentException.class, () -> ExampleConfig.parse(new String[] {"--port", "70000"}, Map.of()));
    }

    @Test
    @DisplayName("--max-body-bytes (or MAX_BODY_BYTES) takes bytes or k and m; the flag wins over the environment")
    void maxBodyBytes() {
        assertEquals(1 << 20, ExampleConfig.parse(new String[] {"--max-body-bytes", "1m"}, Map.of()).maxBodyBytes());
        assertEquals(1 << 20, ExampleConfig.parse(new String[] {"--max-body-bytes=1024K"}, Map.of()).maxBodyBytes());
        assertEquals(1_000_000, ExampleConfig.parse(new String[] {"--max-body-bytes", "1000000"}, Map.of()).maxBodyBytes());
        assertEquals(2 << 20, ExampleConfig.parse(new String[0], Map.of("MAX_BODY_BYTES", "2m")).maxBodyBytes());
        assertEquals(4096, ExampleConfig.parse(new String[] {"--max-body-bytes", "4k"}, Map.of("MAX_BODY_BYTES", "2m"))
                .maxBodyBytes());
        assertTrue(ExampleConfig.USAGE.contains("--max-body-bytes") && ExampleConfig.USAGE.contains("MAX_BODY_BYTES"),
                ExampleConfig.USAGE);
    }

    @ParameterizedTest
    @CsvSource(delimiter = ' ', value = {
        "5m between", "8g between", "99999999999k between", "1023 between", "0 between",
        "-1 number", "1.5m number", "1mb number", "m number", "lots number"})
    @DisplayName("a bad --max-body-bytes is refused with a message naming the flag")
    void badMaxBodyBytes(String value, String says) {
        String message = assertThrows(IllegalArgumentException.class,
                () -> ExampleConfig.parse(new String[] {"--max-body-bytes", value}, Map.of())).getMessage();
        assertTrue(message.startsWith("--max-body-bytes must") && message.contains(says) && message.contains(value), message);
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> ExampleConfig.parse(new String[0], Map.of("MAX_BODY_BYTES", value))).getMessage().startsWith("--max-body-bytes"));
    }

    @Test
    @DisplayName("a body limit above 64 KiB is refused with the cookie store, whose session must fit a 4 KB cookie")
    void largeBodiesNeedAServerSideStore() {
        String message = assertThrows(IllegalArgumentException.class,
                () -> ExampleConfig.parse(new String[] {"--store", "cookie:", "--max-body-bytes", "1m"}, Map.of())).getMessage();
        assertTrue(message.contains("--max-body-bytes") && message.contains("server-side store"), message);
        assertThrows(IllegalArgumentException.class, () -> ExampleConfig.parse(
                new String[] {"--store", "COOKIE:", "--max-body-bytes", "1m"}, Map.of()), "the scheme in capitals");
        assertEquals(64 * 1024, ExampleConfig.parse(new String[] {"--store", "cookie:", "--max-body-bytes", "64k"}, Map.of())
                .maxBodyBytes());
    }

    @Test
    @DisplayName("a mistyped flag with a URI value does not echo its password")
    void mistypedFlagKeepsSecrets() {
        String message = assertThrows(IllegalArgumentException.class,
                () -> ExampleConfig.parse(new String[] {"--stor=redis://app:hunter2@r:6379"}, Map.of())).getMessage();
        assertFalse(message.contains("hunter2"), message);
    }

    @Test
    @DisplayName("the cookie store without COOKIES_KEYS fails at start naming cookies.keys")
    void cookieStoreNeedsKeys() {
        ExampleConfig config = ExampleConfig.parse(new String[] {"--store", "cookie:"}, Map.of());
        assertEquals("cookies.keys", assertThrows(SessionConfigException.class, () -> ExampleSessions.create(config)).setting());
    }

    @Test
    @DisplayName("both sessions have an explicit absolute lifetime of 8 hours and an idle timeout of 30 minutes")
    void lifetimes() {
        try (Sessions sessions = ExampleSessions.create(ExampleConfig.parse(new String[0], Map.of()))) {
            for (SessionManager manager : sessions.managers()) {
                assertEquals(Duration.ofHours(8), manager.absoluteTimeout(), manager::toString);
                assertEquals(Duration.ofMinutes(30), manager.idleTimeout(), manager::toString);
            }
            assertEquals(2, sessions.managers().size());
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = ' ', value = {
        "redis://user:secret@host:6379/0 redis://user:***@host:6379/0",
        "redis://secret@host redis://***@host",
        "rediss://app:p%40ss@h1:6380/2?prefix=a: rediss://app:***@h1:6380/2?prefix=a:",
        "redis://app:with/slash@host:6379 redis://app:***@host:6379",
        "redis://app:with@at@host redis://app:***@host",
        "redis-cluster://u:pw@h1:7000,h2:7001 redis-cluster://u:***@h1:7000,h2:7001",
        "redis://host:6379/0 redis://host:6379/0",
        "memory: memory:",
        "cookie: cookie:",
        "jdbc:postgresql://db:5432/app?user=app&password=hunter2&table=t jdbc:postgresql://db:5432/app?user=app&password=***&table=t",
        "jdbc:postgresql://db/app?password=p%26ss jdbc:postgresql://db/app?password=***",
        "jdbc:postgresql://db/app?user=app&sslpassword=hunter2 jdbc:postgresql://db/app?user=app&sslpassword=***",
        "jdbc:postgresql://app:hunter2@db/app jdbc:postgresql://app:***@db/app",
        "jdbc:h2:mem:s;USER=sa;PASSWORD=hunter2;DB_CLOSE_DELAY=-1 jdbc:h2:mem:s;USER=sa;PASSWORD=***;DB_CLOSE_DELAY=-1",
        "jdbc:postgresql://db/app?user=app&createTable=true jdbc:postgresql://db/app?user=app&createTable=true"})
    @DisplayName("store URIs are printed without their password")
    void redacts(String uri, String shown) {
        assertEquals(shown, ExampleConfig.redact(uri));
    }

    @Test
    @DisplayName("the start-up line and the config's toString name the stores without passwords or keys")
    void startupLineHasNoSecrets() {
        ExampleConfig config = ExampleConfig.parse(new String[] {"--store", "redis://app:hunter2@r:6379/0",
                "--mirror", "redis://hunter3@m:6379/1"}, Map.of("COOKIES_KEYS", "sekrit-key"));
        String line = Main.startupLine(config, URI.create("http://localhost:7070"));
        assertEquals("Cookies example (javalin, store redis://app:***@r:6379/0, mirror redis://***@m:6379/1) running at "
                + "http://localhost:7070/", line);
        for (String shown : new String[] {line, config.toString()}) {
            assertFalse(shown.contains("hunter") || shown.contains("sekrit"), shown);
        }
    }

    @Test
    @DisplayName("the start-up line shows a JDBC store without its password, the cookie store's revocations, and the header transport")
    void startupLineJdbcAndTransport() {
        ExampleConfig jdbc = ExampleConfig.parse(new String[] {"--store", "jdbc:postgresql://db/app?user=app&password=hunter2",
                "--transport", "header"}, Map.of());
        String line = Main.startupLine(jdbc, URI.create("http://localhost:7070"));
        assertEquals("Cookies example (javalin, store jdbc:postgresql://db/app?user=app&password=***, ids in "
                + "X-Session-Token and X-Auth-Token) running at http://localhost:7070/", line);
        assertFalse(jdbc.toString().contains("hunter2"), jdbc.toString());
        ExampleConfig cookie = ExampleConfig.parse(new String[] {"--store", "cookie:"}, Map.of());
        assertEquals("Cookies example (javalin, store cookie:, revocations memory:) running at http://localhost:7070/",
                Main.startupLine(cookie, URI.create("http://localhost:7070")));
    }
}
