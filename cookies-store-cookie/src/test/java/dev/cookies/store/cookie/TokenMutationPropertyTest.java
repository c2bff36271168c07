package dev.cookies.store.cookie;

import static dev.cookies.store.cookie.Fixtures.COOKIE;
import static dev.cookies.store.cookie.Fixtures.KEY1;
import static dev.cookies.store.cookie.Fixtures.KEY2;
import static dev.cookies.store.cookie.Fixtures.SESSION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.cookies.Sessions;
import dev.cookies.testkit.FakeBrowser;
import dev.cookies.testkit.MutableClock;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A property over random mutations of valid tokens: no mutation of a token opens (unless it is the
 * token itself), and none throws. A seeded loop; a failure names the seed, the round and the mutant.
 */
class TokenMutationPropertyTest {

    private static final long SEED = 0x5EED_C00C_1E5L;
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    private static final String HOSTILE = "+/=.~!%\"\\;, \t\u0000\u00e9\u20ac";

    enum Kind {
        FLIP_BYTE_BIT, FLIP_CHAR_BIT, TRUNCATE, INSERT, DELETE, REPLACE_CHAR, ALPHABET_SWAP, PADDING,
        SWAP_CHARS, DUPLICATE_SLICE, SPLICE_TOKENS, RAW_FIELD, MULTIPLE
    }

    private final MutableClock clock = MutableClock.at(Instant.parse("2026-03-01T12:00:00Z"));
    private final CookieSessionStore store = Fixtures.store(clock, KEY1, KEY2);

    /**
     * A valid token, exactly as the store seals it, but with an IV from the seeded random, so that a
     * run is reproducible from its seed alone.
     */
    private String token(String key, String json, Instant issuedAt, Random random) {
        byte[] iv = new byte[16];
        random.nextBytes(iv);
        return Fernet.fromKey(key).encrypt(Fixtures.utf8(json), issuedAt.getEpochSecond(), iv);
    }

    /** Valid tokens of several sizes and both keys, all of which open. */
    private List<String> validTokens(Random random) {
        List<String> tokens = new ArrayList<>();
        for (int size : new int[] {0, 1, 15, 16, 17, 40, 100, 333, 1000, 2500}) {
            String json = "{\"v\":\"" + "abcdefghij".repeat(size / 10 + 1).substring(0, size) + "\"}";
            tokens.add(token(KEY1, json, clock.instant().minusSeconds(random.nextInt(600)), random));
            tokens.add(token(KEY2, json, clock.instant(), random));
        }
        for (String t : tokens) {
            assertTrue(store.open(t).isPresent(), "precondition: a valid token opens");
        }
        return tokens;
    }

    private static String mutate(Kind kind, String token, List<String> all, Random r) {
        int n = token.length();
        switch (kind) {
            case FLIP_BYTE_BIT: {
                byte[] raw = Fixtures.decode(token);
                raw[r.nextInt(raw.length)] ^= (byte) (1 << r.nextInt(8));
                return Fixtures.encode(raw);
            }
            case FLIP_CHAR_BIT: {
                int i = r.nextInt(n);
                return token.substring(0, i) + (char) (token.charAt(i) ^ (1 << r.nextInt(8))) + token.substring(i + 1);
            }
            case TRUNCATE:
                return r.nextBoolean() ? token.substring(0, r.nextInt(n)) : token.substring(1 + r.nextInt(n - 1));
            case INSERT: {
                int i = r.nextInt(n + 1);
                String chars = r.nextInt(4) == 0 ? HOSTILE : ALPHABET;
                StringBuilder ins = new StringBuilder();
                for (int k = 1 + r.nextInt(r.nextBoolean() ? 1 : 8); k > 0; k--) {
                    ins.append(chars.charAt(r.nextInt(chars.length())));
                }
                return token.substring(0, i) + ins + token.substring(i);
            }
            case DELETE: {
                int i = r.nextInt(n);
                int len = 1 + r.nextInt(Math.min(8, n - i));
                return token.substring(0, i) + token.substring(i + len);
            }
            case REPLACE_CHAR: {
                int i = r.nextInt(n);
                String chars = r.nextInt(4) == 0 ? HOSTILE : ALPHABET;
                return token.substring(0, i) + chars.charAt(r.nextInt(chars.length())) + token.substring(i + 1);
            }
            case ALPHABET_SWAP: {
                if (r.nextBoolean()) {
                    return token.replace('-', '+').replace('_', '/');
                }
                int i = r.nextInt(n);
                char c = token.charAt(i);
                char swapped = c == '-' ? '+' : c == '_' ? '/' : c == '+' ? '-' : c == '/' ? '_' : (r.nextBoolean() ? '+' : '/');
                return token.substring(0, i) + swapped + token.substring(i + 1);
            }
            case PADDING: {
                switch (r.nextInt(4)) {
                    case 0: return token.replace("=", "");
                    case 1: return token + "=";
                    case 2: return token + "==";
                    default: return "=" + token;
                }
            }
            case SWAP_CHARS: {
                int i = r.nextInt(n);
                int j = r.nextInt(n);
                char[] c = token.toCharArray();
                char t = c[i];
                c[i] = c[j];
                c[j] = t;
                return new String(c);
            }
            case DUPLICATE_SLICE: {
                int i = r.nextInt(n);
                int len = 1 + r.nextInt(Math.min(24, n - i));
                return token.substring(0, i + len) + token.substring(i, i + len) + token.substring(i + len);
            }
            case SPLICE_TOKENS: {
                String other = all.get(r.nextInt(all.size()));
                while (all.size() > 1 && other.equals(token)) {
                    other = all.get(r.nextInt(all.size()));
                }
                int cut = r.nextInt(Math.min(n, other.length()) + 1);
                return r.nextBoolean() ? token.substring(0, cut) + other.substring(cut) : other.substring(0, cut) + token.substring(cut);
            }
            case RAW_FIELD: {
                // Valid encoding, one field changed without re-signing: version, timestamp, IV or HMAC.
                byte[] raw = Fixtures.decode(token);
                ByteBuffer b = ByteBuffer.wrap(raw);
                switch (r.nextInt(5)) {
                    case 0: raw[0] = (byte) r.nextInt(256); break;
                    case 1: b.putLong(1, b.getLong(1) + (r.nextBoolean() ? -1 : 1) * (1 + r.nextInt(100))); break;
                    case 2: raw[9 + r.nextInt(16)] ^= (byte) (1 + r.nextInt(255)); break;
                    case 3: raw[raw.length - 1 - r.nextInt(32)] ^= (byte) (1 + r.nextInt(255)); break;
                    default: {
                        byte[] shorter = new byte[raw.length - 16];
                        System.arraycopy(raw, 0, shorter, 0, shorter.length - 32);
                        System.arraycopy(raw, raw.length - 32, shorter, shorter.length - 32, 32);
                        return Fixtures.encode(shorter);
                    }
                }
                return Fixtures.encode(raw);
            }
            default: {
                String m = token;
                for (int k = 2 + r.nextInt(3); k > 0 && !m.isEmpty(); k--) {
                    Kind[] simple = {Kind.FLIP_CHAR_BIT, Kind.INSERT, Kind.DELETE, Kind.REPLACE_CHAR, Kind.SWAP_CHARS};
                    m = mutate(simple[r.nextInt(simple.length)], m, all, r);
                }
                return m;
            }
        }
    }

    @Test
    @DisplayName("20 000 random mutations of valid tokens: none opens, none throws")
    void mutationsNeverOpen() {
        Random random = new Random(SEED);
        List<String> tokens = validTokens(random);
        Set<String> originals = new HashSet<>(tokens);
        Map<Kind, Integer> tried = new EnumMap<>(Kind.class);
        Kind[] kinds = Kind.values();
        int effective = 0;
        for (int round = 0; round < 20_000; round++) {
            Kind kind = kinds[random.nextInt(kinds.length)];
            String token = tokens.get(random.nextInt(tokens.size()));
            String mutant = mutate(kind, token, tokens, random);
            if (originals.contains(mutant)) {
                continue;
            }
            effective++;
            tried.merge(kind, 1, Integer::sum);
            try {
                if (store.open(mutant).isPresent()) {
                    fail("seed " + SEED + " round " + round + ": " + kind + " mutant opened: " + mutant);
                }
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + SEED + " round " + round + ": " + kind + " mutant threw: " + mutant, e);
            }
        }
        assertTrue(effective > 19_000, "too many mutations were no-ops: " + effective);
        for (Kind kind : kinds) {
            assertTrue(tried.getOrDefault(kind, 0) > 1000, kind + " tried only " + tried.get(kind) + " times");
        }
        for (String t : tokens) {
            assertTrue(store.open(t).isPresent(), "the originals still open");
        }
    }

    /**
     * What the core receives when a mutant is sent as {@code SESSION=<mutant>}: a ';' ends the value,
     * and surrounding blanks and double quotes are not part of it. A mutant that only appends
     * {@code ";"} to the token is therefore the token itself, not a mutation of it.
     */
    private static String asCookieHeaderCarriesIt(String mutant) {
        int semicolon = mutant.indexOf(';');
        String value = (semicolon < 0 ? mutant : mutant.substring(0, semicolon)).replaceAll("^[ \t]+|[ \t]+$", "");
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            value = value.substring(1, value.length() - 1);
        }
        return value;
    }

    @Test
    @DisplayName("2 000 random mutations sent through the engine: each a fresh empty session, no exception")
    void mutationsThroughTheEngine() {
        Random random = new Random(SEED + 1);
        Sessions sessions = Fixtures.sessions(store, clock);
        String meta = ",\"__meta\":{\"c\":" + clock.instant().getEpochSecond() + "}}";
        String good = token(KEY1, "{\"user\":\"alice\"" + meta, clock.instant(), random);
        // Splices mix the good cookie with another valid one.
        List<String> tokens = List.of(good, token(KEY1, "{\"user\":\"mallory\"" + meta, clock.instant(), random));
        FakeBrowser control = new FakeBrowser(sessions);
        control.setCookie(COOKIE, good);
        assertEquals(Map.of("user", "alice"), Fixtures.read(control, s -> s.asMap()), "precondition: the good cookie opens");
        Kind[] kinds = Kind.values();
        int checked = 0;
        for (int round = 0; round < 2_000; round++) {
            Kind kind = kinds[random.nextInt(kinds.length)];
            String mutant = mutate(kind, good, tokens, random);
            if (tokens.contains(asCookieHeaderCarriesIt(mutant))) {
                continue;
            }
            FakeBrowser browser = new FakeBrowser(sessions);
            browser.setCookie(COOKIE, mutant);
            AtomicBoolean fresh = new AtomicBoolean();
            int r = round;
            try {
                var response = browser.request("GET", open -> fresh.set(open.session(SESSION).isNew()
                        && open.session(SESSION).isEmpty()));
                assertEquals(List.of(), response.setCookies(), () -> "round " + r + " sent a cookie");
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + (SEED + 1) + " round " + round + ": " + kind + " threw: " + mutant, e);
            }
            assertTrue(fresh.get(), () -> "seed " + (SEED + 1) + " round " + r + ": " + kind + " mutant opened: " + mutant);
            checked++;
        }
        assertTrue(checked > 1_850, "checked " + checked);
    }
}
