package dev.cookies.bench;

import dev.cookies.OpenSessions;
import dev.cookies.SessionManager;
import dev.cookies.Sessions;
import dev.cookies.spi.ServerSideStore;
import dev.cookies.testkit.FakeExchange;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a hostile {@code Cookie} header costs the core, beside an ordinary header of the same size:
 * opening a request's sessions parses its {@code Cookie} headers, and that work must be linear in their
 * length whatever their shape (issue "Hardening against a hostile client", item 1: a megabyte of
 * {@code ;} once took 11 s of CPU).
 *
 * <ul>
 *   <li>{@code semicolons}: {@code ;;;;…}, the red team's header;</li>
 *   <li>{@code namesWithoutValues}: {@code ab;ab;…}, pairs without {@code =};</li>
 *   <li>{@code ordinary}: {@code name=value; name=value; …}, what a busy site sends, the baseline.</li>
 * </ul>
 * Each is {@code bytes} long and ends with the session's own cookie, so the whole header is read.
 *
 * <pre>
 * java -jar cookies-bench/target/benchmarks.jar CookieParsing
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class CookieParsing {

    @Param({"1048576"})
    public int bytes;

    @Param({"ordinary", "semicolons", "namesWithoutValues"})
    public String shape;

    private Sessions sessions;
    private String header;

    @Setup
    public void setUp() {
        EmptyStore store = new EmptyStore();
        sessions = Sessions.of(SessionManager.builder("session").store(store).build());
        String tail = "; SESSION=" + "A".repeat(43);
        String unit = switch (shape) {
            case "semicolons" -> ";";
            case "namesWithoutValues" -> "ab;";
            default -> "name=value; ";
        };
        StringBuilder b = new StringBuilder(bytes);
        while (b.length() + unit.length() + tail.length() <= bytes) {
            b.append(unit);
        }
        header = b.append(tail).toString();
        Checks.require(open().session("session").isNew() && store.loads == 1,
                "the header's own cookie, at its end, should be parsed and looked up once; loads: " + store.loads);
    }

    private OpenSessions open() {
        return sessions.open(FakeExchange.request("GET").header("Cookie", header));
    }

    /**
     * Opens a request carrying the header and reads its session: the header is parsed once.
     *
     * @return whether the session is new, so the work is not optimised away
     */
    @Benchmark
    public boolean open1MiB() {
        return open().session("session").isNew();
    }

    /** A store that knows no session: the benchmark measures parsing, not storage. */
    private static final class EmptyStore implements ServerSideStore {
        int loads;

        @Override
        public Optional<byte[]> load(String id, Duration ttl) {
            loads++;
            return Optional.empty();
        }

        @Override
        public void save(String id, byte[] data, Duration ttl) {
        }

        @Override
        public void delete(String id) {
        }

        @Override
        public void touch(String id, Duration ttl) {
        }

        @Override
        public String description() {
            return "empty";
        }
    }
}
