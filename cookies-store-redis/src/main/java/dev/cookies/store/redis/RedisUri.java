package dev.cookies.store.redis;

import dev.cookies.SessionConfigException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import redis.clients.jedis.HostAndPort;

/**
 * A parsed store URI: where Redis is, how to log in, and the store's parameters. Parsing checks every
 * part and names the part at fault; the password never appears in a message.
 */
final class RedisUri {

    enum Kind { STANDALONE, SENTINEL, CLUSTER }

    static final Set<String> SCHEMES = Set.of("redis", "rediss", "redis-sentinel", "redis-cluster");

    /** The query parameters this store understands, in the order the documentation lists them. */
    static final List<String> PARAMETERS = List.of("prefix", "timeout", "connectTimeout", "readTimeout",
            "lockLease", "lockKeepAlive", "poolSize", "clientName", "maxSessionLifetime", "expiryEvents", "ssl", "master");

    final Kind kind;
    final String scheme;
    final List<HostAndPort> nodes;
    final boolean ssl;
    final String user;
    final String password;
    final int database;
    final String master;
    final Map<String, String> parameters;

    private RedisUri(Kind kind, String scheme, List<HostAndPort> nodes, boolean ssl, String user, String password,
                     int database, String master, Map<String, String> parameters) {
        this.kind = kind;
        this.scheme = scheme;
        this.nodes = List.copyOf(nodes);
        this.ssl = ssl;
        this.user = user;
        this.password = password;
        this.database = database;
        this.master = master;
        this.parameters = parameters;
    }

    /**
     * Splits a URI into scheme, authority, path and query by hand: {@code java.net.URI} refuses a host
     * list with an IPv6 address ({@code redis-cluster://[::1]:7000,[::1]:7001}).
     */
    private static final Pattern SHAPE = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*)://([^/?#]*)([^?#]*)(?:\\?([^#]*))?(?:#.*)?");

    /** Parses a URI given as text; the text is never echoed whole, as it may hold a password. */
    static RedisUri parse(String text) {
        Matcher shape = SHAPE.matcher(text.trim());
        if (!shape.matches()) {
            throw SessionConfigException.of("uri", "'" + redact(text) + "' is not a Redis URI; write for example"
                    + " redis://localhost:6379/0");
        }
        String scheme = shape.group(1).toLowerCase(Locale.ROOT);
        Kind kind;
        switch (scheme) {
            case "redis":
            case "rediss":
                kind = Kind.STANDALONE;
                break;
            case "redis-sentinel":
                kind = Kind.SENTINEL;
                break;
            case "redis-cluster":
                kind = Kind.CLUSTER;
                break;
            default:
                throw SessionConfigException.of("uri", "scheme '" + scheme + "' is not one of redis, rediss, "
                        + "redis-sentinel, redis-cluster");
        }
        String authority = shape.group(2);
        if (authority.isEmpty()) {
            throw SessionConfigException.of("uri", "no host in " + redact(text)
                    + "; write for example redis://localhost:6379/0");
        }
        String rawPath = shape.group(3);
        String rawQuery = shape.group(4);
        String user = null;
        String password = null;
        int at = authority.lastIndexOf('@');
        String hosts = authority;
        if (at >= 0) {
            String info = authority.substring(0, at);
            hosts = authority.substring(at + 1);
            int colon = info.indexOf(':');
            if (colon < 0) {
                // redis://secret@host is how Redis clients have long written a password without a user.
                password = decode(info);
            } else {
                user = decode(info.substring(0, colon));
                password = decode(info.substring(colon + 1));
            }
            if (user != null && user.isEmpty()) {
                user = null;
            }
            if (password != null && password.isEmpty()) {
                password = null;
            }
        }
        int defaultPort = kind == Kind.SENTINEL ? 26379 : 6379;
        List<HostAndPort> nodes = new ArrayList<>();
        for (String hp : hosts.split(",", -1)) {
            nodes.add(hostAndPort(hp, defaultPort, kind));
        }
        if (kind == Kind.STANDALONE && nodes.size() > 1) {
            throw SessionConfigException.of("uri", scheme + ":// takes one host; use redis-cluster:// or "
                    + "redis-sentinel:// for several");
        }
        Map<String, String> params = query(rawQuery);
        for (String key : params.keySet()) {
            if (!PARAMETERS.contains(key)) {
                throw SessionConfigException.of("uri", "unknown parameter '" + key + "'; known: "
                        + String.join(", ", PARAMETERS));
            }
        }
        int database = database(rawPath, kind);
        boolean ssl = scheme.equals("rediss");
        if (params.containsKey("ssl")) {
            String v = params.get("ssl").toLowerCase(Locale.ROOT);
            if (!v.equals("true") && !v.equals("false")) {
                throw SessionConfigException.of("ssl", "must be true or false, was '" + params.get("ssl") + "'");
            }
            if (scheme.equals("rediss") && v.equals("false")) {
                throw SessionConfigException.of("ssl", "rediss:// always uses TLS; use redis:// for a plain connection");
            }
            ssl = ssl || v.equals("true");
        }
        String master = params.get("master");
        if (kind == Kind.SENTINEL && (master == null || master.isEmpty())) {
            throw SessionConfigException.of("master", "redis-sentinel:// needs the monitored master's name, "
                    + "for example redis-sentinel://s1:26379,s2:26379/0?master=mymaster");
        }
        if (kind != Kind.SENTINEL && master != null) {
            throw SessionConfigException.of("master", "only redis-sentinel:// takes a master name");
        }
        return new RedisUri(kind, scheme, nodes, ssl, user, password, database, master, params);
    }

    private static HostAndPort hostAndPort(String text, int defaultPort, Kind kind) {
        if (text.isEmpty()) {
            throw SessionConfigException.of("uri", "empty host in the host list");
        }
        String host;
        String port = null;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw SessionConfigException.of("uri", "unclosed '[' in host '" + text + "'");
            }
            host = text.substring(1, close);
            String rest = text.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw SessionConfigException.of("uri", "bad host '" + text + "'");
                }
                port = rest.substring(1);
            }
        } else {
            int colon = text.indexOf(':');
            host = colon < 0 ? text : text.substring(0, colon);
            port = colon < 0 ? null : text.substring(colon + 1);
        }
        if (host.isEmpty()) {
            throw SessionConfigException.of("uri", "empty host in '" + text + "'");
        }
        int p = defaultPort;
        if (port != null) {
            try {
                p = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                p = -1;
            }
            if (p < 1 || p > 65535) {
                throw SessionConfigException.of("uri", "port '" + port + "' of host '" + host + "' is not 1 to 65535");
            }
        }
        return new HostAndPort(host, p);
    }

    private static int database(String rawPath, Kind kind) {
        if (rawPath == null || rawPath.isEmpty() || rawPath.equals("/")) {
            return 0;
        }
        String db = rawPath.substring(1);
        int n;
        try {
            n = Integer.parseInt(db);
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 0) {
            throw SessionConfigException.of("uri", "database '" + db + "' is not a number 0 or greater");
        }
        if (kind == Kind.CLUSTER && n != 0) {
            throw SessionConfigException.of("uri", "Redis Cluster has only database 0, the URI asks for " + n);
        }
        return n;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> params = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            params.put(key, value);
        }
        return params;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw SessionConfigException.of("uri", "bad percent-encoding in the URI");
        }
    }

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)?");

    /**
     * Parses a duration parameter: {@code 500ms}, {@code 2s}, {@code 1m}, {@code 12h}, {@code 30d}, a bare
     * number of milliseconds, or ISO-8601 ({@code PT2S}).
     */
    static Duration duration(String setting, String text) {
        String t = text.trim();
        if (t.startsWith("P") || t.startsWith("p")) {
            try {
                return Duration.parse(t);
            } catch (DateTimeParseException e) {
                throw badDuration(setting, text);
            }
        }
        Matcher m = DURATION.matcher(t);
        if (!m.matches()) {
            throw badDuration(setting, text);
        }
        long n;
        try {
            n = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw badDuration(setting, text);
        }
        String unit = m.group(2) == null ? "ms" : m.group(2);
        switch (unit) {
            case "s":
                return Duration.ofSeconds(n);
            case "m":
                return Duration.ofMinutes(n);
            case "h":
                return Duration.ofHours(n);
            case "d":
                return Duration.ofDays(n);
            default:
                return Duration.ofMillis(n);
        }
    }

    private static SessionConfigException badDuration(String setting, String text) {
        return SessionConfigException.of(setting, "'" + text + "' is not a duration; write for example 500ms, 2s, 1m,"
                + " 12h, 30d, 2000 (milliseconds) or PT2S");
    }

    static boolean bool(String setting, String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (!t.equals("true") && !t.equals("false")) {
            throw SessionConfigException.of(setting, "must be true or false, was '" + text + "'");
        }
        return t.equals("true");
    }

    static int integer(String setting, String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw SessionConfigException.of(setting, "'" + text + "' is not a whole number");
        }
    }

    /** The URI as shown in messages: scheme, hosts and database, never the user or password. */
    String description() {
        StringBuilder b = new StringBuilder(scheme).append("://");
        for (int i = 0; i < nodes.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            HostAndPort n = nodes.get(i);
            b.append(n.getHost().contains(":") ? "[" + n.getHost() + "]" : n.getHost()).append(':').append(n.getPort());
        }
        if (kind != Kind.CLUSTER) {
            b.append('/').append(database);
        }
        if (kind == Kind.SENTINEL) {
            b.append("?master=").append(master);
        }
        return b.toString();
    }

    /** Removes everything between {@code //} and {@code @}, where a password would be. */
    static String redact(String uri) {
        return uri.replaceAll("(//)[^/@]*@", "$1***@");
    }
}
