package dev.cookies.undertow;

import dev.cookies.spi.CookieJar;
import dev.cookies.spi.RequestContext;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An exchange as the core sees it: raw {@code Cookie} header values (never Undertow's cookie parser,
 * which can throw on hostile headers), and attributes in a map attached to the exchange.
 */
final class ExchangeContext implements RequestContext, CookieJar {

    @SuppressWarnings({"unchecked", "rawtypes"})
    static final AttachmentKey<Map<String, Object>> ATTRIBUTES = (AttachmentKey) AttachmentKey.create(Map.class);

    private final HttpServerExchange exchange;

    ExchangeContext(HttpServerExchange exchange) {
        this.exchange = Objects.requireNonNull(exchange, "exchange");
    }

    static Map<String, Object> attributes(HttpServerExchange exchange) {
        Map<String, Object> map = exchange.getAttachment(ATTRIBUTES);
        if (map == null) {
            map = new ConcurrentHashMap<>();
            exchange.putAttachment(ATTRIBUTES, map);
        }
        return map;
    }

    @Override
    public List<String> cookieHeaders() {
        HeaderValues values = exchange.getRequestHeaders().get(Headers.COOKIE);
        return values == null ? List.of() : new ArrayList<>(values);
    }

    @Override
    public String method() {
        return exchange.getRequestMethod().toString();
    }

    @Override
    public Optional<Object> attribute(String key) {
        Map<String, Object> map = exchange.getAttachment(ATTRIBUTES);
        return map == null ? Optional.empty() : Optional.ofNullable(map.get(key));
    }

    @Override
    public void setAttribute(String key, Object value) {
        if (value == null) {
            attributes(exchange).remove(key);
        } else {
            attributes(exchange).put(key, value);
        }
    }

    @Override
    public void addSetCookie(String headerValue) {
        exchange.getResponseHeaders().add(Headers.SET_COOKIE, headerValue);
    }

    @Override
    public boolean isCommitted() {
        return exchange.isResponseStarted();
    }
}
