package dev.cookies.servlet;

import dev.cookies.OpenSessions;
import dev.cookies.spi.CookieJar;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The response handlers write to. It commits the request's sessions before anything that can commit
 * the response: the first byte or flush of the body (so a body larger than the buffer cannot slip
 * past), {@code flushBuffer}, {@code sendRedirect} and {@code sendError}.
 * After that the session cannot change any more on this request: a write to it fails with the core's
 * {@link IllegalStateException}, never silently.
 */
final class SessionResponse extends HttpServletResponseWrapper implements CookieJar {

    private final OpenSessions open;
    private final List<String> cookies = new ArrayList<>();
    private ServletOutputStream out;
    private PrintWriter writer;

    SessionResponse(HttpServletResponse response, OpenSessions open) {
        super(response);
        this.open = open;
    }

    /** Commits the sessions, once: the core ignores every call after the first. */
    void commitSessions() {
        open.commit(this);
    }

    boolean sessionsCommitted() {
        return open.isCommitted();
    }

    // ---- CookieJar (isCommitted() is the wrapper's own, which asks the container)

    @Override
    public void addSetCookie(String headerValue) {
        cookies.add(headerValue);
        super.addHeader("Set-Cookie", headerValue);
    }

    // ---- every way the response can commit

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
        if (out == null) {
            out = new CommittingOutputStream(super.getOutputStream());
        }
        return out;
    }

    @Override
    public PrintWriter getWriter() throws IOException {
        if (writer == null) {
            PrintWriter container = super.getWriter();
            writer = new PrintWriter(new CommittingWriter(container)) {
                @Override
                public boolean checkError() {
                    return super.checkError() || container.checkError();
                }
            };
        }
        return writer;
    }

    @Override
    public void flushBuffer() throws IOException {
        commitSessions();
        super.flushBuffer();
    }

    @Override
    public void sendError(int sc) throws IOException {
        commitSessions();
        super.sendError(sc);
    }

    @Override
    public void sendError(int sc, String msg) throws IOException {
        commitSessions();
        super.sendError(sc, msg);
    }

    @Override
    public void sendRedirect(String location) throws IOException {
        commitSessions();
        super.sendRedirect(location);
    }

    @Override
    public void sendRedirect(String location, int sc) throws IOException {
        commitSessions();
        super.sendRedirect(location, sc);
    }

    @Override
    public void sendRedirect(String location, boolean clearBuffer) throws IOException {
        commitSessions();
        super.sendRedirect(location, clearBuffer);
    }

    @Override
    public void sendRedirect(String location, int sc, boolean clearBuffer) throws IOException {
        commitSessions();
        super.sendRedirect(location, sc, clearBuffer);
    }

    /** Clears headers as asked, but keeps the session cookies already sent on this request. */
    @Override
    public void reset() {
        super.reset();
        for (String cookie : cookies) {
            super.addHeader("Set-Cookie", cookie);
        }
        out = null;
        writer = null;
    }

    private final class CommittingOutputStream extends ServletOutputStream {
        private final ServletOutputStream out;

        CommittingOutputStream(ServletOutputStream out) {
            this.out = out;
        }

        @Override
        public boolean isReady() {
            return out.isReady();
        }

        @Override
        public void setWriteListener(WriteListener listener) {
            out.setWriteListener(listener);
        }

        @Override
        public void write(int b) throws IOException {
            commitSessions();
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            commitSessions();
            out.write(b, off, len);
        }

        @Override
        public void write(ByteBuffer buffer) throws IOException {
            commitSessions();
            out.write(buffer);
        }

        @Override
        public void flush() throws IOException {
            commitSessions();
            out.flush();
        }

        @Override
        public void close() throws IOException {
            commitSessions();
            out.close();
        }
    }

    private final class CommittingWriter extends Writer {
        private final PrintWriter out;

        CommittingWriter(PrintWriter out) {
            this.out = out;
        }

        @Override
        public void write(int c) {
            commitSessions();
            out.write(c);
        }

        @Override
        public void write(char[] c, int off, int len) {
            commitSessions();
            out.write(c, off, len);
        }

        @Override
        public void write(String s, int off, int len) {
            commitSessions();
            out.write(s, off, len);
        }

        @Override
        public void flush() {
            commitSessions();
            out.flush();
        }

        @Override
        public void close() {
            commitSessions();
            out.close();
        }
    }
}
