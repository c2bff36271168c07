package dev.cookies.bench;

import dev.cookies.SessionManager;
import dev.cookies.Sessions;
import dev.cookies.store.cookie.CookieSessionStore;
import dev.cookies.testkit.FakeBrowser;
import dev.cookies.testkit.FakeExchange;
import dev.cookies.testkit.SetCookie;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
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
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * The cookie store (encrypted client-side sessions), at three depths, on the same plaintext bytes.
 *
 * <ul>
 *   <li>{@code cycle}: a whole request: open the sessions from a {@code Cookie} header holding a
 *       sealed session, read it (verify the HMAC, decrypt, parse JSON), change it in a locked update,
 *       commit (encode JSON, seal, render {@code Set-Cookie}).</li>
 *   <li>{@code fernetSealOpen}: the store alone: {@code CookieSessionStore.seal} then {@code open} of
 *       the session's encoded bytes (a Fernet token: AES-128-CBC, HMAC-SHA256, base64url).</li>
 *   <li>{@code jdkAesCbcHmac}: the limit: the same bytes through the JDK's bare AES/CBC/PKCS5Padding
 *       and HmacSHA256 with a fresh random IV from {@code new SecureRandom()} (as the store draws
 *       its IVs), encrypt-then-MAC and verify-then-decrypt, reusing one {@link Cipher} pair and one
 *       {@link Mac}, with no token framing or base64. It MACs the IV and ciphertext, the token also
 *       its 9-byte version and timestamp: at 200 and 2048 bytes both come to the same number of
 *       SHA-256 blocks.</li>
 *   <li>{@code jdkAesCbcHmacNewInstances}: the same, but getting a new {@link Cipher} and {@link Mac}
 *       (and initialising the MAC) for each seal and each open, as the store did before it kept one
 *       of each per thread: what instance creation would cost.</li>
 * </ul>
 *
 * <p>{@code size} is the encoded session in bytes (the plaintext that is sealed).
 *
 * <pre>
 * java -jar cookies-bench/target/benchmarks.jar CookieStoreCycle
 * java -jar cookies-bench/target/benchmarks.jar 'CookieStoreCycle.(fernetSealOpen|jdkAesCbcHmac)$' \
 *     -f 3 -prof 'dev.cookies.bench.CookieStoreCycle$CpuTime'
 * </pre>
 *
 * <p>The second adds {@link CpuTime}'s {@code :cpu} rows beside the wall-clock ones.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class CookieStoreCycle {

    @Param({"200", "2048"})
    public int size;

    private CookieSessionStore store;
    private Sessions sessions;
    private String cookieHeader;
    private byte[] plaintext;
    private Instant issuedAt;

    private final SecureRandom random = new SecureRandom();
    private final byte[] iv = new byte[16];
    private SecretKeySpec aesKey;
    private SecretKeySpec macKey;
    private Cipher encrypt;
    private Cipher decrypt;
    private Mac mac;

    @Setup
    public void setUp() throws GeneralSecurityException {
        store = CookieSessionStore.builder().keys(CookieSessionStore.generateKey()).build();
        sessions = Sessions.of(SessionManager.builder(SessionPayload.NAME).store(store).build());
        int profileChars = SessionPayload.calibrate(size, length -> {
            FakeBrowser b = new FakeBrowser(sessions);
            SessionPayload.seed(b, length);
            return store.open(b.cookie("SESSION").orElseThrow()).orElseThrow().payload().length;
        });
        FakeBrowser browser = new FakeBrowser(sessions);
        SessionPayload.seed(browser, profileChars);
        cookieHeader = browser.cookieHeader().orElseThrow();
        plaintext = store.open(browser.cookie("SESSION").orElseThrow()).orElseThrow().payload();
        issuedAt = Instant.now();

        byte[] key = new byte[32];
        random.nextBytes(key);
        aesKey = new SecretKeySpec(key, 16, 16, "AES");
        mac = Mac.getInstance("HmacSHA256");
        macKey = new SecretKeySpec(key, 0, 16, "HmacSHA256");
        mac.init(macKey);
        encrypt = Cipher.getInstance("AES/CBC/PKCS5Padding");
        decrypt = Cipher.getInstance("AES/CBC/PKCS5Padding");

        FakeExchange jar = cycle();
        Checks.require(jar.responseHeaders("Set-Cookie").size() == 1, "a cycle should send one cookie, sent " + jar.responseHeaders("Set-Cookie"));
        String sealed = SetCookie.parse(jar.responseHeaders("Set-Cookie").get(0)).value();
        int count = Checks.count(sessions, "SESSION=" + sealed);
        Checks.require(count == 1, "the cycle's cookie should hold count 1, holds " + count);
        Checks.require(Arrays.equals(fernetSealOpen(), plaintext), "seal and open should round-trip");
        Checks.require(Arrays.equals(jdkAesCbcHmac(), plaintext), "the JDK baseline should round-trip");
        Checks.require(Arrays.equals(jdkAesCbcHmacNewInstances(), plaintext), "the JDK variant should round-trip");
    }

    @Benchmark
    public FakeExchange cycle() {
        return SessionPayload.cycle(sessions, cookieHeader);
    }

    @Benchmark
    public byte[] fernetSealOpen() {
        return store.open(store.seal(plaintext, issuedAt)).orElseThrow().payload();
    }

    @Benchmark
    public byte[] jdkAesCbcHmac() throws GeneralSecurityException {
        // Seal: fresh IV, encrypt, then MAC the IV and ciphertext.
        random.nextBytes(iv);
        encrypt.init(Cipher.ENCRYPT_MODE, aesKey, new IvParameterSpec(iv));
        byte[] ciphertext = encrypt.doFinal(plaintext);
        mac.update(iv);
        byte[] tag = mac.doFinal(ciphertext);
        // Open: check the MAC in constant time, then decrypt.
        mac.update(iv);
        if (!MessageDigest.isEqual(tag, mac.doFinal(ciphertext))) {
            throw new IllegalStateException("MAC mismatch");
        }
        decrypt.init(Cipher.DECRYPT_MODE, aesKey, new IvParameterSpec(iv));
        return decrypt.doFinal(ciphertext);
    }

    @Benchmark
    public byte[] jdkAesCbcHmacNewInstances() throws GeneralSecurityException {
        random.nextBytes(iv);
        Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
        cipher.init(Cipher.ENCRYPT_MODE, aesKey, new IvParameterSpec(iv));
        byte[] ciphertext = cipher.doFinal(plaintext);
        Mac sealMac = Mac.getInstance("HmacSHA256");
        sealMac.init(macKey);
        sealMac.update(iv);
        byte[] tag = sealMac.doFinal(ciphertext);
        Mac openMac = Mac.getInstance("HmacSHA256");
        openMac.init(macKey);
        openMac.update(iv);
        if (!MessageDigest.isEqual(tag, openMac.doFinal(ciphertext))) {
            throw new IllegalStateException("MAC mismatch");
        }
        Cipher decipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
        decipher.init(Cipher.DECRYPT_MODE, aesKey, new IvParameterSpec(iv));
        return decipher.doFinal(ciphertext);
    }

    /**
     * A JMH profiler ({@code -prof 'dev.cookies.bench.CookieStoreCycle$CpuTime'}) that adds the fork's
     * process CPU time per operation to each benchmark, as a {@code :cpu} row. On a shared machine
     * the wall-clock time also counts the time other processes held the cores, which moves a
     * benchmark that ran during a busy minute but not its neighbour; the CPU time does not, so it
     * tells a slower benchmark from a busier minute. It includes the JIT and GC threads, as the
     * wall-clock time does.
     */
    public static final class CpuTime implements InternalProfiler {

        private final com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        private long start;

        /** Created by JMH, by name. */
        public CpuTime() {
        }

        @Override
        public String getDescription() {
            return "process CPU time per operation";
        }

        @Override
        public void beforeIteration(BenchmarkParams benchmark, IterationParams iteration) {
            start = os.getProcessCpuTime();
        }

        @Override
        public Collection<? extends Result> afterIteration(BenchmarkParams benchmark, IterationParams iteration,
                IterationResult result) {
            double micros = (os.getProcessCpuTime() - start) / 1000.0;
            return List.of(new ScalarResult("cpu", micros / result.getMetadata().getAllOps(), "us/op",
                    AggregationPolicy.AVG));
        }
    }
}
