package dev.cookies.example;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.Collections;

/** The app's one JSON mapper, for the bodies it reads and the answers it writes on every adapter. */
final class Json {

    /**
     * Strict about what it reads: trailing tokens and duplicate keys make a body invalid, and decimals
     * stay exact ({@code 1.10} is not rounded through a double) until the session decides how to keep them.
     * Jackson's own bounds on nesting and number length (1000 digits) stay in force.
     */
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private Json() {
    }

    /** Writes a value read from a session or a request: plain JSON types, which always serialize. */
    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a plain JSON value did not serialize", e);
        }
    }

    /** {@code {"name": value}}, with {@code null} written as JSON null. */
    static String object(String name, Object value) {
        return write(Collections.singletonMap(name, value));
    }
}
