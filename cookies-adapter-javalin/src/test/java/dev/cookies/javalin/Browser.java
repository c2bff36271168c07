package dev.cookies.javalin;

import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.cookies.testkit.HttpTestClient;
import dev.cookies.testkit.SetCookie;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A client that keeps its cookies as a browser does and checks that no response ever sets a
 * {@code JSESSIONID}: with the HttpSession bridge on, the container's session handler is never reached.
 */
final class Browser {

    private final HttpTestClient http;
    private final Map<String, String> cookies = new LinkedHashMap<>();

    Browser(URI base) {
        this.http = new HttpTestClient(base);
    }

    /** A second browser holding this one's cookies, as a second tab would. */
    Browser copy(URI base) {
        Browser b = new Browser(base);
        synchronized (this) {
            b.cookies.putAll(cookies);
        }
        return b;
    }

    HttpTestClient.Response get(String path) {
        return send("GET", path);
    }

    HttpTestClient.Response post(String path) {
        return send("POST", path);
    }

    HttpTestClient.Response send(String method, String path) {
        String header;
        synchronized (this) {
            header = cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("; "));
        }
        HttpTestClient.Response r = header.isEmpty() ? http.send(method, path, null, java.util.List.of(), HttpTestClient.DEFAULT_TIMEOUT)
                : http.send(method, path, null, java.util.List.of(header), HttpTestClient.DEFAULT_TIMEOUT);
        assertNoJsessionid(r);
        synchronized (this) {
            for (SetCookie c : r.setCookies()) {
                if (c.attribute("Max-Age").map("0"::equals).orElse(false)) {
                    cookies.remove(c.name());
                } else {
                    cookies.put(c.name(), c.value());
                }
            }
        }
        return r;
    }

    synchronized String cookie(String name) {
        return cookies.get(name);
    }

    synchronized void cookie(String name, String value) {
        cookies.put(name, value);
    }

    static void assertNoJsessionid(HttpTestClient.Response r) {
        for (String h : r.headers("Set-Cookie")) {
            assertFalse(h.toUpperCase(java.util.Locale.ROOT).startsWith("JSESSIONID"), () -> "a JSESSIONID was issued: " + r);
        }
    }
}
