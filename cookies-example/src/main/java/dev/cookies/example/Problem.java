package dev.cookies.example;

/**
 * What the app refuses to do, and how it says so: a status and a short message, answered on every
 * adapter as {@code {"error": "message"}}. Messages are fixed text: they never repeat the client's
 * input or an exception's message, so an answer cannot leak session values or stack traces.
 */
enum Problem {
    /** Login accepts JSON only, so a cross-site HTML form (text/plain, urlencoded) cannot log anyone in. */
    UNSUPPORTED_MEDIA_TYPE(415, "send the body as Content-Type: application/json"),
    /** Over the body limit: 64 KiB unless {@code --max-body-bytes} changed it. */
    BODY_TOO_LARGE(413, "the body is too large"),
    BODY_UNREADABLE(400, "the body could not be read"),
    NOT_JSON(400, "the body is not valid JSON"),
    NOT_AN_OBJECT(400, "the body must be a JSON object"),
    USER_REQUIRED(400, "user is required"),
    /** Over the user limit: 1 KiB of JSON unless {@code --max-body-bytes} raised it. */
    USER_TOO_LONG(400, "user is too long"),
    BAD_REMEMBER_ME(400, "rememberMe must be true or false"),
    BAD_RESET(400, "reset must be true or false"),
    BAD_DURATION(400, "durationSeconds must be a whole number from 1 to " + LoginRequest.MAX_DURATION_SECONDS),
    /** The core refused the user: nested deeper, or a number longer, than a session can read back. */
    USER_NOT_STORABLE(400, "user cannot be kept in a session: it is nested too deep or a value is too long"),
    /** The store keeps no index of sessions by user (the cookie store): nothing to list. */
    SESSIONS_NOT_LISTED(501, "this session store cannot list a user's sessions"),
    /**
     * The store keeps no index of sessions by user and, for the cookie store, no revocation store is
     * set: there is no way to end the user's other sessions.
     */
    SIGN_OUT_EVERYWHERE_UNSUPPORTED(501, "this session store cannot sign a user out everywhere"),
    NOT_FOUND(404, "not found"),
    METHOD_NOT_ALLOWED(405, "method not allowed"),
    SERVER_ERROR(500, "internal server error");

    private final int status;
    private final String message;

    Problem(int status, String message) {
        this.status = status;
        this.message = message;
    }

    int status() {
        return status;
    }

    String message() {
        return message;
    }

    /** The answer's body: {@code {"error": "message"}}. */
    String body() {
        return Json.object("error", message);
    }

    /** The exception that stops a handler and makes the adapter's error mapping answer this problem. */
    ProblemException exception() {
        return new ProblemException(this);
    }

    /**
     * The body for a status a framework decided on its own (Jetty refusing a malformed request, a
     * test route's native 409): the status's name, never the framework's message.
     */
    static String bodyFor(int status) {
        String name = switch (status) {
            case 400 -> "bad request";
            case 404 -> NOT_FOUND.message;
            case 405 -> METHOD_NOT_ALLOWED.message;
            case 408 -> "request timeout";
            case 409 -> "conflict";
            case 413 -> "request too large";
            case 414 -> "URI too long";
            case 415 -> "unsupported media type";
            case 431 -> "request headers too large";
            case 500 -> SERVER_ERROR.message;
            case 501 -> "not implemented";
            case 503 -> "service unavailable";
            default -> status < 500 ? "request refused" : "server error";
        };
        return Json.object("error", name);
    }
}
