package dev.cookies.javalin;

import dev.cookies.OpenSessions;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;

/**
 * A response that commits the request's sessions just before anything can commit it: the first byte
 * or flush of its stream or writer, {@code flushBuffer}, {@code sendRedirect}, {@code sendError}.
 * A commit failure is thrown to whoever was writing, before a byte left, so the handler's error
 * handling (the plugin's 503) can still answer.
 */
final class CommittingResponse extends HttpServletResponseWrapper {

    private final OpenSessions open;
    private final HttpServletResponse raw;
    private ServletOutputStream stream;
    private PrintWriter writer;

    CommittingResponse(HttpServletResponse raw, OpenSessions open) {
        super(raw);
        this.raw = raw;
        this.open = open;
    }

    void commitSessions() {
        if (!open.isCommitted()) {
            open.commit(new ServletCookieJar(raw));
        }
    }

    @Override
    public synchronized ServletOutputStream getOutputStream() throws IOException {
        if (stream == null) {
            stream = new CommittingStream(super.getOutputStream());
        }
        return stream;
    }

    @Override
    public synchronized PrintWriter getWriter() throws IOException {
        if (writer == null) {
            writer = new PrintWriter(new CommittingWriter(super.getWriter()));
        }
        return writer;
    }

    @Override
    public void flushBuffer() throws IOException {
        commitSessions();
        super.flushBuffer();
    }

    @Override
    public void sendRedirect(String location) throws IOException {
        commitSessions();
        super.sendRedirect(location);
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

    private final class CommittingStream extends ServletOutputStream {
        private final ServletOutputStream out;

        CommittingStream(ServletOutputStream out) {
            this.out = out;
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
        public void flush() throws IOException {
            commitSessions();
            out.flush();
        }

        @Override
        public void close() throws IOException {
            commitSessions();
            out.close();
        }

        @Override
        public boolean isReady() {
            return out.isReady();
        }

        @Override
        public void setWriteListener(WriteListener listener) {
            out.setWriteListener(listener);
        }
    }

    private final class CommittingWriter extends Writer {
        private final Writer out;

        CommittingWriter(Writer out) {
            this.out = out;
        }

        @Override
        public void write(char[] buf, int off, int len) throws IOException {
            commitSessions();
            out.write(buf, off, len);
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
}
