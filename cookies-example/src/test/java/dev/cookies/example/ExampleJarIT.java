package dev.cookies.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cookies.testkit.PostgresExtension;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The README's run command as a user runs it: {@code java -jar cookies-example/target/cookies-example.jar},
 * in its own JVM, which prints its URL and serves the page and the JSON contract; and what the jar
 * holds: the app and the library, never the test kit or JUnit.
 */
class ExampleJarIT {

    @RegisterExtension
    static final PostgresExtension POSTGRES = PostgresExtension.find();

    private static final Pattern URL = Pattern.compile("running at (http://\\S+/)");

    private static final Path JAR = Path.of("target", "cookies-example.jar");

    @Test
    @DisplayName("the jar users run holds the app and the library, and no JUnit, test kit or test classes")
    void jarHoldsNoTestCode() throws Exception {
        assertTrue(Files.isRegularFile(JAR), "package the example first: " + JAR.toAbsolutePath());
        try (JarFile jar = new JarFile(JAR.toFile())) {
            List<String> names = jar.stream().map(ZipEntry::getName).toList();
            assertTrue(names.contains("dev/cookies/example/Main.class"), "the app is in the jar");
            assertTrue(names.contains("dev/cookies/SessionManager.class"), "the core is in the jar");
            for (String forbidden : new String[] {"org/junit/", "org/opentest4j/", "dev/cookies/testkit/",
                    "dev/cookies/example/ContractApp", "dev/cookies/example/Http.class"}) {
                List<String> found = names.stream().filter(n -> n.startsWith(forbidden)).limit(5).toList();
                assertEquals(List.of(), found, "the jar holds " + forbidden);
            }
            assertTrue(names.stream().noneMatch(n -> n.endsWith("Test.class") || n.endsWith("IT.class")),
                    "the jar holds test classes");
        }
    }

    @Test
    @DisplayName("--help names COOKIES_KEYS for the cookie store's keys, and not the old SESSION_KEYS")
    void helpNamesCookiesKeys() throws Exception {
        Process help = new ProcessBuilder(List.of(java(), "-jar", JAR.toString(), "--help")).redirectErrorStream(true).start();
        String out = new String(help.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(help.waitFor(60, TimeUnit.SECONDS), "--help did not exit");
        assertEquals(0, help.exitValue(), out);
        assertTrue(out.contains("COOKIES_KEYS="), out);
        assertFalse(out.contains("SESSION_KEYS"), out);
    }

    @Test
    @DisplayName("the cookie store without COOKIES_KEYS stops at start with a hint naming COOKIES_KEYS")
    void cookieStoreWithoutKeys() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(List.of(java(), "-jar", JAR.toString(), "--store", "cookie:", "--port", "0"))
                .redirectErrorStream(true);
        builder.environment().remove("COOKIES_KEYS");
        Process app = builder.start();
        String out = new String(app.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(app.waitFor(60, TimeUnit.SECONDS), "the app did not exit");
        assertEquals(2, app.exitValue(), out);
        assertTrue(out.contains("COOKIES_KEYS=key1[,key2...]"), out);
    }

    @ParameterizedTest
    @ValueSource(strings = {"javalin", "servlet", "undertow"})
    @DisplayName("the jar prints its URL and serves the page and the contract")
    void jarServes(String adapter) throws Exception {
        serve(List.of("--adapter", adapter, "--port", "0"), Map.of());
    }

    @Test
    @DisplayName("the jar runs the cookie store with its keys from COOKIES_KEYS")
    void jarServesCookieStore() throws Exception {
        serve(List.of("--store", "cookie:", "--port", "0"), Map.of("COOKIES_KEYS", ExampleContract.KEY));
    }

    @Test
    @DisplayName("the jar runs the JDBC store on PostgreSQL (the driver and the store found in the shaded jar), "
            + "and prints its URI without the password")
    void jarServesJdbc() throws Exception {
        String uri = POSTGRES.server().uri() + "&createTable=true&table=example_jar&timeout=10s";
        String password = uri.replaceAll(".*[?&]password=([^&]*).*", "$1");
        assertFalse(password.isEmpty() || password.equals(uri), "the test server's URI has a password");
        String line = serve(List.of("--store", uri, "--port", "0"), Map.of());
        assertFalse(line.contains(password), line);
        assertTrue(line.contains("password=***"), line);
    }

    /** Runs the jar, checks that it serves, and returns the line it printed with its URL. */
    private static String serve(List<String> args, Map<String, String> env) throws Exception {
        assertTrue(Files.isRegularFile(JAR), "package the example first: " + JAR.toAbsolutePath());
        List<String> command = new java.util.ArrayList<>(List.of(java(), "-jar", JAR.toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process app = builder.start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(app.getInputStream(), StandardCharsets.UTF_8));
            String started = CompletableFuture.supplyAsync(() -> {
                try {
                    for (String line = out.readLine(); line != null; line = out.readLine()) {
                        if (URL.matcher(line).find()) {
                            return line;
                        }
                    }
                    return null;
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).get(60, TimeUnit.SECONDS);
            assertTrue(started != null, "the app printed no URL");
            Matcher m = URL.matcher(started);
            assertTrue(m.find(), started);
            String url = m.group(1);
            CompletableFuture.runAsync(() -> out.lines().forEach(line -> { }));
            URI base = URI.create(url);
            HttpClient client = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
            HttpResponse<String> page = client.send(HttpRequest.newBuilder(base).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("id=\"increment\""), page.body());
            HttpResponse<String> inc = client.send(HttpRequest.newBuilder(base.resolve("counter/increment"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals("{\"count\":1}", inc.body());
            assertEquals("{\"count\":1}", client.send(HttpRequest.newBuilder(base.resolve("counter")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            assertEquals(401, client.send(HttpRequest.newBuilder(base.resolve("me")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
            HttpResponse<String> login = client.send(HttpRequest.newBuilder(base.resolve("login"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"user\":\"alice\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals("{\"user\":\"alice\"}", login.body());
            assertEquals("{\"user\":\"alice\"}", client.send(HttpRequest.newBuilder(base.resolve("me")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            return started;
        } finally {
            app.destroy();
            if (!app.waitFor(20, TimeUnit.SECONDS)) {
                app.destroyForcibly();
            }
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
