package dev.cookies.servlet;

import dev.cookies.OpenSessions;
import dev.cookies.spi.Exchange;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;

/**
 * One servlet request and its response as the core sees them ({@link Exchange}), and the response
 * handlers write to. Before anything that can commit the response it calls
 * {@link OpenSessions#beforeCommit()}: the first byte, flush or close of the body through the stream or
 * the writer (so a body larger than the buffer is covered), {@code flushBuffer}, {@code sendRedirect}
 * and {@code sendError}. The core's own answers go to the original response.
 */
final class SessionResponse extends HttpServletResponseWrapper implements Exchange {

    private final HttpServletRequest request;
    private final HttpServletResponse original;
    /** The headers the core added, which {@link #reset()} keeps; none until it adds one. */
    private List<String[]> sessionHeaders = List.of();
    /** Set by the filter once the core opened the sessions with this exchange. */
    OpenSessions open;
    private ServletOutputStream out;
    private PrintWriter writer;

    SessionResponse(HttpServletRequest request, HttpServletResponse response) {
        super(response);
        this.request = request;
        this.original = response;
    }

    // ---- Exchange; isCommitted() is the wrapper's, which asks the container

    @Override
    public String method() {
        return request.getMethod();
    }

    @Override
    public String path() {
        String uri = request.getRequestURI();
        String context = request.getContextPath();
        String path = uri.startsWith(context) ? uri.substring(context.length()) : uri;
        return path.isEmpty() ? "/" : path;
    }

    @Override
    public List<String> requestHeaders(String name) {
        Enumeration<String> values = request.getHeaders(name);
        if (values == null || !values.hasMoreElements()) {
            return List.of();
        }
        String first = values.nextElement();
        if (!values.hasMoreElements()) {
            return Collections.singletonList(first); // the common case: one line, no list grown
        }
        List<String> all = new ArrayList<>(4);
        all.add(first);
        all.addAll(Collections.list(values));
        return all;
    }

    @Override
    public Optional<Object> attribute(String key) {
        return Optional.ofNullable(request.getAttribute(key));
    }

    @Override
    public void setAttribute(String key, Object value) {
        request.setAttribute(key, value);
    }

    @Override
    public List<String> responseHeaders(String name) {
        if (!original.containsHeader(name)) {
            return List.of(); // the common case (no Vary or Cache-Control of the handler's), without a copy
        }
        return List.copyOf(original.getHeaders(name));
    }

    @Override
    public void addResponseHeader(String name, String value) {
        if (sessionHeaders.isEmpty()) {
            sessionHeaders = new ArrayList<>(2);
        }
        sessionHeaders.add(new String[] {name, value});
        original.addHeader(name, value);
    }

    @Override
    public void respond(int status, String contentType, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        original.resetBuffer();
        original.setHeader("Content-Encoding", null); // they described the discarded answer
        original.setHeader("Location", null);
        original.setStatus(status);
        original.setContentType(contentType);
        original.setContentLength(bytes.length);
        try {
            try {
                original.getOutputStream().write(bytes);
            } catch (IllegalStateException writerTaken) {
                original.getWriter().write(body);
            }
            original.flushBuffer();
        } catch (IOException clientGone) {
            // Nobody is left to read the answer; the core goes on with the failure it is answering.
        }
    }

    // ---- every way the response can commit

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
        if (out == null) {
            out = new CommittingStream(super.getOutputStream());
        }
        return out;
    }

    @Override
    public PrintWriter getWriter() throws IOException {
        if (writer == null) {
            PrintWriter container = super.getWriter();
            // A Writer underneath, not a PrintWriter subclass: PrintWriter.println() writes its line
            // separator past every overridable method.
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
        open.beforeCommit();
        super.flushBuffer();
    }

    @Override
    public void sendError(int sc) throws IOException {
        open.beforeCommit();
        super.sendError(sc);
    }

    @Override
    public void sendError(int sc, String msg) throws IOException {
        open.beforeCommit();
        super.sendError(sc, msg);
    }

    @Override
    public void sendRedirect(String location) throws IOException {
        open.beforeCommit();
        super.sendRedirect(location);
    }

    @Override
    public void sendRedirect(String location, int sc) throws IOException {
        open.beforeCommit();
        super.sendRedirect(location, sc);
    }

    @Override
    public void sendRedirect(String location, boolean clearBuffer) throws IOException {
        open.beforeCommit();
        super.sendRedirect(location, clearBuffer);
    }

    @Override
    public void sendRedirect(String location, int sc, boolean clearBuffer) throws IOException {
        open.beforeCommit();
        super.sendRedirect(location, sc, clearBuffer);
    }

    /** Clears the status, headers and body as asked, but keeps the headers the sessions added. */
    @Override
    public void reset() {
        super.reset();
        for (String[] header : sessionHeaders) {
            original.addHeader(header[0], header[1]);
        }
        out = null;
        writer = null;
    }

    private final class CommittingStream extends ServletOutputStream {
        private final ServletOutputStream out;

        CommittingStream(ServletOutputStream out) {
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
            open.beforeCommit();
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            open.beforeCommit();
            out.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            open.beforeCommit();
            out.flush();
        }

        @Override
        public void close() throws IOException {
            open.beforeCommit();
            out.close();
        }
    }

    private final class CommittingWriter extends Writer {
        private final PrintWriter out;

        CommittingWriter(PrintWriter out) {
            this.out = out;
        }

        @Override
        public void write(char[] c, int off, int len) {
            open.beforeCommit();
            out.write(c, off, len);
        }

        @Override
        public void flush() {
            open.beforeCommit();
            out.flush();
        }

        @Override
        public void close() {
            open.beforeCommit();
            out.close();
        }
    }
}
