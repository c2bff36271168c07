package dev.cookies.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cookies.SessionLockTimeoutException;
import dev.cookies.StoreUnavailableException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class AdapterSupportTest {

    @Test
    @DisplayName("session outages anywhere in the cause chain are 503, anything else 500")
    void status() {
        assertEquals(503, AdapterSupport.statusFor(StoreUnavailableException.of("redis", "load", null)));
        assertEquals(503, AdapterSupport.statusFor(new CompletionException(SessionLockTimeoutException.of("s", Duration.ZERO))));
        assertEquals(500, AdapterSupport.statusFor(new IllegalStateException("bug")));
    }

    @Test
    @DisplayName("a burst of 503s logs one warning, not one per request")
    void unavailableLogIsRateLimited() {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            for (int i = 0; i < 100; i++) {
                AdapterSupport.logUnavailable(StoreUnavailableException.of("redis", "load", null));
            }
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertEquals(1, log.split("WARN", -1).length - 1, log);
    }
}
