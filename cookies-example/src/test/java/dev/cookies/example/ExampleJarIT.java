package dev.cookies.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The README's run command as a user runs it: {@code java -jar cookies-example/target/cookies-example.jar},
 * in its own JVM, which prints its URL and serves the page and the JSON contract.
 */
class ExampleJarIT {

    private static final Pattern URL = Pattern.compile("running at (http://\\S+/)");

    @ParameterizedTest
    @ValueSource(strings = {"javalin", "servlet", "undertow"})
    @DisplayName("the jar prints its URL and serves the page and the contract")
    void jarServes(String adapter) throws Exception {
        Path jar = Path.of("target", "cookies-example.jar");
        assertTrue(Files.isRegularFile(jar), "package the example first: " + jar.toAbsolutePath());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process app = new ProcessBuilder(List.of(java, "-jar", jar.toString(), "--adapter", adapter, "--port", "0"))
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(app.getInputStream(), StandardCharsets.UTF_8));
            String url = CompletableFuture.supplyAsync(() -> {
                try {
                    for (String line = out.readLine(); line != null; line = out.readLine()) {
                        Matcher m = URL.matcher(line);
                        if (m.find()) {
                            return m.group(1);
                        }
                    }
                    return null;
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).get(60, TimeUnit.SECONDS);
            assertTrue(url != null, "the app printed no URL");
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
        } finally {
            app.destroy();
            if (!app.waitFor(20, TimeUnit.SECONDS)) {
                app.destroyForcibly();
            }
        }
    }
}
