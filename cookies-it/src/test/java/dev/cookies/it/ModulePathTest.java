package dev.cookies.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A black box: the application in {@code src/it-app} is compiled and run on the module path, as a user
 * of the jars would, with plain {@code requires} clauses (no {@code --add-modules}, no class path). It
 * serves over Jetty with the servlet adapter and the memory store, which it never names: the core's
 * {@code uses} clause finds it from the URI {@code memory:}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ModulePathTest {

    @TempDir
    static Path work;

    private static String modulePath;

    /** The library's modules and their dependencies, from this test's class path; not JUnit's. */
    @BeforeAll
    static void compileTheApplication() throws IOException {
        List<String> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String name = Path.of(entry).getFileName().toString();
            boolean testOnly = name.startsWith("junit-") || name.startsWith("opentest4j") || name.startsWith("apiguardian")
                    || name.startsWith("surefire") || name.startsWith("common-") || name.equals("test-classes");
            if (!testOnly) {
                entries.add(entry);
            }
        }
        Path out = work.resolve("app");
        List<String> sources;
        try (Stream<Path> files = Files.walk(Path.of("src/it-app"))) {
            sources = files.filter(f -> f.toString().endsWith(".java")).map(Path::toString).collect(Collectors.toList());
        }
        List<String> args = new ArrayList<>(List.of("--release", "17", "-d", out.toString(),
                "--module-source-path", "src/it-app", "--module-path", String.join(File.pathSeparator, entries)));
        args.addAll(sources);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertEquals(0, javac.run(null, null, null, args.toArray(new String[0])), "the application does not compile on the module path");
        entries.add(out.resolve("it.app").toString());
        entries.add(out.resolve("it.oldstore").toString());
        modulePath = String.join(File.pathSeparator, entries);
    }

    private static Process run(String mode) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "--module-path", modulePath, "--module", "it.app/it.app.Main", mode)
                .redirectErrorStream(true).start();
    }

    @Test
    @DisplayName("an application with plain requires serves sessions on the module path: a locked counter, a login with a record user")
    void serves() throws Exception {
        Process app = run("serve");
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(app.getInputStream(), StandardCharsets.UTF_8));
            List<String> seen = new ArrayList<>();
            String line;
            int port = -1;
            while ((line = out.readLine()) != null) {
                seen.add(line);
                if (line.startsWith("PORT ")) {
                    port = Integer.parseInt(line.substring(5).trim());
                    break;
                }
            }
            assertTrue(port > 0, "the application did not start:\n" + String.join("\n", seen));
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            URI base = URI.create("http://127.0.0.1:" + port);

            HttpResponse<String> first = client.send(HttpRequest.newBuilder(base.resolve("/increment"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals("{\"count\":1}", first.body());
            String session = cookie(first, "SESSION");
            HttpResponse<String> second = client.send(HttpRequest.newBuilder(base.resolve("/increment")).header("Cookie", session)
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals("{\"count\":2}", second.body());

            HttpResponse<String> login = client.send(HttpRequest.newBuilder(base.resolve("/login"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, login.statusCode(), login.body());
            HttpResponse<String> me = client.send(HttpRequest.newBuilder(base.resolve("/me")).header("Cookie", cookie(login, "AUTH"))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals("{\"user\":\"alice\",\"since\":\"2026-11-30T00:00:00Z\"}", me.body());
        } finally {
            app.destroy();
            app.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    @DisplayName("a store provider built for another SPI version is refused, the message naming its module")
    void oldProviderRefused() throws Exception {
        Process app = run("old");
        String output = new String(app.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(app.waitFor(60, TimeUnit.SECONDS));
        assertTrue(output.contains("REFUSED store store: the session store provider for scheme 'old' cannot be used: "
                + "it.oldstore.OldProvider in module it.oldstore was built for store SPI version 1"), output);
    }

    private static String cookie(HttpResponse<?> response, String name) {
        return response.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(name + "="))
                .map(c -> c.substring(0, c.indexOf(';'))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " cookie in " + response.headers()));
    }
}
