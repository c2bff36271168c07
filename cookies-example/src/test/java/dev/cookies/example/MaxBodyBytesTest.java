package dev.cookies.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cookies.Sessions;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code --max-body-bytes} over HTTP on every adapter: the largest login it admits is kept and reads
 * back, one byte more is a 413, and without it the same login is refused.
 */
class MaxBodyBytesTest {

    private static final int LIMIT = 1 << 20;

    @ParameterizedTest
    @ValueSource(strings = {"javalin", "servlet", "undertow"})
    @DisplayName("with --max-body-bytes 1m, a user filling 1 MiB of body logs in and reads back; 1 MiB + 1 byte is a 413")
    void raisedLimit(String adapter) throws Exception {
        ExampleConfig config = ExampleConfig.parse(new String[] {"--adapter", adapter, "--store", "memory:",
                "--max-body-bytes", "1m", "--host", "127.0.0.1", "--port", "0"}, Map.of());
        try (Sessions sessions = ExampleSessions.create(config); ExampleServer server = ExampleServer.start(config, sessions)) {
            URI base = server.baseUri();
            // The whole body is the limit: the session holds this user twice (as the user and as its
            // principal name), which the core's default maxSessionBytes of 1 MiB would refuse with a 500.
            String user = "\"" + "u".repeat(LIMIT - "{\"user\":\"\"}".length()) + "\"";
            String body = "{\"user\":" + user + "}";
            assertEquals(LIMIT, body.length());
            Http.Response login = Http.login(base, body);
            assertEquals(200, login.status(), login::toString);
            assertEquals(body, login.body());
            Http.Response me = Http.send(base, "GET", "/me", null, "Cookie", cookie(login, "AUTH"));
            assertEquals(200, me.status(), me::toString);
            assertEquals(body, me.body());

            Http.Response tooLarge = Http.login(base, "{\"user\":\"" + "u".repeat(LIMIT - 11) + "\"} ");
            assertEquals(413, tooLarge.status(), tooLarge::toString);
            assertEquals(Problem.BODY_TOO_LARGE.body(), tooLarge.body());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"javalin", "servlet", "undertow"})
    @DisplayName("without --max-body-bytes, a login of 990 KB is a 413")
    void defaultLimit(String adapter) throws Exception {
        ExampleConfig config = ExampleConfig.parse(new String[] {"--adapter", adapter, "--host", "127.0.0.1", "--port", "0"},
                Map.of());
        try (Sessions sessions = ExampleSessions.create(config); ExampleServer server = ExampleServer.start(config, sessions)) {
            Http.Response login = Http.login(server.baseUri(), "{\"user\":\"" + "u".repeat(990_000) + "\"}");
            assertEquals(413, login.status(), login::toString);
            assertEquals(Problem.BODY_TOO_LARGE.body(), login.body());
            assertTrue(login.setCookies().isEmpty(), login::toString);
        }
    }

    private static String cookie(Http.Response r, String name) {
        return r.setCookies().stream().filter(c -> c.startsWith(name + "=")).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " cookie: " + r)).split(";")[0];
    }
}
