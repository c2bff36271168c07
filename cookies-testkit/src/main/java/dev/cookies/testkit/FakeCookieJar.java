package dev.cookies.testkit;

import dev.cookies.spi.CookieJar;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An in-memory {@link CookieJar} that records the {@code Set-Cookie} headers it is given.
 *
 * @since 0.1
 */
public final class FakeCookieJar implements CookieJar {
    private final List<String> headers = new CopyOnWriteArrayList<>();
    private volatile boolean committed;

    @Override
    public void addSetCookie(String headerValue) {
        if (committed) {
            throw new IllegalStateException("response already committed");
        }
        headers.add(headerValue);
    }

    @Override
    public boolean isCommitted() {
        return committed;
    }

    /** Marks the response as committed, as a flushed body would. */
    public void commitResponse() {
        committed = true;
    }

    /**
     * Returns the headers added so far.
     *
     * @return the {@code Set-Cookie} header values
     */
    public List<String> setCookies() {
        return List.copyOf(headers);
    }
}
