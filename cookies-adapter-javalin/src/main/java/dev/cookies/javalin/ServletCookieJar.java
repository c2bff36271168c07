package dev.cookies.javalin;

import dev.cookies.spi.CookieJar;
import jakarta.servlet.http.HttpServletResponse;

/** Adds the core's {@code Set-Cookie} values as raw headers; no servlet or Javalin cookie class. */
final class ServletCookieJar implements CookieJar {

    private final HttpServletResponse response;

    ServletCookieJar(HttpServletResponse response) {
        this.response = response;
    }

    @Override
    public void addSetCookie(String headerValue) {
        response.addHeader("Set-Cookie", headerValue);
    }

    @Override
    public boolean isCommitted() {
        return response.isCommitted();
    }
}
