package dev.cookies;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/** Sends the cookies it holds and keeps what responses set, as a browser would, through the core alone. */
final class FakeBrowser {
    private final Sessions sessions;
    private final Map<String, String> cookies = new LinkedHashMap<>();

    FakeBrowser(Sessions sessions) {
        this.sessions = sessions;
    }

    /** One response: its status and Set-Cookie headers, and what the handler or the commit threw. */
    record Response(int status, List<String> setCookies, FakeExchange exchange, Optional<Throwable> failure) {
        Optional<SetCookie> cookie(String name) {
            return setCookies.stream().map(SetCookie::parse).filter(c -> c.name().equals(name)).findFirst();
        }
    }

    /**
     * Runs a request the way an adapter does: open, handle, commit before the response would, end with
     * the failure if any. A failure the core does not answer is thrown on, as an adapter passes it to
     * its framework.
     */
    Response request(String method, Consumer<OpenSessions> handler) {
        FakeExchange exchange = new FakeExchange(method, cookieHeader().map(c -> new String[] {c}).orElse(new String[0]));
        OpenSessions open = sessions.open(exchange);
        Throwable failure = null;
        try {
            handler.accept(open);
            open.beforeCommit();
            open.end(null);
        } catch (RuntimeException e) {
            failure = e;
            if (!open.end(e)) {
                throw e;
            }
        } finally {
            receive(exchange.setCookies());
        }
        return new Response(exchange.status, exchange.setCookies(), exchange, Optional.ofNullable(failure));
    }

    /** Runs a request that must fail with a failure the core answers, and returns the failure. */
    <T extends Throwable> T fails(Class<T> type, String method, Consumer<OpenSessions> handler) {
        Response r = request(method, handler);
        Throwable f = r.failure().orElseThrow(() -> new AssertionError("the request did not fail: " + r));
        if (!type.isInstance(f)) {
            throw new AssertionError("expected " + type.getSimpleName() + ", got " + f, f);
        }
        return type.cast(f);
    }

    synchronized Optional<String> cookieHeader() {
        return cookies.isEmpty() ? Optional.empty() : Optional.of(cookies.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("; ")));
    }

    synchronized Optional<String> cookie(String name) {
        return Optional.ofNullable(cookies.get(name));
    }

    synchronized void setCookie(String name, String value) {
        cookies.put(name, value);
    }

    private synchronized void receive(List<String> setCookies) {
        for (String header : setCookies) {
            SetCookie c = SetCookie.parse(header);
            if (c.isExpired()) {
                cookies.remove(c.name());
            } else {
                cookies.put(c.name(), c.value());
            }
        }
    }

    /** A parsed Set-Cookie: name, value, attributes by lower-cased name. */
    record SetCookie(String name, String value, Map<String, String> attributes) {
        static SetCookie parse(String header) {
            String[] parts = header.split(";");
            int eq = parts[0].indexOf('=');
            Map<String, String> attributes = new LinkedHashMap<>();
            for (int i = 1; i < parts.length; i++) {
                String p = parts[i].trim();
                int e = p.indexOf('=');
                attributes.put((e < 0 ? p : p.substring(0, e)).toLowerCase(java.util.Locale.ROOT), e < 0 ? "" : p.substring(e + 1));
            }
            return new SetCookie(parts[0].substring(0, eq).trim(), parts[0].substring(eq + 1).trim(), attributes);
        }

        Optional<String> attribute(String name) {
            return Optional.ofNullable(attributes.get(name.toLowerCase(java.util.Locale.ROOT)));
        }

        boolean has(String name) {
            return attributes.containsKey(name.toLowerCase(java.util.Locale.ROOT));
        }

        boolean isExpired() {
            return "0".equals(attributes.get("max-age")) || value.isEmpty();
        }
    }
}
