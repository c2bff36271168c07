package dev.cookies;

import dev.cookies.spi.SessionStore;
import dev.cookies.spi.SessionStoreProvider;
import dev.cookies.spi.StoreContext;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the store provider for a URI scheme through {@link ServiceLoader}, in the manner of SLF4J's
 * provider lookup: the core's own class loader, a broken provider skipped with a warning, and clear
 * diagnostics when none or several serve the scheme. Unlike SLF4J there is no silent fallback: losing
 * sessions quietly is worse than failing at start-up.
 */
final class StoreRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(StoreRegistry.class);

    /** The modules of this project, by the schemes they serve, for the "add this module" hint. */
    static final Map<String, String> KNOWN_MODULES = Map.of(
            "memory", "cookies-store-memory",
            "redis", "cookies-store-redis",
            "rediss", "cookies-store-redis",
            "redis-sentinel", "cookies-store-redis",
            "redis-cluster", "cookies-store-redis",
            "cookie", "cookies-store-cookie",
            "jdbc", "cookies-store-jdbc");

    private StoreRegistry() {
    }

    /**
     * Creates a store from a URI.
     *
     * @param setting the builder setting the URI came from, for error messages
     * @param uri the URI text
     * @param clock the manager's clock
     * @param settings explicit configuration
     * @param loader where to look for providers
     * @return a new store
     * @throws SessionConfigException if the URI is malformed or no single provider serves its scheme
     */
    static SessionStore create(String setting, String uri, Clock clock, Map<String, String> settings,
                                      ClassLoader loader) {
        java.util.regex.Matcher schemeMatch = SCHEME.matcher(uri);
        if (!schemeMatch.lookingAt()) {
            throw SessionConfigException.of(setting, "'" + redact(uri)
                    + "' has no scheme; use for example memory:, redis://host:6379/0 or cookie:");
        }
        String scheme = schemeMatch.group(1).toLowerCase(Locale.ROOT);
        URI parsed;
        try {
            parsed = parse(uri);
        } catch (URISyntaxException e) {
            // Some stores have their own syntax (host lists with IPv6 addresses); they read text().
            try {
                parsed = new URI(schemeMatch.group(1), uri.substring(schemeMatch.end()), null);
            } catch (URISyntaxException again) {
                throw SessionConfigException.of(setting, "'" + redact(uri) + "' is not a valid URI: " + e.getReason());
            }
        }
        Found found = providers(loader);
        Map<String, List<SessionStoreProvider>> byScheme = found.byScheme();
        List<SessionStoreProvider> candidates = byScheme.getOrDefault(scheme, List.of());
        if (candidates.isEmpty() && found.refused().containsKey(scheme)) {
            throw SessionConfigException.of(setting, "the session store provider for scheme '" + scheme + "' cannot "
                    + "be used: " + found.refused().get(scheme));
        }
        if (candidates.isEmpty()) {
            String module = KNOWN_MODULES.get(scheme);
            String hint = module != null
                    ? "add the module dev.cookies:" + module + " to the classpath"
                    : "no module of this project serves it";
            throw SessionConfigException.of(setting, "no session store provider for scheme '" + scheme + "': " + hint
                    + ". Schemes found: " + (byScheme.isEmpty() ? "(none)" : String.join(", ", new TreeSet<>(byScheme.keySet()))));
        }
        if (candidates.size() > 1) {
            List<String> names = new ArrayList<>();
            for (SessionStoreProvider p : candidates) {
                names.add(p.getClass().getName());
            }
            throw SessionConfigException.of(setting, "several session store providers serve scheme '" + scheme + "': "
                    + String.join(", ", names) + ". Keep one on the classpath, or pass a store instance to store(SessionStore)");
        }
        return candidates.get(0).create(StoreContext.of(uri, parsed, clock, settings));
    }

    /** Parses a store URI; a scheme alone ({@code memory:}, {@code cookie:?x=1}) becomes {@code memory:/}. */
    static URI parse(String uri) throws URISyntaxException {
        java.util.regex.Matcher m = SCHEME_ONLY.matcher(uri);
        if (m.matches()) {
            return new URI(m.group(1) + ":/" + (m.group(2) == null ? "" : m.group(2)));
        }
        return new URI(uri);
    }

    private static final java.util.regex.Pattern SCHEME = java.util.regex.Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*):");

    private static final java.util.regex.Pattern SCHEME_ONLY =
            java.util.regex.Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*):(?://)?(\\?.*)?");

    /** The SPI versions this core can serve: a provider built for another is refused. */
    static final Set<Integer> SERVED_VERSIONS = Set.of(SessionStoreProvider.API_VERSION);

    /**
     * The providers found: usable ones by scheme, and, by scheme, why the others were refused.
     *
     * @param byScheme usable providers, sorted by scheme
     * @param refused for each scheme served only by refused providers, the reason
     */
    record Found(Map<String, List<SessionStoreProvider>> byScheme, Map<String, String> refused) {
    }

    /**
     * Lists providers by scheme, refusing those built for an SPI version this core cannot serve.
     *
     * @param loader where to look
     * @return the providers found
     */
    static Found providers(ClassLoader loader) {
        Map<String, List<SessionStoreProvider>> byScheme = new TreeMap<>();
        Map<String, String> refused = new TreeMap<>();
        Iterator<SessionStoreProvider> it = ServiceLoader.load(SessionStoreProvider.class, loader).iterator();
        while (true) {
            SessionStoreProvider provider;
            try {
                if (!it.hasNext()) {
                    break;
                }
                provider = it.next();
            } catch (ServiceConfigurationError e) {
                LOG.warn("A session store provider could not be loaded and is ignored: {}", e.getMessage());
                continue;
            }
            String why = refusal(provider);
            for (String scheme : provider.schemes()) {
                String key = scheme.toLowerCase(Locale.ROOT);
                if (why == null) {
                    byScheme.computeIfAbsent(key, k -> new ArrayList<>()).add(provider);
                } else {
                    refused.put(key, why);
                }
            }
            if (why != null) {
                LOG.warn("Session store provider ignored: {}", why);
            }
        }
        refused.keySet().removeAll(byScheme.keySet());
        return new Found(byScheme, refused);
    }

    /** Returns why a provider cannot be served, or {@code null} if it can. */
    static String refusal(SessionStoreProvider provider) {
        int version;
        try {
            version = provider.apiVersion();
        } catch (AbstractMethodError olderThanVersions) {
            version = 1; // built before providers stated their version: the first SPI
        }
        if (SERVED_VERSIONS.contains(version)) {
            return null;
        }
        return provider.getClass().getName() + " in " + origin(provider.getClass()) + " was built for store SPI version "
                + version + ", and this core (dev.cookies) serves version " + SessionStoreProvider.API_VERSION
                + "; use that module in the version of the core";
    }

    /** Names the module a class comes from: its module name, else its jar or directory. */
    static String origin(Class<?> type) {
        Module module = type.getModule();
        if (module.isNamed()) {
            return "module " + module.getName();
        }
        java.security.CodeSource source = type.getProtectionDomain().getCodeSource();
        return source == null || source.getLocation() == null ? "an unnamed module"
                : "the unnamed module loaded from " + source.getLocation();
    }

    /** Removes credentials from a URI for messages. */
    static String redact(String uri) {
        return uri.replaceAll("(//)[^?#]*@", "$1***@")
                .replaceAll("(?i)([?&;](?:password|pass|pwd|secret|token|key)=)[^&;#]*", "$1***");
    }
}
