package dev.cookies.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cookies.SessionConfigException;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ExampleConfigTest {

    @Test
    @DisplayName("defaults: javalin, memory:, no mirror, every interface, port 7070")
    void defaults() {
        assertEquals(new ExampleConfig("javalin", "memory:", "", "", "0.0.0.0", 7070),
                ExampleConfig.parse(new String[0], Map.of()));
    }

    @Test
    @DisplayName("flags win over the environment, which wins over defaults; both flag forms work")
    void precedence() {
        Map<String, String> env = Map.of("SESSION_STORE", "redis://r:6379/0", "SESSION_MIRROR", "memory:",
                "SESSION_KEYS", "k1,k2", "PORT", "8080", "HOST", "0.0.0.0");
        assertEquals(new ExampleConfig("javalin", "redis://r:6379/0", "memory:", "k1,k2", "0.0.0.0", 8080),
                ExampleConfig.parse(new String[0], env));
        assertEquals(new ExampleConfig("undertow", "cookie:", "", "k1,k2", "127.0.0.1", 9000),
                ExampleConfig.parse(new String[] {"--adapter=undertow", "--store", "cookie:", "--mirror=",
                        "--host", "127.0.0.1", "--port", "9000"}, env));
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
    @DisplayName("the cookie store without SESSION_KEYS fails at start naming cookies.keys")
    void cookieStoreNeedsKeys() {
        ExampleConfig config = ExampleConfig.parse(new String[] {"--store", "cookie:"}, Map.of());
        assertEquals("cookies.keys", assertThrows(SessionConfigException.class, () -> ExampleSessions.create(config)).setting());
    }
}
