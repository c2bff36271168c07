package dev.cookies.spi;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.jsontype.BasicPolymorphicTypeValidator;
import java.io.IOException;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;

/** The default codec: Jackson JSON, plain types only, bounded depth and size. */
final class JsonCodec implements SessionCodec {

    /** The shared default instance. */
    static final JsonCodec DEFAULT = new JsonCodec(64, 8 * 1024 * 1024);

    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {
    };

    private final ObjectMapper mapper;
    private final int maxBytes;

    /**
     * Creates a codec.
     *
     * @param maxDepth deepest nesting accepted
     * @param maxBytes largest encoding accepted
     */
    JsonCodec(int maxDepth, int maxBytes) {
        if (maxDepth < 2 || maxDepth > 1000) {
            throw new IllegalArgumentException("maxDepth must be between 2 and 1000, was " + maxDepth);
        }
        if (maxBytes < 1024) {
            throw new IllegalArgumentException("maxBytes must be at least 1024, was " + maxBytes);
        }
        this.maxBytes = maxBytes;
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(maxDepth)
                        .maxDocumentLength(maxBytes)
                        .maxStringLength(maxBytes)
                        .maxNumberLength(256)
                        .maxNameLength(64 * 1024)
                        .build())
                .streamWriteConstraints(StreamWriteConstraints.builder().maxNestingDepth(maxDepth).build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        this.mapper = JsonMapper.builder(factory)
                // No polymorphic typing, not even through annotations: a stored value never names a class.
                .polymorphicTypeValidator(BasicPolymorphicTypeValidator.builder().build())
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .build();
    }

    @Override
    public byte[] encode(Map<String, Object> data) {
        try {
            return mapper.writeValueAsBytes(data);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("session data cannot be encoded as JSON: " + e.getOriginalMessage(), e);
        }
    }

    @Override
    public Map<String, Object> decode(byte[] bytes) {
        if (bytes.length > maxBytes) {
            throw new IllegalArgumentException("encoded session is " + bytes.length + " bytes, over the limit " + maxBytes);
        }
        try {
            Map<String, Object> map = mapper.readValue(bytes, MAP);
            if (map == null) {
                throw new IllegalArgumentException("encoded session is JSON null, not an object");
            }
            return map;
        } catch (IOException | StackOverflowError e) {
            throw new IllegalArgumentException("encoded session is not a JSON object within bounds", e);
        }
    }

    @Override
    public Object toPlain(Object value) {
        if (value instanceof String || value instanceof Boolean || value instanceof Integer || value instanceof Long
                || value instanceof Double || value instanceof BigInteger || value instanceof BigDecimal) {
            return value;
        }
        byte[] bytes;
        try {
            bytes = mapper.writeValueAsBytes(value);
        } catch (JacksonException | StackOverflowError e) {
            throw new IllegalArgumentException("value of type " + value.getClass().getName()
                    + " cannot be stored in a session: " + message(e), e);
        }
        if (bytes.length > maxBytes) {
            throw new IllegalArgumentException("value of type " + value.getClass().getName() + " is "
                    + bytes.length + " bytes as JSON, over the limit " + maxBytes);
        }
        try {
            return mapper.readValue(bytes, Object.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("value of type " + value.getClass().getName()
                    + " cannot be stored in a session: " + message(e), e);
        }
    }

    @Override
    public <T> T fromPlain(Object plain, Type type) {
        JavaType javaType = mapper.constructType(type);
        return mapper.convertValue(plain, javaType);
    }

    private static String message(Throwable e) {
        if (e instanceof JacksonException) {
            return ((JacksonException) e).getOriginalMessage();
        }
        if (e instanceof StackOverflowError) {
            return "nested too deeply";
        }
        return e.toString();
    }
}
