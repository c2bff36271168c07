package dev.cookies;

/**
 * The {@code SameSite} attribute of a session cookie.
 *
 * @since 0.1
 */
public enum SameSite {
    /** Sent only with same-site requests. */
    STRICT("Strict"),
    /** Sent with same-site requests and top-level cross-site navigations. The default. */
    LAX("Lax"),
    /** Sent with every request; requires {@code Secure}. */
    NONE("None");

    private final String attribute;

    SameSite(String attribute) {
        this.attribute = attribute;
    }

    /**
     * Returns the attribute value as written in a {@code Set-Cookie} header.
     *
     * @return {@code "Strict"}, {@code "Lax"} or {@code "None"}
     */
    public String attributeValue() {
        return attribute;
    }
}
