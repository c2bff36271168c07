package dev.cookies;

import dev.cookies.spi.Exchange;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Refuses state-changing requests that come from another site, without tokens: the browser says where
 * a request comes from ({@code Sec-Fetch-Site}, else {@code Origin}), and a request another site made
 * (a cross-site form, a script on another origin) is answered {@code 403} before the handler runs.
 * This is login CSRF and classic CSRF protection in the manner of Go 1.25's
 * {@code http.CrossOriginProtection} and OWASP's Fetch Metadata resource isolation policy.
 *
 * <pre>{@code
 * CrossSiteGuard guard = CrossSiteGuard.builder()
 *         .trustOrigin("https://admin.example.com")   // another site allowed to post here
 *         .bypass("/webhooks/*")                      // paths other servers call
 *         .build();
 * }</pre>
 *
 * <p>The decision, in order:
 * <ol>
 *   <li>{@code GET}, {@code HEAD} and {@code OPTIONS} pass: they must not change state.</li>
 *   <li>A path matching a bypass pattern passes, and so does a request whose {@code Origin} is
 *       trusted.</li>
 *   <li>With {@code Sec-Fetch-Site} (every current browser sends it): {@code same-origin},
 *       {@code same-site} and {@code none} (the user typed the address) pass; {@code cross-site}, or
 *       anything else, is refused.</li>
 *   <li>Without it (an older browser), a request with an {@code Origin} passes only if the origin's
 *       host and port are the request's {@code Host}; a request with neither header passes, since
 *       browsers send at least one of them with every cross-site state-changing request, so it does
 *       not come from a browser on another site.</li>
 * </ol>
 * Adapters offer it in their framework's idiom (a servlet filter, a Javalin before-handler, an
 * Undertow wrapping handler), all deciding through {@link OpenSessions#checkCrossSite(CrossSiteGuard)}.
 * It complements {@link SameSite} cookies: {@code SameSite=Lax} keeps the session cookie off
 * cross-site posts, but not off a cross-site login that sets a new one, nor off requests from a sibling
 * subdomain that the guard can be told to refuse by trusting nothing.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.2
 */
public final class CrossSiteGuard {

    private final Set<String> trustedOrigins;
    private final List<String> bypass;

    private CrossSiteGuard(Set<String> trustedOrigins, List<String> bypass) {
        this.trustedOrigins = Set.copyOf(trustedOrigins);
        this.bypass = List.copyOf(bypass);
    }

    /**
     * Returns a guard with no trusted origin and no bypass path.
     *
     * @return the guard
     */
    public static CrossSiteGuard defaults() {
        return builder().build();
    }

    /**
     * Starts a guard.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Decides whether a request may go on.
     *
     * @param exchange the request
     * @return {@code true} to let it through
     */
    boolean permits(Exchange exchange) {
        String method = exchange.method().toUpperCase(Locale.ROOT);
        if (method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS")) {
            return true;
        }
        if (bypassed(exchange.path())) {
            return true;
        }
        Optional<String> origin = first(exchange, "Origin");
        if (origin.isPresent() && trustedOrigins.contains(normalize(origin.get()))) {
            return true;
        }
        Optional<String> site = first(exchange, "Sec-Fetch-Site");
        if (site.isPresent()) {
            String s = site.get().trim().toLowerCase(Locale.ROOT);
            return s.equals("same-origin") || s.equals("same-site") || s.equals("none");
        }
        if (origin.isEmpty()) {
            return true;
        }
        Optional<String> host = first(exchange, "Host");
        return host.isPresent() && hostOf(origin.get()).map(h -> h.equalsIgnoreCase(host.get().trim())).orElse(false);
    }

    private boolean bypassed(String path) {
        for (String pattern : bypass) {
            if (pattern.endsWith("/*") ? path.startsWith(pattern.substring(0, pattern.length() - 1))
                    || path.equals(pattern.substring(0, pattern.length() - 2)) : path.equals(pattern)) {
                return true;
            }
        }
        return false;
    }

    private static Optional<String> first(Exchange exchange, String header) {
        List<String> values = exchange.requestHeaders(header);
        return values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** The {@code host[:port]} of an origin, as a {@code Host} header carries it. */
    private static Optional<String> hostOf(String origin) {
        try {
            URI uri = new URI(origin.trim());
            if (uri.getHost() == null) {
                return Optional.empty();
            }
            return Optional.of(uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort());
        } catch (java.net.URISyntaxException e) {
            return Optional.empty();
        }
    }

    private static String normalize(String origin) {
        return origin.trim().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return "CrossSiteGuard[trusted " + trustedOrigins + ", bypass " + bypass + "]";
    }

    /**
     * Builds a {@link CrossSiteGuard}. Each setter checks its value and names the setting in the
     * {@link SessionConfigException} it throws.
     *
     * @since 0.2
     */
    public static final class Builder {
        private final Set<String> trustedOrigins = new LinkedHashSet<>();
        private final List<String> bypass = new ArrayList<>();

        private Builder() {
        }

        /**
         * Trusts an origin: its state-changing requests pass, from whatever site.
         *
         * @param origin {@code scheme://host[:port]}, for example {@code https://admin.example.com}
         * @return this builder
         * @throws SessionConfigException ({@code crossSite.trustedOrigin}) if it is not such an origin
         */
        public Builder trustOrigin(String origin) {
            Objects.requireNonNull(origin, "origin");
            URI uri;
            try {
                uri = new URI(origin);
            } catch (java.net.URISyntaxException e) {
                throw SessionConfigException.of("crossSite.trustedOrigin", "'" + origin + "' is not an origin");
            }
            if (uri.getScheme() == null || uri.getHost() == null || (uri.getPath() != null && !uri.getPath().isEmpty())
                    || uri.getQuery() != null || uri.getFragment() != null || uri.getUserInfo() != null) {
                throw SessionConfigException.of("crossSite.trustedOrigin", "'" + origin
                        + "' is not an origin: use scheme://host[:port], with no path, for example https://app.example.com");
            }
            trustedOrigins.add(normalize(origin));
            return this;
        }

        /**
         * Lets requests to a path through without a check, for callers that are not browsers (a webhook).
         *
         * @param pattern an exact path such as {@code /webhooks/stripe}, or a prefix ending in
         *     {@code /*} such as {@code /webhooks/*} (which also matches {@code /webhooks})
         * @return this builder
         * @throws SessionConfigException ({@code crossSite.bypass}) if it does not start with {@code /}
         *     or has a {@code *} other than a trailing {@code /*}
         */
        public Builder bypass(String pattern) {
            Objects.requireNonNull(pattern, "pattern");
            String stem = pattern.endsWith("/*") ? pattern.substring(0, pattern.length() - 2) : pattern;
            if (!pattern.startsWith("/") || stem.contains("*")) {
                throw SessionConfigException.of("crossSite.bypass", "'" + pattern
                        + "' is not a path pattern: an exact path starting with /, or a prefix ending in /*");
            }
            bypass.add(pattern);
            return this;
        }

        /**
         * Returns the guard.
         *
         * @return the guard
         */
        public CrossSiteGuard build() {
            return new CrossSiteGuard(trustedOrigins, bypass);
        }
    }
}
