package dev.cookies.servlet;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The request handlers see. Its only job is asynchronous requests: {@code startAsync()} keeps the
 * session-committing response (instead of the original one the no-argument form would give), and the
 * {@link AsyncContext} it returns commits the sessions before {@code complete()}. A body written
 * asynchronously commits them through the response, and an {@code ASYNC} dispatch through the
 * filter, mapped for that dispatcher type.
 */
final class SessionRequest extends HttpServletRequestWrapper {

    private final SessionResponse response;
    private final HttpServletResponse original;
    private AsyncContext raw;
    private AsyncContext wrapped;

    SessionRequest(HttpServletRequest request, SessionResponse response, HttpServletResponse original) {
        super(request);
        this.response = response;
        this.original = original;
    }

    @Override
    public AsyncContext startAsync() {
        return startAsync(this, response);
    }

    @Override
    public AsyncContext startAsync(ServletRequest request, ServletResponse servletResponse) {
        AsyncContext context = super.startAsync(request, servletResponse);
        if (context != raw) {
            raw = context;
            wrapped = new SessionAsyncContext(context);
        }
        context.addListener(new LateCommit());
        return wrapped;
    }

    @Override
    public AsyncContext getAsyncContext() {
        AsyncContext context = super.getAsyncContext();
        return context == raw ? wrapped : context;
    }

    /** Commits sessions the async cycle did not, when it is over: saves what can be saved, and logs. */
    private final class LateCommit implements AsyncListener {
        @Override
        public void onComplete(AsyncEvent event) {
            SessionFilter.commitLate(response);
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
    }

    /** Delegates, committing the sessions before {@link #complete()}. */
    private final class SessionAsyncContext implements AsyncContext {
        private final AsyncContext context;

        SessionAsyncContext(AsyncContext context) {
            this.context = context;
        }

        @Override
        public void complete() {
            try {
                SessionFilter.commitOrAnswer(response, original);
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
