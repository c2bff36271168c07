package dev.cookies.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cookies.Sessions;
import dev.cookies.testkit.RedisExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The app as Main configures it (flags and environment through ExampleConfig and ExampleSessions),
 * on each adapter, with each store, and with a mirror: the reference contract's JSON over real HTTP,
 * with a real client that keeps cookies.
 */
class ExampleAppTest {

    @RegisterExtension
    static final RedisExtension REDIS = RedisExtension.standalone();

    static Stream<Arguments> apps() {
        Stream.Builder<Arguments> all = Stream.builder();
        for (String adapter : new String[] {"javalin", "servlet", "undertow"}) {
            all.add(Arguments.of(adapter, "memory:", "", ""));
            all.add(Arguments.of(adapter, "cookie:", "", ExampleContract.KEY));
            all.add(Arguments.of(adapter, "redis", "", ""));
            all.add(Arguments.of(adapter, "memory:", "redis", ""));
        }
        return all.build();
    }

    @ParameterizedTest(name = "{0} on {1} (mirror: {2})")
    @MethodSource("apps")
    @DisplayName("the configured app serves the reference contract")
    void serves(String adapter, String store, String mirror, String keys) throws Exception {
        String storeUri = store.equals("redis") ? REDIS.server().uri() : store;
        String mirrorUri = mirror.equals("redis") ? REDIS.server().uri() + "?prefix=mirror:" : mirror;
        ExampleConfig config = ExampleConfig.parse(new String[] {"--adapter", adapter, "--store", storeUri,
                "--mirror", mirrorUri, "--host", "127.0.0.1", "--port", "0"}, Map.of("COOKIES_KEYS", keys));
        try (Sessions sessions = ExampleSessions.create(config);
             ExampleServer server = ExampleServer.start(config.adapter(), sessions, config.host(), config.port())) {
            HttpClient client = HttpClient.newBuilder().cookieHandler(new java.net.CookieManager()).build();
            URI base = server.baseUri();
            assertEquals("{\"count\":0}", get(client, base, "/counter").body());
            assertEquals("{\"count\":1}", post(client, base, "/counter/increment", "").body());
            assertEquals("{\"count\":2}", post(client, base, "/counter/increment", "").body());
            assertEquals("{\"count\":2}", get(client, base, "/counter").body());
            assertEquals(401, get(client, base, "/me").statusCode());
            assertEquals("{\"user\":\"alice\"}", post(client, base, "/login", "{\"user\":\"alice\"}").body());
            assertEquals("{\"user\":\"alice\"}", get(client, base, "/me").body());
            HttpResponse<String> page = get(client, base, "/");
            assertTrue(page.body().contains("Logged in as <span id=\"user-name\">alice</span>"), page.body());
            assertTrue(page.body().contains("<span id=\"count\">2</span>"), page.body());
            assertEquals("{\"user\":null}", post(client, base, "/logout", "").body());
            assertEquals(401, get(client, base, "/me").statusCode());
        }
    }

    private static HttpResponse<String> get(HttpClient client, URI base, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(base.resolve(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(HttpClient client, URI base, String path, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
