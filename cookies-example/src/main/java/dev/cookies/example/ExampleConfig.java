package dev.cookies.example;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The example app's settings, from command-line flags first, then environment variables, then
 * defaults.
 *
 * @param adapter {@code javalin} (default), {@code servlet} or {@code undertow}
 * @param store the store URI for both sessions ({@code --store} or {@code SESSION_STORE}; default
 *     {@code memory:}): {@code memory:}, {@code redis://...}, {@code cookie:} or {@code jdbc:postgresql://...}
 * @param mirror a mirror store URI ({@code --mirror} or {@code SESSION_MIRROR}), or {@code ""} for none
 * @param revocations where the cookie store keeps its users' "signed out everywhere" times
 *     ({@code --revocations} or {@code SESSION_REVOCATIONS}): a server-side store URI; default
 *     {@code memory:} with the cookie store, {@code ""} (none) with any other, which needs none
 * @param transport how the session ids travel ({@code --transport} or {@code SESSION_TRANSPORT}):
 *     {@code cookie} (default) or {@code header} ({@code X-Session-Token} and {@code X-Auth-Token}, for
 *     API clients; server-side stores only)
 * @param keys the cookie store's keys, comma-separated ({@code COOKIES_KEYS}, the name the cookie store
 *     itself reads), or {@code ""}; never a flag, so that keys do not show in the process list
 * @param host the address to listen on ({@code --host} or {@code HOST}; default {@code 0.0.0.0}, every interface)
 * @param port the port ({@code --port} or {@code PORT}; default 7070; 0 picks a free port)
 * @param maxBodyBytes the largest {@code POST /login} body ({@code --max-body-bytes} or {@code MAX_BODY_BYTES};
 *     default 64 KiB); see {@link LoginRequest.Limits#of(int)} for what raising it raises with it
 * @since 0.1
 */
public record ExampleConfig(String adapter, String store, String mirror, String revocations, String transport,
        String keys, String host, int port, int maxBodyBytes) {

    /** The environment variable holding the cookie store's keys. */
    public static final String KEYS_ENV = "COOKIES_KEYS";

    /** The store setting the keys are given to the session managers under. */
    static final String KEYS_SETTING = "cookies.keys";

    private static final Set<String> FLAGS = Set.of("--adapter", "--store", "--mirror", "--revocations", "--transport",
            "--host", "--port", "--max-body-bytes");

    /** A query or H2 setting whose value is a secret: {@code password=}, {@code sslpassword=}, {@code PASSWORD=}, ... */
    private static final Pattern SECRET_PARAMETER =
            Pattern.compile("(?i)([?&;][^=&;#?]*(?:password|passwd|pwd|secret|token|key)[^=&;#?]*=)[^&;#]*");

    /** The largest {@code --max-body-bytes}: a session holding the user twice stays far below the core's 8 MiB of JSON. */
    static final int MAX_BODY_BYTES_LIMIT = 4 << 20;

    /** The usage text printed by {@code --help} and on bad arguments. */
    public static final String USAGE = String.join("\n",
            "usage: java -jar cookies-example.jar [--adapter javalin|servlet|undertow] [--store URI]",
            "                                     [--mirror URI] [--revocations URI] [--transport cookie|header]",
            "                                     [--host HOST] [--port PORT] [--max-body-bytes N]",
            "",
            "  --adapter      the web framework (default javalin)",
            "  --store        the session store URI: memory: (default), redis://host:6379/0, cookie:,",
            "                 jdbc:postgresql://host:5432/db?user=app&createTable=true (env SESSION_STORE)",
            "  --mirror       a server-side store every save is written through to (env SESSION_MIRROR)",
            "  --revocations  with the cookie store: the server-side store that remembers who signed out",
            "                 everywhere (env SESSION_REVOCATIONS, default memory:, lost on restart)",
            "  --transport    cookie (default) or header: the ids in X-Session-Token and X-Auth-Token",
            "                 instead of cookies, for API clients; server-side stores only (env SESSION_TRANSPORT)",
            "  --host         the address to listen on (env HOST, default 0.0.0.0: every interface)",
            "  --port         the port (env PORT, default 7070)",
            "  --max-body-bytes",
            "                 the largest login body, in bytes or with k or m (env MAX_BODY_BYTES, default",
            "                 64k, at most 4m). Above 64k the user may fill the body (else 1 KiB of JSON),",
            "                 and the auth session may hold twice the body plus 64k; not with cookie:",
            "",
            "The cookie store's keys come from the environment only: " + KEYS_ENV + "=key1[,key2...],",
            "the first seals, all open. Print a new key with",
            "  java -cp cookies-example.jar dev.cookies.store.cookie.KeyGen",
            "A database password comes from COOKIES_JDBC_PASSWORD rather than the URI.");

    /**
     * Checks the settings.
     *
     * @throws IllegalArgumentException with a message for the user
     * @throws NullPointerException if a setting is null
     */
    public ExampleConfig {
        Objects.requireNonNull(adapter, "adapter");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(mirror, "mirror");
        Objects.requireNonNull(revocations, "revocations");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(host, "host");
        adapter = adapter.toLowerCase(Locale.ROOT);
        if (!adapter.equals("javalin") && !adapter.equals("servlet") && !adapter.equals("undertow")) {
            throw new IllegalArgumentException("--adapter must be javalin, servlet or undertow, not '" + adapter + "'");
        }
        transport = transport.toLowerCase(Locale.ROOT);
        if (!transport.equals("cookie") && !transport.equals("header")) {
            throw new IllegalArgumentException("--transport must be cookie or header, not '" + transport + "'");
        }
        if (store.isBlank()) {
            throw new IllegalArgumentException("--store must not be empty");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be between 0 and 65535, not " + port);
        }
        if (maxBodyBytes < 1024 || maxBodyBytes > MAX_BODY_BYTES_LIMIT) {
            throw new IllegalArgumentException("--max-body-bytes must be between 1k and 4m, not " + maxBodyBytes);
        }
        if (maxBodyBytes > LoginRequest.MAX_BODY_BYTES && isCookieStore(store)) {
            throw new IllegalArgumentException("--max-body-bytes above 64k needs a server-side store: the cookie store"
                    + " keeps the session in a cookie of at most 4096 bytes");
        }
    }

    /**
     * Reads flags and environment.
     *
     * @param args the command line
     * @param env the environment
     * @return the settings
     * @throws IllegalArgumentException for an unknown flag, a flag without a value or a bad value
     */
    public static ExampleConfig parse(String[] args, Map<String, String> env) {
        String adapter = null;
        String store = null;
        String mirror = null;
        String revocations = null;
        String transport = null;
        String host = null;
        String port = null;
        String maxBodyBytes = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            if (!FLAGS.contains(name)) {
                // Only the name: a mistyped flag's value may be a URI with a password.
                throw new IllegalArgumentException("unknown argument '" + redact(name) + "'");
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(name + " needs a value");
                }
                value = args[++i];
            }
            switch (name) {
                case "--adapter" -> adapter = value;
                case "--store" -> store = value;
                case "--mirror" -> mirror = value;
                case "--revocations" -> revocations = value;
                case "--transport" -> transport = value;
                case "--host" -> host = value;
                case "--max-body-bytes" -> maxBodyBytes = value;
                default -> port = value;
            }
        }
        String portText = first(port, env.get("PORT"), "7070");
        int portNumber;
        try {
            portNumber = Integer.parseInt(portText.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--port must be a number, not '" + portText + "'");
        }
        String storeUri = first(store, env.get("SESSION_STORE"), "memory:");
        // The cookie store keeps nothing on the server, so sign out everywhere needs somewhere to note
        // who signed out when; no other store wants one (the core refuses it).
        String revoked = first(revocations, env.get("SESSION_REVOCATIONS"), isCookieStore(storeUri) ? "memory:" : "");
        return new ExampleConfig(first(adapter, null, "javalin"), storeUri, first(mirror, env.get("SESSION_MIRROR"), ""),
                revoked, first(transport, env.get("SESSION_TRANSPORT"), "cookie"), first(null, env.get(KEYS_ENV), ""),
                first(host, env.get("HOST"), "0.0.0.0"), portNumber,
                bytes(first(maxBodyBytes, env.get("MAX_BODY_BYTES"), "64k")));
    }


    /** Parses {@code 1048576}, {@code 1024k} or {@code 1m} (binary units, any case), as the memory store's {@code maximumBytes} does. */
    private static int bytes(String value) {
        String text = value.trim().toLowerCase(Locale.ROOT);
        int shift = text.endsWith("k") ? 10 : text.endsWith("m") ? 20 : text.endsWith("g") ? 30 : 0;
        String digits = shift == 0 ? text : text.substring(0, text.length() - 1);
        if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("--max-body-bytes must be a number of bytes, optionally followed by k"
                    + " or m (for example 1m), not '" + value + "'");
        }
        long number = digits.length() > 9 ? Long.MAX_VALUE : Long.parseLong(digits) << shift;
        if (number < 1024 || number > MAX_BODY_BYTES_LIMIT) {
            throw new IllegalArgumentException("--max-body-bytes must be between 1k and 4m, not '" + value + "'");
        }
        return (int) number;
    }

    /**
     * Returns whether the id travels in headers rather than cookies.
     *
     * @return {@code true} for {@code --transport header}
     */
    public boolean headerTransport() {
        return transport.equals("header");
    }

    /**
     * Returns a store URI fit to print: the password in its user information replaced by {@code ***}
     * ({@code redis://app:secret@host:6379} gives {@code redis://app:***@host:6379}, and
     * {@code redis://secret@host} gives {@code redis://***@host}), and so is the value of every query
     * parameter or H2 setting that names a secret ({@code ?user=app&password=secret} gives
     * {@code ?user=app&password=***}; also {@code sslpassword}, {@code token}, {@code key}, ...).
     *
     * @param uri a store URI
     * @return the URI without its password
     */
    public static String redact(String uri) {
        return SECRET_PARAMETER.matcher(redactUserInfo(uri)).replaceAll("$1***");
    }

    private static String redactUserInfo(String uri) {
        int start = uri.indexOf("://");
        if (start < 0) {
            return uri;
        }
        start += 3;
        // Up to the query, not the path: a password with an unencoded '/' must not slip through.
        int end = start;
        while (end < uri.length() && "?#".indexOf(uri.charAt(end)) < 0) {
            end++;
        }
        int at = uri.lastIndexOf('@', end - 1);
        if (at < start) {
            return uri;
        }
        int colon = uri.indexOf(':', start);
        // redis://secret@host is a password alone, as Redis clients have long written it.
        String user = colon >= 0 && colon < at ? uri.substring(start, colon + 1) : "";
        return uri.substring(0, start) + user + "***" + uri.substring(at);
    }

    /** Whether a store URI names the cookie store, which keeps its sessions in the cookie. */
    static boolean isCookieStore(String uri) {
        return uri.regionMatches(true, 0, "cookie:", 0, "cookie:".length());
    }

    /** The login limits {@link #maxBodyBytes()} gives: see {@link LoginRequest.Limits#of(int)}. */
    LoginRequest.Limits loginLimits() {
        return LoginRequest.Limits.of(maxBodyBytes);
    }

    /** Shows the settings without secrets: store URIs redacted, keys only counted. */
    @Override
    public String toString() {
        return "ExampleConfig[adapter=" + adapter + ", store=" + redact(store) + ", mirror=" + redact(mirror)
                + ", revocations=" + redact(revocations) + ", transport=" + transport
                + ", keys=" + (keys.isEmpty() ? "none" : keys.split(",").length + " given") + ", host=" + host
                + ", port=" + port + ", maxBodyBytes=" + maxBodyBytes + "]";
    }

    private static String first(String flag, String env, String fallback) {
        if (flag != null) {
            return flag;
        }
        return env != null && !env.isBlank() ? env : fallback;
    }
}
