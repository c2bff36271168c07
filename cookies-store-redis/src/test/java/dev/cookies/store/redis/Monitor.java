package dev.cookies.store.redis;

import dev.cookies.testkit.RedisServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Watches a Redis server through {@code MONITOR}, which shows every command the server executes, in
 * order, with its source: a client's address, or {@code lua} for a command a script called. A
 * measurement is bracketed by two {@code ECHO} markers sent on another connection, so it contains
 * exactly what the server executed in between.
 */
final class Monitor implements AutoCloseable {

    /** One command as MONITOR showed it. */
    record Command(String source, String name, String line) {
        boolean fromScript() {
            return source.equals("lua");
        }
    }

    private static final Pattern LINE = Pattern.compile("^\\+?\\d+\\.\\d+ \\[\\d+ ([^\\]]+)\\] \"([^\"]*)\".*$");
    private static final AtomicInteger MARKS = new AtomicInteger();

    private final RedisServer server;
    private final Socket socket;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Thread reader;

    Monitor(RedisServer server) throws IOException {
        this.server = server;
        InetSocketAddress address = server.nodes().get(0);
        this.socket = new Socket(address.getHostString(), address.getPort());
        OutputStream out = socket.getOutputStream();
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        out.write("MONITOR\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String ok = in.readLine();
        if (!"+OK".equals(ok)) {
            throw new IOException("MONITOR answered " + ok);
        }
        this.reader = new Thread(() -> {
            try {
                for (String line; (line = in.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException closed) {
                // the test closed the monitor
            }
        }, "redis-monitor");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Runs an action and returns the commands the server executed meanwhile for the connections named
     * {@code clientName} and for scripts.
     */
    List<Command> during(String clientName, Runnable action) throws InterruptedException {
        String mark = "cookies-mark-" + MARKS.incrementAndGet();
        server.command("ECHO", mark + "-begin");
        awaitLine(mark + "-begin");
        action.run();
        server.command("ECHO", mark + "-end");
        List<String> seen = new ArrayList<>();
        while (true) {
            String line = lines.poll(10, TimeUnit.SECONDS);
            if (line == null) {
                throw new AssertionError("MONITOR did not show the end marker within 10 s");
            }
            if (line.contains(mark + "-end")) {
                break;
            }
            seen.add(line);
        }
        Set<String> ours = addressesOf(clientName);
        List<Command> result = new ArrayList<>();
        for (String line : seen) {
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                continue;
            }
            String source = m.group(1);
            if (source.equals("lua") || ours.contains(source)) {
                result.add(new Command(source, m.group(2).toLowerCase(Locale.ROOT), line));
            }
        }
        return result;
    }

    private void awaitLine(String text) throws InterruptedException {
        while (true) {
            String line = lines.poll(10, TimeUnit.SECONDS);
            if (line == null) {
                throw new AssertionError("MONITOR did not show '" + text + "' within 10 s");
            }
            if (line.contains(text)) {
                return;
            }
        }
    }

    /** The addresses of the connections that named themselves so, from CLIENT LIST. */
    private Set<String> addressesOf(String clientName) {
        String list = (String) server.command("CLIENT", "LIST");
        return list.lines()
                .filter(l -> l.contains(" name=" + clientName + " "))
                .map(l -> {
                    Matcher m = Pattern.compile("\\baddr=(\\S+)").matcher(l);
                    return m.find() ? m.group(1) : "";
                })
                .collect(Collectors.toSet());
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
