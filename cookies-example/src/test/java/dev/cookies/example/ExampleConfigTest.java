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
    @DisplayName("defaults: javalin, memory:, no mirror, no keys, every interface, port 7070, 64 KiB of login body")
    void defaults() {
        assertEquals(new ExampleConfig("javalin", "memory:", "", "", "0.0.0.0", 7070, 64 * 1024),
                ExampleConfig.parse(new String[0], Map.of()));
    }

    @Test
    @DisplayName("flags win over the environment, which wins over defaults; both flag forms work; keys come from COOKIES_KEYS")
    void precedence() {
        Map<String, String> env = Map.of("SESSION_STORE", "redis://r:6379/0", "SESSION_MIRROR", "memory:",
                "COOKIES_KEYS", "k1,k2", "PORT", "8080", "HOST", "0.0.0.0");
        assertEquals(new ExampleConfig("javalin", "redis://r:6379/0", "memory:", "k1,k2", "0.0.0.0", 8080, 64 * 1024),
                ExampleConfig.parse(new String[0], env));
        assertEquals(new ExampleConfig("undertow", "cookie:", "", "k1,k2", "127.0.0.1", 9000, 64 * 1024),
                ExampleConfig.parse(new String[] {"--adapter=undertow", "--store", "cookie:", "--mirror=",
                        "--host", "127.0.0.1", "--port", "9000"}, env));
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
        "cookie: cookie:"})
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
}
