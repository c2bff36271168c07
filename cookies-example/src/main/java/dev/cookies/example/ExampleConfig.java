package dev.cookies.example;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The example app's settings, from command-line flags first, then environment variables, then
 * defaults.
 *
 * @param adapter {@code javalin} (default), {@code servlet} or {@code undertow}
 * @param store the store URI for both sessions ({@code --store} or {@code SESSION_STORE}; default {@code memory:})
 * @param mirror a mirror store URI ({@code --mirror} or {@code SESSION_MIRROR}), or {@code ""} for none
 * @param keys cookie-store keys, comma-separated ({@code SESSION_KEYS}), or {@code ""}
 * @param host the address to listen on ({@code --host} or {@code HOST}; default {@code 0.0.0.0}, every interface)
 * @param port the port ({@code --port} or {@code PORT}; default 7070; 0 picks a free port)
 * @since 0.1
 */
public record ExampleConfig(String adapter, String store, String mirror, String keys, String host, int port) {

    /** The usage text printed by {@code --help} and on bad arguments. */
    public static final String USAGE = String.join("\n",
            "usage: java -jar cookies-example.jar [--adapter javalin|servlet|undertow] [--store URI]",
            "                                     [--mirror URI] [--host HOST] [--port PORT]",
            "",
            "  --adapter  the web framework (default javalin)",
            "  --store    the session store URI: memory: (default), redis://host:6379/0, cookie:",
            "             (env SESSION_STORE; the cookie store's keys come from SESSION_KEYS=key1[,key2...])",
            "  --mirror   a server-side store every save is written through to (env SESSION_MIRROR)",
            "  --host     the address to listen on (env HOST, default 0.0.0.0: every interface)",
            "  --port     the port (env PORT, default 7070)");

    /**
     * Checks the settings.
     *
     * @throws IllegalArgumentException with a message for the user
     */
    public ExampleConfig {
        Objects.requireNonNull(adapter, "adapter");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(mirror, "mirror");
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(host, "host");
        adapter = adapter.toLowerCase(Locale.ROOT);
        if (!adapter.equals("javalin") && !adapter.equals("servlet") && !adapter.equals("undertow")) {
            throw new IllegalArgumentException("--adapter must be javalin, servlet or undertow, not '" + adapter + "'");
        }
        if (store.isBlank()) {
            throw new IllegalArgumentException("--store must not be empty");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be between 0 and 65535, not " + port);
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
        String host = null;
        String port = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            if (!name.equals("--adapter") && !name.equals("--store") && !name.equals("--mirror")
                    && !name.equals("--host") && !name.equals("--port")) {
                throw new IllegalArgumentException("unknown argument '" + arg + "'");
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
                case "--host" -> host = value;
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
        return new ExampleConfig(first(adapter, null, "javalin"), first(store, env.get("SESSION_STORE"), "memory:"),
                first(mirror, env.get("SESSION_MIRROR"), ""), Optional.ofNullable(env.get("SESSION_KEYS")).orElse(""),
                first(host, env.get("HOST"), "0.0.0.0"), portNumber);
    }

    private static String first(String flag, String env, String fallback) {
        if (flag != null) {
            return flag;
        }
        return env != null && !env.isBlank() ? env : fallback;
    }
}
