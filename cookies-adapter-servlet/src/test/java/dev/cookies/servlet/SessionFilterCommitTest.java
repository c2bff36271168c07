package dev.cookies.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cookies.LockPolicy;
import dev.cookies.OpenSessions;
import dev.cookies.SessionManager;
import dev.cookies.SessionUnavailableException;
import dev.cookies.Sessions;
import dev.cookies.testkit.DeadStores;
import dev.cookies.testkit.HttpTestClient;
import dev.cookies.testkit.ReferenceApp;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.ServletResponseWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Every way a servlet response can commit, each with a session written just before: the
 * {@code Set-Cookie} must make it out, and the data must be there on the next request.
 */
class SessionFilterCommitTest {

    private static final String RETURNED = "test.dispatchReturned";
    private static final int BIG = 256 * 1024;

    private Sessions sessions;
    private JettyApp app;
    private HttpTestClient http;

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
        if (sessions != null) {
            sessions.close();
        }
    }

    private void start(Consumer<SessionManager.Builder> store, Routes routes) throws Exception {
        sessions = Sessions.of(manager(ReferenceApp.SESSION, store), manager(ReferenceApp.AUTH, store));
        Filter afterFilterReturns = (req, res, chain) -> {
            chain.doFilter(req, res);
            if (req.getAttribute(RETURNED) instanceof CountDownLatch latch) {
                latch.countDown(); // the SessionFilter below has returned by now
            }
        };
        app = JettyApp.start(context -> {
            context.addFilter(new FilterHolder(afterFilterReturns), "/*", EnumSet.of(DispatcherType.REQUEST));
            context.addFilter(new FilterHolder(new SessionFilter(sessions)), "/*",
                    EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC));
            context.addServlet(new ServletHolder(routes.on("/counter",
                    (q, r) -> ServletReferenceApp.reply(r, ReferenceApp.counter(Routes.session(q))))), "/*");
        });
        http = new HttpTestClient(app.baseUri());
    }

    private void start(Routes routes) throws Exception {
        start(b -> b.store("memory:"), routes);
    }

    private static SessionManager manager(String name, Consumer<SessionManager.Builder> store) {
        SessionManager.Builder b = SessionManager.builder(name).lockPolicy(LockPolicy.OFF);
        store.accept(b);
        return b.build();
    }

    /** Posts to a path with no cookie; checks the new session's cookie came back and holds count 1. */
    private HttpTestClient.Response postAndCheckCookie(String path, int status) {
        HttpTestClient.Response r = http.post(path, null);
        assertEquals(status, r.status(), r::toString);
        String value = r.cookie("SESSION").value();
        assertFalse(value.isEmpty(), r::toString);
        assertEquals("{\"count\":1}", http.get("/counter", "SESSION=" + value).body());
        return r;
    }

    @Nested
    @DisplayName("the session is committed before the response commits through")
    class CommitPaths {

        @Test
        @DisplayName("flushBuffer()")
        void flushBuffer() throws Exception {
            start(new Routes().on("/t", (q, r) -> {
                Routes.increment(q);
                r.flushBuffer();
                r.getWriter().write("after the flush");
            }));
            assertEquals("after the flush", postAndCheckCookie("/t", 200).body());
        }

        @Test
        @DisplayName("a flushed writer, even when its first output is println()")
        void flushedWriter() throws Exception {
            start(new Routes().on("/t", (q, r) -> {
                Routes.increment(q);
                PrintWriter w = r.getWriter();
                w.println();
                w.flush();
                w.print("rest");
            }));
            assertEquals(System.lineSeparator() + "rest", postAndCheckCookie("/t", 200).body());
        }

        @Test
        @DisplayName("a flushed output stream")
        void flushedStream() throws Exception {
            start(new Routes().on("/t", (q, r) -> {
                Routes.increment(q);
                r.getOutputStream().write("streamed".getBytes(StandardCharsets.US_ASCII));
                r.getOutputStream().flush();
            }));
            assertEquals("streamed", postAndCheckCookie("/t", 200).body());
        }

        // Jetty 12 ee10 implements Servlet 6.0: the 6.1 overloads sendRedirect(location, status[, clearBuffer])
        // are overridden by the adapter but cannot run here.
        @Test
        @DisplayName("sendRedirect(location)")
        void redirect() throws Exception {
            start(new Routes().on("/t", (q, r) -> {
                Routes.increment(q);
                r.sendRedirect("/counter");
            }));
            HttpTestClient.Response r = postAndCheckCookie("/t", 302);
            assertTrue(r.header("Location").orElse("").endsWith("/counter"), r::toString);
        }

        @Test
        @DisplayName("sendError(status, message)")
        void sendErrorWithMessage() throws Exception {
            start(new Routes().on("/t", (q, r) -> {
                Routes.increment(q);
                r.sendError(422, "no thanks");
            }));
            postAndCheckCookie("/t", 422);
        }

        @Test
        @DisplayName("a writer body larger than the response buffer, never flushed")
        void bigWriterBody() throws Exception {
            start(new Routes().on("/t", (q, r) -> {
                r.setBufferSize(1024);
                Routes.increment(q);
                PrintWriter w = r.getWriter();
                char[] chunk = "abcdefgh".toCharArray();
                for (int i = 0; i < BIG / 8; i++) {
                    w.write(chunk);
                }
            }));
            assertEquals(BIG, postAndCheckCookie("/t", 200).body().length());
        }

        @Test
        @DisplayName("an output-stream body larger than the response buffer, in one write")
        void bigStreamBody() throws Exception {
            start(new Routes().on("/t", (q, r) -> {
                r.setBufferSize(1024);
                Routes.increment(q);
                r.getOutputStream().write("y".repeat(BIG).getBytes(StandardCharsets.US_ASCII));
            }));
            assertEquals(BIG, postAndCheckCookie("/t", 200).body().length());
        }

        @Test
        @DisplayName("reset() after the body started keeps the session cookie")
        void resetKeepsCookie() throws Exception {
            start(new Routes().on("/t", (q, r) -> {
                Routes.increment(q);
                r.getWriter().write("discarded");
                r.reset();
                r.setContentType("text/plain");
                r.getOutputStream().write("kept".getBytes(StandardCharsets.US_ASCII));
            }));
            assertEquals("kept", postAndCheckCookie("/t", 200).body());
        }
    }

    @Nested
    @DisplayName("asynchronous requests")
    class Async {

        @Test
        @DisplayName("the filter does not commit while async is started; complete() without a body commits")
        void completeWithoutBody() throws Exception {
            start(new Routes().on("/t", (q, r) -> {
                CountDownLatch returned = new CountDownLatch(1);
                q.setAttribute(RETURNED, returned);
                AsyncContext async = q.startAsync();
                async.start(() -> {
                    try {
                        if (!returned.await(10, TimeUnit.SECONDS)) {
                            throw new IllegalStateException("the request dispatch never returned");
                        }
                        Routes.increment(q); // after the filter's own doFilter has returned
                        ((HttpServletResponse) async.getResponse()).setStatus(202);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        async.complete();
                    }
                });
            }));
            postAndCheckCookie("/t", 202);
        }

        @Test
        @DisplayName("a body written from another thread through the AsyncContext's response")
        void asyncBody() throws Exception {
            start(new Routes().on("/t", (q, r) -> {
                AsyncContext async = q.startAsync();
                async.start(() -> {
                    try {
                        Routes.increment(q);
                        async.getResponse().getWriter().write("async body");
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    } finally {
                        async.complete();
                    }
                });
            }));
            assertEquals("async body", postAndCheckCookie("/t", 200).body());
        }

        @Test
        @DisplayName("dispatch() to a handler that writes the session and no body")
        void dispatch() throws Exception {
            start(new Routes()
                    .on("/t", (q, r) -> {
                        AsyncContext async = q.startAsync();
                        async.start(() -> async.dispatch("/dispatched"));
                    })
                    .on("/dispatched", (q, r) -> {
                        assertEquals(DispatcherType.ASYNC, q.getDispatcherType());
                        Routes.increment(q);
                        r.setStatus(204);
                    }));
            postAndCheckCookie("/t", 204);
        }

        @Test
        @DisplayName("a cycle that times out: the container's timeout answer carries the cookie")
        void timeout() throws Exception {
            start(new Routes().on("/t", (q, r) -> {
                Routes.increment(q);
                q.startAsync().setTimeout(100);
            }));
            postAndCheckCookie("/t", 500);
        }

        @Test
        @DisplayName("complete() with the store down answers 503, completes, and throws the failure to its caller")
        void completeWithStoreDown() throws Exception {
            CompletableFuture<Throwable> thrown = new CompletableFuture<>();
            start(b -> b.store(DeadStores.deadRedisUri().orElseThrow()), new Routes().on("/t", (q, r) -> {
                AsyncContext async = q.startAsync();
                async.start(() -> {
                    Routes.session(q).put("count", 1); // unlocked: saved at commit, which fails
                    try {
                        async.complete();
                        thrown.complete(null);
                    } catch (RuntimeException e) {
                        thrown.complete(e);
                    }
                });
            }));
            HttpTestClient.Response r = http.post("/t", null);
            assertEquals(503, r.status(), r::toString);
            assertEquals(OpenSessions.UNAVAILABLE_BODY, r.body());
            assertTrue(thrown.get(10, TimeUnit.SECONDS) instanceof SessionUnavailableException, () -> "threw " + thrown);
        }
    }

    @Nested
    @DisplayName("failures")
    class Failures {

        @Test
        @DisplayName("the store failing when the body starts gives 503, not a half-written 200")
        void storeDownAtFirstWrite() throws Exception {
            start(b -> b.store(DeadStores.deadRedisUri().orElseThrow()), new Routes().on("/t", (q, r) -> {
                Routes.session(q).put("count", 1);
                r.getWriter().write("never sent");
            }));
            HttpTestClient.Response r = http.post("/t", null);
            assertEquals(503, r.status(), r::toString);
            assertEquals(OpenSessions.UNAVAILABLE_BODY, r.body());
            assertEquals(OpenSessions.JSON, r.mediaType());
        }

        @Test
        @DisplayName("the store failing at the first byte of a stream gives 503 without the discarded body's Content-Encoding")
        void storeDownAtFirstStreamByte() throws Exception {
            start(b -> b.store(DeadStores.deadRedisUri().orElseThrow()), new Routes().on("/t", (q, r) -> {
                Routes.session(q).put("count", 1);
                r.setHeader("Content-Encoding", "gzip");
                r.getOutputStream().write(new byte[] {31, -117, 8});
            }));
            HttpTestClient.Response r = http.post("/t", null);
            assertEquals(503, r.status(), r::toString);
            assertEquals(OpenSessions.UNAVAILABLE_BODY, r.body());
            assertTrue(r.header("Content-Encoding").isEmpty(), r::toString);
        }

        @Test
        @DisplayName("the store failing at the end of the chain gives 503")
        void storeDownAtEnd() throws Exception {
            start(b -> b.store(DeadStores.deadRedisUri().orElseThrow()), new Routes().on("/t", (q, r) -> {
                Routes.session(q).put("count", 1);
                r.setStatus(204);
            }));
            HttpTestClient.Response r = http.post("/t", null);
            assertEquals(503, r.status(), r::toString);
            assertEquals(OpenSessions.UNAVAILABLE_BODY, r.body());
        }

        @Test
        @DisplayName("writing the session after the body started fails clearly instead of losing the write")
        void writeAfterBody() throws Exception {
            start(new Routes().on("/t", (q, r) -> {
                r.getWriter().write("started;");
                try {
                    Routes.increment(q);
                    r.getWriter().write("no error");
                } catch (IllegalStateException e) {
                    r.getWriter().write(e.getMessage());
                }
            }));
            HttpTestClient.Response r = http.post("/t", null);
            assertEquals(200, r.status());
            assertTrue(r.body().startsWith("started;") && r.body().contains("already committed"), r::toString);
        }

        @Test
        @DisplayName("a handler that commits the unwrapped response itself: body intact, data saved")
        void handlerCommitsExistingSession() throws Exception {
            start(new Routes().on("/t", (q, r) -> {
                Routes.session(q).put("count", 41); // unlocked, applied at the filter's commit
                HttpServletResponse raw = (HttpServletResponse) ((ServletResponseWrapper) r).getResponse();
                raw.getWriter().write("bypassed");
                raw.flushBuffer();
            }).on("/increment", (q, r) -> ServletReferenceApp.reply(r, ReferenceApp.increment(Routes.session(q)))));
            String cookie = "SESSION=" + http.post("/increment", null).cookie("SESSION").value();
            HttpTestClient.Response r = http.post("/t", null, cookie);
            assertEquals(200, r.status());
            assertEquals("bypassed", r.body());
            assertEquals("{\"count\":41}", http.get("/counter", cookie).body());
        }

        @Test
        @DisplayName("a handler that commits the unwrapped response of a new session: body intact, a clear error logged")
        void handlerCommitsNewSession() throws Exception {
            start(new Routes().on("/t", (q, r) -> {
                Routes.increment(q);
                HttpServletResponse raw = (HttpServletResponse) ((ServletResponseWrapper) r).getResponse();
                raw.getWriter().write("bypassed");
                raw.flushBuffer();
            }));
            String log = captureErr(() -> {
                HttpTestClient.Response r = http.post("/t", null);
                assertEquals(200, r.status());
                assertEquals("bypassed", r.body());
                assertFalse(r.setsCookie("SESSION"), r::toString);
            });
            assertTrue(log.contains("committed before its sessions") && log.contains("[SESSION] could not be sent"), log);
        }
    }

    private static String captureErr(Runnable action) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
