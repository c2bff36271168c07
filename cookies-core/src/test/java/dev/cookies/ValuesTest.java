package dev.cookies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The application's own types in sessions, through the engine: its mapper, java.time, exact numbers, errors at put. */
class ValuesTest {

    private final MutableClock clock = MutableClock.now();
    private final CountingStore store = new CountingStore(clock);

    record Visit(Instant at, LocalDate day) {
    }

    private FakeBrowser browser(SessionManager.Builder builder) {
        return new FakeBrowser(Sessions.of(builder.store(store).clock(clock).lockPolicy(LockPolicy.OFF).build()));
    }

    private static SessionManager.Builder session() {
        return SessionManager.builder("session");
    }

    @Test
    @DisplayName("a record with an Instant and a LocalDate is stored and read back typed with the default codec")
    void javaTime() {
        FakeBrowser browser = browser(session());
        Visit visit = new Visit(Instant.parse("2026-11-30T09:52:23Z"), LocalDate.of(2026, 11, 30));
        browser.request("POST", open -> open.session("session").put("visit", visit));
        browser.request("GET", open -> {
            assertEquals(Optional.of(visit), open.session("session").get("visit", Visit.class));
            assertEquals("2026-11-30T09:52:23Z", ((java.util.Map<?, ?>) open.session("session").get("visit").orElseThrow()).get("at"));
        });
    }

    @Test
    @DisplayName("typed reads of strings and numbers go through the application's own deserializers when it has them")
    void applicationScalarDeserializers() {
        com.fasterxml.jackson.databind.module.SimpleModule shouting = new com.fasterxml.jackson.databind.module.SimpleModule()
                .addDeserializer(String.class, new com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer<String>(String.class) {
                    @Override
                    public String deserialize(com.fasterxml.jackson.core.JsonParser p,
                            com.fasterxml.jackson.databind.DeserializationContext ctxt) throws java.io.IOException {
                        return p.getValueAsString().toUpperCase(java.util.Locale.ROOT);
                    }
                });
        FakeBrowser custom = browser(session().objectMapper(m -> m.addModule(shouting)));
        custom.request("POST", open -> open.session("session").put("name", "ada"));
        custom.request("GET", open -> {
            assertEquals(Optional.of("ADA"), open.session("session").get("name", String.class));
            assertEquals(Optional.of("ada"), open.session("session").get("name"), "stored as written");
        });
        FakeBrowser plain = browser(session());
        plain.request("POST", open -> open.session("session").update(d -> {
            d.put("name", "ada");
            d.put("n", 7);
            d.put("big", new BigDecimal("1e999"));
        }));
        plain.request("GET", open -> {
            assertEquals(Optional.of("ada"), open.session("session").get("name", String.class));
            assertEquals(Optional.of(7), open.session("session").get("n", Integer.class));
            assertEquals(Optional.of(7L), open.session("session").get("n", Long.class));
            assertEquals(Optional.of(new BigDecimal("1e999")), open.session("session").get("big", BigDecimal.class));
        });
    }

    @Test
    @DisplayName("the application's mapper is used and never changed; default typing is refused at build, naming the setting")
    void applicationMapper() {
        ObjectMapper app = JsonMapper.builder().addModule(new JavaTimeModule()).build();
        FakeBrowser browser = browser(session().objectMapper(app));
        Visit visit = new Visit(Instant.parse("2026-11-30T09:52:23Z"), LocalDate.of(2026, 11, 30));
        browser.request("POST", open -> open.session("session").put("visit", visit));
        browser.request("GET", open -> assertEquals(Optional.of(visit), open.session("session").get("visit", Visit.class)));
        assertEquals(1000, app.getFactory().streamReadConstraints().getMaxNestingDepth(), "the app's mapper is untouched");

        ObjectMapper typed = JsonMapper.builder().build();
        typed.activateDefaultTyping(typed.getPolymorphicTypeValidator());
        SessionConfigException e = assertThrows(SessionConfigException.class, () -> session().objectMapper(typed));
        assertEquals("objectMapper", e.setting());
        assertTrue(e.getMessage().contains("default typing"), e.getMessage());
        assertEquals("objectMapper", assertThrows(SessionConfigException.class,
                () -> session().codec(dev.cookies.spi.SessionCodec.json()).objectMapper(m -> { })).setting());
    }

    @Test
    @DisplayName("on the application's mapper, a stored session nested 65 levels deep is a fresh session")
    void deepOnApplicationMapper() {
        FakeBrowser browser = browser(session().objectMapper(JsonMapper.builder().build()));
        browser.request("POST", open -> open.session("session").put("n", 1));
        String id = browser.cookie("SESSION").orElseThrow();
        String deep = "{\"a\":" + "[".repeat(64) + "]".repeat(64) + "}";
        store.save(id, deep.getBytes(StandardCharsets.UTF_8), Duration.ofMinutes(30));
        browser.request("GET", open -> assertTrue(open.session("session").isNew()));
    }

    @Test
    @DisplayName("a value the mapper cannot write fails at put, naming the key and the type")
    void errorsAtPut() {
        FakeBrowser browser = browser(SessionManager.builder("session").objectMapper(JsonMapper.builder().build()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> browser.request("POST",
                open -> open.session("session").put("visit", new Visit(Instant.EPOCH, LocalDate.EPOCH))));
        assertTrue(e.getMessage().contains("key 'visit'"), e.getMessage());
        assertTrue(e.getMessage().contains(Visit.class.getName()), e.getMessage());
        assertEquals(0, store.saves.get(), "nothing was saved");
    }

    @Test
    @DisplayName("1e999 and a 30-digit decimal keep their exact values through load and save")
    void exactNumbers() {
        FakeBrowser browser = browser(session());
        browser.request("POST", open -> open.session("session").put("n", 1));
        String id = browser.cookie("SESSION").orElseThrow();
        byte[] stored = store.load(id, Duration.ofMinutes(30)).orElseThrow();
        String json = new String(stored, StandardCharsets.UTF_8).replace("\"n\":1", "\"n\":1e999,\"m\":0.123456789012345678901234567891");
        store.save(id, json.getBytes(StandardCharsets.UTF_8), Duration.ofMinutes(30));
        browser.request("POST", open -> open.session("session").put("touched", true));
        browser.request("GET", open -> {
            assertEquals(Optional.of(new BigDecimal("1e999")), open.session("session").get("n"));
            assertEquals(Optional.of(new BigDecimal("0.123456789012345678901234567891")), open.session("session").get("m"));
        });
    }

    @Test
    @DisplayName("a login whose user breaks a limit is refused at once, and the previous session survives; 300 digits read back")
    void loginLimits() {
        FakeBrowser browser = browser(SessionManager.builder("auth"));
        browser.request("POST", open -> AuthSession.of(open.session("auth")).login("alice"));
        String before = browser.cookie("AUTH").orElseThrow();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> browser.request("POST",
                open -> AuthSession.of(open.session("auth")).login(new BigInteger("9".repeat(1001)))));
        assertTrue(e.getMessage().contains("maxNumberLength"), e.getMessage());
        assertEquals(before, browser.cookie("AUTH").orElseThrow(), "no rotation");
        browser.request("GET", open -> assertEquals(Optional.of("alice"), AuthSession.of(open.session("auth")).user()));

        BigInteger big = new BigInteger("9".repeat(300));
        browser.request("POST", open -> AuthSession.of(open.session("auth")).login(big));
        assertNotEquals(before, browser.cookie("AUTH").orElseThrow());
        browser.request("GET", open -> assertEquals(Optional.of(big), AuthSession.of(open.session("auth")).user(BigInteger.class)));
    }
}
