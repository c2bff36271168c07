package dev.cookies.undertow;

import dev.cookies.testkit.HttpTestClient;
import dev.cookies.testkit.SetCookie;
import java.net.URI;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A client that keeps cookies as a browser does (each {@code Set-Cookie} replaces or, expired, removes
 * its cookie) and remembers the name of every cookie any response set. Copies share nothing, so two
 * copies are two tabs sending the same cookies.
 */
final class Browser {

    private final HttpTestClient http;
    private final Map<String, String> jar;
    private final Set<String> everSet;

    Browser(URI base) {
        this(new HttpTestClient(base), new LinkedHashMap<>(), new TreeSet<>());
    }

    private Browser(HttpTestClient http, Map<String, String> jar, Set<String> everSet) {
        this.http = http;
        this.jar = jar;
        this.everSet = everSet;
    }

    /** Another tab: the same cookies now, its own afterwards; cookie names set are remembered in both. */
    synchronized Browser tab() {
        return new Browser(http, new LinkedHashMap<>(jar), everSet);
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
            List<String> pairs = new ArrayList<>();
            jar.forEach((k, v) -> pairs.add(k + "=" + v));
            header = String.join("; ", pairs);
        }
        HttpTestClient.Response r = http.send(method, path, null, header.isEmpty() ? List.of() : List.of(header),
                HttpTestClient.DEFAULT_TIMEOUT);
        synchronized (this) {
            for (SetCookie c : r.setCookies()) {
                synchronized (everSet) {
                    everSet.add(c.name());
                }
                if (expired(c)) {
                    jar.remove(c.name());
                } else {
                    jar.put(c.name(), c.value());
                }
            }
        }
        return r;
    }

    /** Whether a cookie is deleted: by {@code Max-Age}, or (as Undertow's own session cookie is) by a past {@code Expires}. */
    private static boolean expired(SetCookie c) {
        if (c.isExpired()) {
            return true;
        }
        Optional<String> expires = c.attribute("Expires");
        if (expires.isEmpty()) {
            return false;
        }
        for (String pattern : List.of("EEE, dd MMM yyyy HH:mm:ss zzz", "EEE, dd-MMM-yyyy HH:mm:ss zzz")) {
            try {
                return ZonedDateTime.parse(expires.get(), DateTimeFormatter.ofPattern(pattern, Locale.ROOT)).toInstant()
                        .isBefore(Instant.now());
            } catch (DateTimeParseException tryNext) {
                // the other form
            }
        }
        return false;
    }

    synchronized String cookie(String name) {
        return jar.get(name);
    }

    synchronized void cookie(String name, String value) {
        jar.put(name, value);
    }

    /** The names of all cookies any response to this browser (or its tabs) set. */
    Set<String> cookiesEverSet() {
        synchronized (everSet) {
            return Set.copyOf(everSet);
        }
    }
}
