package dev.cookies.store.jdbc;

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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed store URI: a JDBC URL whose query also carries the store's own parameters and, optionally,
 * the credentials. The store's parameters and the credentials are taken out; every other query
 * parameter stays in the URL handed to the driver ({@code sslmode}, {@code ApplicationName}, ...).
 * Parsing names the part at fault; the password never appears in a message or in
 * {@link #description}.
 */
final class JdbcUri {

    /** The query parameters this store understands, in the order the documentation lists them. */
    static final List<String> PARAMETERS = List.of("table", "createTable", "timeout", "connectTimeout",
            "queryTimeout", "lockLease", "slideSlack", "poolSize", "cleanup", "cleanupInterval", "cleanupBatch");

    final Database database;
    /** The URL for the driver: without this store's parameters and without the credentials. */
    final String driverUrl;
    /** The driver's own query parameters left in {@link #driverUrl}, by name. */
    final List<String> driverParameters;
    final String user;
    final String password;
    /** This store's parameters, as written. */
    final Map<String, String> parameters;
    final String description;

    private JdbcUri(Database database, String driverUrl, List<String> driverParameters, String user, String password,
                    Map<String, String> parameters, String description) {
        this.database = database;
        this.driverUrl = driverUrl;
        this.driverParameters = List.copyOf(driverParameters);
        this.user = user;
        this.password = password;
        this.parameters = parameters;
        this.description = description;
    }

    /** Parses a URI given as text; the text is never echoed whole, as it may hold a password. */
    static JdbcUri parse(String text) {
        String t = text.trim();
        if (!t.regionMatches(true, 0, "jdbc:", 0, 5)) {
            throw SessionConfigException.of("uri", "'" + describe(t) + "' is not a JDBC URL; write for example"
                    + " jdbc:postgresql://localhost:5432/app or jdbc:h2:mem:sessions;DB_CLOSE_DELAY=-1");
        }
        Database database = Database.ofUrl(t);
        if (database == null) {
            throw SessionConfigException.of("uri", "'" + describe(t) + "': this store speaks jdbc:postgresql: and"
                    + " jdbc:h2: only (MySQL and MariaDB cannot read a session and slide its expiry in one statement)");
        }
        int q = t.indexOf('?');
        String base = q < 0 ? t : t.substring(0, q);
        String query = q < 0 ? "" : t.substring(q + 1);
        int hash = query.indexOf('#');
        if (hash >= 0) {
            query = query.substring(0, hash);
        }
        String rest = base.substring(("jdbc:" + database.subprotocol() + ":").length());
        if (rest.isEmpty() || rest.equals("//") || rest.equals("///")) {
            throw SessionConfigException.of("uri", "'" + describe(t) + "' names no database; write for example "
                    + (database == Database.H2 ? "jdbc:h2:mem:sessions;DB_CLOSE_DELAY=-1" : "jdbc:postgresql://localhost:5432/app"));
        }
        String user = null;
        String password = null;
        Map<String, String> ours = new LinkedHashMap<>();
        List<String> kept = new ArrayList<>();
        List<String> keptNames = new ArrayList<>();
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            if (PARAMETERS.contains(key)) {
                ours.put(key, value);
            } else if (key.equals("user")) {
                user = value.isEmpty() ? null : value;
            } else if (key.equals("password")) {
                password = value.isEmpty() ? null : value;
            } else if (database == Database.H2) {
                throw SessionConfigException.of("uri", "unknown parameter '" + key + "'; this store's are "
                        + String.join(", ", PARAMETERS) + ", and H2's own settings go after ';' (jdbc:h2:mem:x;DB_CLOSE_DELAY=-1)");
            } else {
                kept.add(pair);
                keptNames.add(key);
            }
        }
        String driverUrl = kept.isEmpty() ? base : base + "?" + String.join("&", kept);
        return new JdbcUri(database, driverUrl, keptNames, user, password, ours, describe(base));
    }

    /**
     * The URL as shown in messages: up to its query or its first H2 setting, and never anything
     * between {@code //} and {@code @}.
     */
    static String describe(String url) {
        String s = url;
        int cut = s.length();
        for (char c : new char[] {'?', ';', '#'}) {
            int i = s.indexOf(c);
            if (i >= 0 && i < cut) {
                cut = i;
            }
        }
        s = s.substring(0, cut);
        return s.replaceAll("(//)[^/@]*@", "$1***@");
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw SessionConfigException.of("uri", "bad percent-encoding in the URI");
        }
    }

    private static final Pattern DURATION = Pattern.compile("(\\d{1,12})(ms|s|m|h)");

    /**
     * Parses a duration parameter: {@code 500ms}, {@code 2s}, {@code 1m}, {@code 1h} or ISO-8601
     * ({@code PT2S}). A bare number is refused: the PostgreSQL driver's parameters of similar names
     * count seconds, this store's would count milliseconds, and a guess either way is a bug waiting.
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
        long n = Long.parseLong(m.group(1));
        switch (m.group(2)) {
            case "h":
                return Duration.ofHours(n);
            case "m":
                return Duration.ofMinutes(n);
            case "s":
                return Duration.ofSeconds(n);
            default:
                return Duration.ofMillis(n);
        }
    }

    private static SessionConfigException badDuration(String setting, String text) {
        return SessionConfigException.of(setting, "'" + text + "' is not a duration; write it with its unit, for"
                + " example 500ms, 2s, 1m, 1h, or ISO-8601 such as PT2S");
    }

    static int integer(String setting, String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw SessionConfigException.of(setting, "'" + text + "' is not a whole number");
        }
    }

    static boolean bool(String setting, String text) {
        String v = text.trim().toLowerCase(Locale.ROOT);
        if (v.equals("true")) {
            return true;
        }
        if (v.equals("false")) {
            return false;
        }
        throw SessionConfigException.of(setting, "must be true or false, was '" + text + "'");
    }
}
