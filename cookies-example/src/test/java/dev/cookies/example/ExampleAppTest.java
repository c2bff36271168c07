package dev.cookies.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cookies.SessionManager;
import dev.cookies.Sessions;
import dev.cookies.testkit.MutableClock;
import dev.cookies.testkit.PostgresExtension;
import dev.cookies.testkit.RedisExtension;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The app as Main configures it (flags and environment through ExampleConfig and ExampleSessions),
 * on each adapter, with each store, and with a mirror: the reference contract's JSON over real HTTP,
 * with a real client that keeps cookies; who is signed in where; and a client that keeps only the id
 * headers.
 */
class ExampleAppTest {

    @RegisterExtension
    static final RedisExtension REDIS = RedisExtension.standalone();

    @RegisterExtension
    static final PostgresExtension POSTGRES = PostgresExtension.find();

    static Stream<Arguments> apps() {
        Stream.Builder<Arguments> all = Stream.builder();
        for (String adapter : new String[] {"javalin", "servlet", "undertow"}) {
            all.add(Arguments.of(adapter, "memory:", ""));
            all.add(Arguments.of(adapter, "cookie:", ""));
            all.add(Arguments.of(adapter, "redis", ""));
            all.add(Arguments.of(adapter, "jdbc", ""));
            all.add(Arguments.of(adapter, "memory:", "redis"));
        }
        return all.build();
    }

    static Stream<Arguments> stores() {
        Stream.Builder<Arguments> all = Stream.builder();
        for (String adapter : new String[] {"javalin", "servlet", "undertow"}) {
            for (String store : new String[] {"memory:", "redis", "jdbc", "cookie:"}) {
                all.add(Arguments.of(adapter, store));
            }
        }
        return all.build();
    }

    /** The store URI for a row: Redis and PostgreSQL from the test kit, a table of the test's own. */
    private static String uri(String store) {
        return switch (store) {
            case "redis" -> REDIS.server().uri();
            case "jdbc" -> POSTGRES.server().uri() + "&createTable=true&table=example_app&timeout=10s";
            default -> store;
        };
    }

    /** The config Main would parse from these flags, with the cookie store's keys in the environment. */
    private static ExampleConfig config(String adapter, String store, String mirror, String... more) {
        List<String> args = new ArrayList<>(List.of("--adapter", adapter, "--store", uri(store), "--mirror", mirror,
                "--host", "127.0.0.1", "--port", "0"));
        args.addAll(List.of(more));
        return ExampleConfig.parse(args.toArray(String[]::new), Map.of("COOKIES_KEYS", ExampleContract.KEY));
    }

    @ParameterizedTest(name = "{0} on {1} (mirror: {2})")
    @MethodSource("apps")
    @DisplayName("the configured app serves the reference contract")
    void serves(String adapter, String store, String mirror) throws Exception {
        String mirrorUri = mirror.equals("redis") ? REDIS.server().uri() + "?prefix=mirror:" : mirror;
        ExampleConfig config = config(adapter, store, mirrorUri);
        try (Sessions sessions = ExampleSessions.create(config);
             ExampleServer server = ExampleServer.start(config.adapter(), sessions, config.host(), config.port())) {
            HttpClient client = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
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

    /** Whether a manager's store keeps an index of sessions by user: the core says so when asked. */
    private static boolean indexes(SessionManager manager) {
        try {
            manager.sessions("nobody-" + UUID.randomUUID());
            return true;
        } catch (IllegalStateException noIndex) {
            return false;
        }
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("stores")
    @DisplayName("who is signed in where: three clients listed, everywhere-else keeps the caller, everywhere ends it; "
            + "the cookie store signs out through its revocation store and answers 501 to a list; a server-side store "
            + "without an index of sessions by user answers 501 to all three")
    void signedInWhere(String adapter, String store) throws Exception {
        // The cookie store's revocations count whole seconds: move the clock on rather than wait.
        MutableClock clock = MutableClock.now();
        ExampleConfig config = config(adapter, store, "");
        try (Sessions sessions = ExampleSessions.create(config, clock);
             ExampleServer server = ExampleServer.start(config.adapter(), sessions, config.host(), config.port())) {
            URI base = server.baseUri();
            String user = "alice-" + UUID.randomUUID();   // Redis keeps a user's index across tests
            List<HttpClient> clients = new ArrayList<>();
            List<String> copies = new ArrayList<>();       // each client's AUTH cookie, copied after login
            for (int i = 0; i < 3; i++) {
                CookieManager jar = new CookieManager();
                HttpClient client = HttpClient.newBuilder().cookieHandler(jar).build();
                assertEquals(200, post(client, base, "/login", "{\"user\":\"" + user + "\"}").statusCode());
                clients.add(client);
                copies.add(jar.getCookieStore().getCookies().stream().filter(c -> c.getName().equals("AUTH"))
                        .findFirst().orElseThrow().getValue());
            }
            HttpClient first = clients.get(0);
            HttpResponse<String> listed = get(first, base, "/sessions");
            // What the app can do follows the store, as the core reports it, not a list of store names.
            SessionManager auth = sessions.manager(ExampleSessions.AUTH);
            boolean indexed = indexes(auth);
            if (!indexed) {
                assertEquals(501, listed.statusCode(), listed.body());
                assertEquals("{\"error\":\"this session store cannot list a user's sessions\"}", listed.body());
            } else {
                JsonNode list = Json.MAPPER.readTree(listed.body()).get("sessions");
                assertEquals(3, list.size(), listed.body());
                assertEquals(1, count(list, true), listed.body());
            }
            clock.advance(Duration.ofSeconds(1));
            HttpResponse<String> kept = post(first, base, "/logout/everywhere-else", "");
            if (!indexed && !auth.isClientSide()) {
                assertEquals(501, kept.statusCode(), kept.body());
                assertEquals("{\"error\":\"this session store cannot sign a user out everywhere\"}", kept.body());
                assertEquals(501, post(first, base, "/logout/everywhere", "").statusCode());
                for (HttpClient c : clients) {
                    assertEquals("{\"user\":\"" + user + "\"}", get(c, base, "/me").body(), "nothing was ended");
                }
                return;
            }
            assertEquals("{\"user\":\"" + user + "\"}", kept.body());
            assertEquals(200, get(first, base, "/me").statusCode());
            assertEquals(401, get(clients.get(1), base, "/me").statusCode());
            assertEquals(401, get(clients.get(2), base, "/me").statusCode());
            if (indexed) {
                assertEquals(1, Json.MAPPER.readTree(get(first, base, "/sessions").body()).get("sessions").size());
            }
            clock.advance(Duration.ofSeconds(1));
            assertEquals("{\"user\":null}", post(first, base, "/logout/everywhere", "").body());
            assertEquals(401, get(first, base, "/me").statusCode());
            HttpClient plain = HttpClient.newHttpClient();
            for (String copy : copies) {
                HttpResponse<String> replayed = plain.send(HttpRequest.newBuilder(base.resolve("/me"))
                        .header("Cookie", "AUTH=" + copy).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(401, replayed.statusCode(), "a copied cookie replayed after sign-out: " + replayed.body());
            }
        }
    }

    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource({"javalin, memory:", "servlet, redis", "undertow, jdbc"})
    @DisplayName("--transport header: a client that never sends cookies increments, logs in, sees itself at /me and "
            + "logs out, and never gets a Set-Cookie")
    void headerTransport(String adapter, String store) throws Exception {
        ExampleConfig config = config(adapter, store, "", "--transport", "header");
        try (Sessions sessions = ExampleSessions.create(config);
             ExampleServer server = ExampleServer.start(config.adapter(), sessions, config.host(), config.port())) {
            HeaderClient client = new HeaderClient(server.baseUri());
            assertEquals("{\"count\":1}", client.send("POST", "/counter/increment", null).body());
            assertTrue(client.tokens.containsKey(ExampleSessions.SESSION_HEADER), client.tokens::toString);
            HttpResponse<String> read = client.send("GET", "/counter", null);
            assertEquals("{\"count\":1}", read.body());
            assertTrue(read.headers().firstValue(ExampleSessions.SESSION_HEADER).isEmpty(), "a read sends no id");
            assertEquals("{\"count\":2}", client.send("POST", "/counter/increment", null).body());
            assertEquals(401, client.send("GET", "/me", null).statusCode());

            assertEquals("{\"user\":\"alice\"}", client.send("POST", "/login", "{\"user\":\"alice\"}").body());
            String auth = client.tokens.get(ExampleSessions.AUTH_HEADER);
            assertTrue(auth != null && !auth.isEmpty(), client.tokens::toString);
            assertEquals("{\"user\":\"alice\"}", client.send("GET", "/me", null).body());

            HttpResponse<String> out = client.send("POST", "/logout", null);
            assertEquals("{\"user\":null}", out.body());
            assertEquals(List.of(""), out.headers().allValues(ExampleSessions.AUTH_HEADER), "logout answers the header empty");
            assertEquals(401, client.send("GET", "/me", null).statusCode());
            assertEquals("{\"count\":2}", client.send("GET", "/counter", null).body());
            assertNotEquals(auth, client.tokens.get(ExampleSessions.AUTH_HEADER));
        }
    }

    /** A client that keeps the two id headers and no cookies; every answer is checked for Set-Cookie. */
    private static final class HeaderClient {
        private final HttpClient http = HttpClient.newHttpClient();
        private final URI base;
        private final Map<String, String> tokens = new LinkedHashMap<>();

        HeaderClient(URI base) {
            this.base = base;
        }

        HttpResponse<String> send(String method, String path, String json) throws Exception {
            HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).method(method,
                    json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
            if (json != null) {
                b.header("Content-Type", "application/json");
            }
            tokens.forEach(b::header);
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            HttpHeaders headers = r.headers();
            assertEquals(List.of(), headers.allValues("Set-Cookie"), () -> method + " " + path + " set a cookie");
            for (String name : List.of(ExampleSessions.SESSION_HEADER, ExampleSessions.AUTH_HEADER)) {
                headers.firstValue(name).ifPresent(v -> {
                    if (v.isEmpty()) {
                        tokens.remove(name);
                    } else {
                        tokens.put(name, v);
                    }
                });
            }
            return r;
        }
    }

    private static int count(JsonNode list, boolean current) {
        int n = 0;
        for (JsonNode e : list) {
            n += e.get("current").asBoolean() == current ? 1 : 0;
        }
        assertFalse(list.toString().contains("alice-"), "no session data in the list");
        return n;
    }

    private static HttpResponse<String> get(HttpClient client, URI base, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(base.resolve(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(HttpClient client, URI base, String path, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
