package dev.cookies.javalin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.cookies.OpenSessions;
import dev.cookies.SessionManager;
import dev.cookies.Sessions;
import dev.cookies.testkit.HttpTestClient;
import dev.cookies.testkit.ReferenceApp;
import dev.cookies.testkit.ReferenceServer;
import io.javalin.http.Context;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The plugin opens a request's sessions once: one mechanism, not a filter plus before-, after- and
 * exception-handlers that each open them again.
 *
 * <p>What it counts: a servlet filter in front of everything (in front of the plugin's
 * {@code SessionFilter}) hands the chain a request that counts reads of the request attribute
 * {@value OpenSessions#ATTRIBUTE}. {@code Sessions.open} reads it exactly once per call, even when the
 * request is already open and it only returns the existing sessions; every lookup of the request's
 * sessions ({@code ctx.with(SessionPlugin.class)}, a guard) reads it once too. So with no guard on the
 * path, the reads made before the endpoint runs are the opens: exactly one. And over the whole request
 * the reads are that open plus the endpoint's own lookup: exactly two, so nothing opens again after the
 * endpoint (an after-handler, a commit step, the end of an asynchronous cycle).
 */
class OpenedOnceTest {

    private static final String COUNTER = "test.attributeReads";

    /** The reads of one request: before its endpoint ran, and in all. */
    private record Reads(int beforeEndpoint, int total) {
    }

    /** Counts the reads of the sessions attribute on one request. */
    private static final class Counter {
        final AtomicInteger reads = new AtomicInteger();
        volatile int beforeEndpoint = -1;

        void endpointStarts() {
            beforeEndpoint = reads.get();
        }

        Reads reads() {
            return new Reads(beforeEndpoint, reads.get());
        }
    }

    private final BlockingQueue<Reads> finished = new LinkedBlockingQueue<>();
    private Sessions sessions;
    private ReferenceServer server;
    private HttpTestClient http;

    @BeforeEach
    void start() {
        sessions = Sessions.of(SessionManager.builder(ReferenceApp.SESSION).store("memory:").build(),
                SessionManager.builder(ReferenceApp.AUTH).store("memory:").build());
        Filter counting = (req, res, chain) -> {
            Counter counter = new Counter();
            req.setAttribute(COUNTER, counter);
            chain.doFilter(new HttpServletRequestWrapper((HttpServletRequest) req) {
                @Override
                public Object getAttribute(String name) {
                    if (OpenSessions.ATTRIBUTE.equals(name)) {
                        counter.reads.incrementAndGet();
                    }
                    return super.getAttribute(name);
                }
            }, res);
            if (req.isAsyncStarted()) {
                req.getAsyncContext().addListener(new AsyncListener() {
                    @Override
                    public void onComplete(AsyncEvent event) {
                        finished.add(counter.reads());
                    }

                    @Override
                    public void onTimeout(AsyncEvent event) {
                    }

                    @Override
                    public void onError(AsyncEvent event) {
                    }

                    @Override
                    public void onStartAsync(AsyncEvent event) {
                    }
                });
            } else {
                finished.add(counter.reads());
            }
        };
        server = JavalinReferenceApp.start(sessions, null, config -> {
            // Added before the plugin starts, so this filter is in front of the plugin's SessionFilter.
            config.jetty.modifyServletContextHandler(handler -> handler.addFilter(new FilterHolder(counting), "/*",
                    EnumSet.of(DispatcherType.REQUEST)));
            config.routes.post("/counted", ctx -> {
                counter(ctx).endpointStarts();
                JavalinReferenceApp.reply(ctx, ReferenceApp.increment(JavalinReferenceApp.session(ctx)));
            });
            config.routes.post("/counted-async", ctx -> {
                counter(ctx).endpointStarts();
                ctx.future(() -> CompletableFuture.supplyAsync(() -> ReferenceApp.increment(JavalinReferenceApp.session(ctx)))
                        .thenAccept(reply -> JavalinReferenceApp.reply(ctx, reply)));
            });
            config.routes.get("/counted-untouched", ctx -> {
                counter(ctx).endpointStarts();
                ctx.result("no session");
            });
        });
        http = new HttpTestClient(server.baseUri());
    }

    @AfterEach
    void stop() {
        server.close();
        sessions.close();
    }

    private static Counter counter(Context ctx) {
        // Not the sessions attribute, so not counted.
        return (Counter) ctx.req().getAttribute(COUNTER);
    }

    private Reads reads(String method, String path, String... cookies) throws InterruptedException {
        HttpTestClient.Response r = http.send(method, path, null, List.of(cookies), HttpTestClient.DEFAULT_TIMEOUT);
        assertEquals(200, r.status(), r::toString);
        Reads reads = finished.poll(30, TimeUnit.SECONDS);
        assertNotNull(reads, "the counting filter never finished");
        return reads;
    }

    @Test
    @DisplayName("a request opens its sessions once: one read before the endpoint, and only the endpoint's own lookup after")
    void openedOnce() throws Exception {
        assertEquals(new Reads(1, 2), reads("POST", "/counted"), "a new session");
        String cookie = "SESSION=" + http.post("/counter/increment", null).cookie("SESSION").value();
        finished.take();
        assertEquals(new Reads(1, 2), reads("POST", "/counted", cookie), "a known session");
        assertEquals(new Reads(1, 2), reads("POST", "/counted-async", cookie), "an asynchronous handler");
        assertEquals(new Reads(1, 1), reads("GET", "/counted-untouched", cookie), "a handler that never touches its session");
    }
}
