package dev.cookies.servlet;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.util.function.Supplier;

/**
 * The request handlers see, for asynchronous requests: {@code startAsync()} keeps the
 * session-committing {@link SessionResponse} (the no-argument form would give the container's own),
 * the {@link AsyncContext} it returns commits the sessions before {@code complete()}, and a listener
 * commits them before a timeout or error is answered and ends the request when the cycle completes.
 * Its session methods are the {@link BridgeRequest}'s.
 */
final class SessionRequest extends BridgeRequest implements AsyncListener {

    private final SessionResponse response;

    SessionRequest(HttpServletRequest request, SessionResponse response, Supplier<BridgeState> bridge) {
        super(request, bridge);
        this.response = response;
    }

    @Override
    public AsyncContext startAsync() {
        return startAsync(this, response);
    }

    @Override
    public AsyncContext startAsync(ServletRequest request, ServletResponse servletResponse) {
        AsyncContext context = super.startAsync(request, servletResponse);
        context.addListener(this);
        return new Completing(context);
    }

    @Override
    public AsyncContext getAsyncContext() {
        return new Completing(super.getAsyncContext());
    }

    @Override
    public void onComplete(AsyncEvent event) {
        response.open.end(null);
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        response.open.beforeCommit();
    }

    @Override
    public void onError(AsyncEvent event) {
        response.open.beforeCommit();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // a new cycle: startAsync adds this listener again
    }

    /** Delegates, committing the sessions before {@link #complete()}. */
    private final class Completing implements AsyncContext {
        private final AsyncContext context;

        Completing(AsyncContext context) {
            this.context = context;
        }

        @Override
        public void complete() {
            try {
                response.open.beforeCommit();
            } finally {
                context.complete();
            }
        }

        @Override
        public ServletRequest getRequest() {
            return context.getRequest();
        }

        @Override
        public ServletResponse getResponse() {
            return context.getResponse();
        }

        @Override
        public boolean hasOriginalRequestAndResponse() {
            return context.hasOriginalRequestAndResponse();
        }

        @Override
        public void dispatch() {
            context.dispatch();
        }

        @Override
        public void dispatch(String path) {
            context.dispatch(path);
        }

        @Override
        public void dispatch(ServletContext servletContext, String path) {
            context.dispatch(servletContext, path);
        }

        @Override
        public void start(Runnable run) {
            context.start(run);
        }

        @Override
        public void addListener(AsyncListener listener) {
            context.addListener(listener);
        }

        @Override
        public void addListener(AsyncListener listener, ServletRequest request, ServletResponse servletResponse) {
            context.addListener(listener, request, servletResponse);
        }

        @Override
        public <T extends AsyncListener> T createListener(Class<T> type) throws ServletException {
            return context.createListener(type);
        }

        @Override
        public void setTimeout(long timeout) {
            context.setTimeout(timeout);
        }

        @Override
        public long getTimeout() {
            return context.getTimeout();
        }
    }
}
