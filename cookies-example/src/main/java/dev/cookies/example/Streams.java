package dev.cookies.example;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/** The body of {@code POST /stream}: 1 MiB in 64 KiB chunks, flushed after each. */
final class Streams {
    private Streams() {
    }

    static void megabyte(OutputStream out) throws IOException {
        byte[] chunk = new byte[64 * 1024];
        Arrays.fill(chunk, (byte) 'x');
        for (int sent = 0; sent < ExampleServer.STREAM_BYTES; sent += chunk.length) {
            out.write(chunk);
            out.flush();
        }
    }
}
