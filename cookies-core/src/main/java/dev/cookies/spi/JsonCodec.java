package dev.cookies.spi;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.jsontype.BasicPolymorphicTypeValidator;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The default codec: Jackson JSON, plain types only, with the same bounds on what it writes and what it
 * reads, so that a session it saved always loads again.
 *
 * <p>The mapper is always the codec's own copy (of the default, or of the application's), on which the
 * bounds are set: nesting depth, document size, string, number and name length. A class name in the
 * data never picks a type (no default typing; a validator that allows no subtype for
 * {@code @JsonTypeInfo} class ids). Floating-point numbers are read exactly and kept as {@link Double}
 * only when a double holds the same value; otherwise they stay {@link BigDecimal}, so {@code 1e999}
 * or a 30-digit decimal survives load and save unchanged.
 */
final class JsonCodec implements SessionCodec {

    /** The longest number, in characters, read or stored. */
    static final int MAX_NUMBER_LENGTH = 1000;
    /** The longest key (object property name), in characters, read or stored. */
    static final int MAX_NAME_LENGTH = 64 * 1024;
    /** Exponents beyond this are not compared with a double's value: they cannot fit one anyway. */
    private static final int MAX_DOUBLE_SCALE = 400;

    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {
    };

    static final JsonCodec DEFAULT = new JsonCodec(64, 8 * 1024 * 1024);

    /** The application's (or the default) mapper, copied and bounded: for its types, to and from plain values. */
    private final ObjectMapper mapper;
    /** A bounded mapper with no modules: for the plain JSON of whole sessions. */
    private final ObjectMapper plain;
    private final ObjectReader mapReader;
    private final ObjectReader valueReader;
    private final int maxDepth;
    private final int maxBytes;
    /**
     * Immutable scalar types whose values this mapper reads with Jackson's own deserializer: a plain
     * value already of such a type converts to itself, so a typed read of it skips the conversion.
     */
    private final java.util.Set<Class<?>> asIs;

    JsonCodec(int maxDepth, int maxBytes) {
        this(defaultMapper(b -> { }), maxDepth, maxBytes);
    }

    /**
     * Creates a codec on a copy of a mapper.
     *
     * @param source the mapper to copy; never changed
     * @param maxDepth the deepest nesting of a whole session, at least 2
     * @param maxBytes the largest encoded session read, at least 1024
     */
    JsonCodec(ObjectMapper source, int maxDepth, int maxBytes) {
        if (maxDepth < 2 || maxDepth > 1000) {
            throw new IllegalArgumentException("maxDepth must be between 2 and 1000, was " + maxDepth);
        }
        if (maxBytes < 1024) {
            throw new IllegalArgumentException("maxBytes must be at least 1024, was " + maxBytes);
        }
        if (source.getSerializationConfig().getDefaultTyper(null) != null
                || source.getDeserializationConfig().getDefaultTyper(null) != null) {
            throw new IllegalArgumentException("the ObjectMapper has default typing activated: a session would name "
                    + "Java classes, and reading one could run code chosen by whoever controls the data; "
                    + "use a mapper without activateDefaultTyping");
        }
        this.maxDepth = maxDepth;
        this.maxBytes = maxBytes;
        ObjectMapper copy = bounded(source.copy(), maxDepth, maxBytes);
        // No polymorphic typing, not even through annotations: a stored value never names a class.
        copy.setPolymorphicTypeValidator(BasicPolymorphicTypeValidator.builder().build());
        this.mapper = copy;
        // Plain JSON is written and read with Jackson's own (de)serializers, never the application's: a
        // module that changes how strings or numbers read would otherwise change the session's own
        // bookkeeping, and a session would not read back as it was written.
        this.plain = bounded(JsonMapper.builder().build(), maxDepth, maxBytes);
        this.mapReader = plain.readerFor(MAP)
                .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS, DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.valueReader = plain.readerFor(Object.class)
                .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS, DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.asIs = standardScalars(copy);
    }

    /** Sets the codec's bounds on a mapper of its own. */
    private static ObjectMapper bounded(ObjectMapper mapper, int maxDepth, int maxBytes) {
        mapper.getFactory()
                .setStreamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(maxDepth)
                        .maxDocumentLength(maxBytes)
                        .maxStringLength(maxBytes)
                        .maxNumberLength(MAX_NUMBER_LENGTH)
                        .maxNameLength(MAX_NAME_LENGTH)
                        .build())
                .setStreamWriteConstraints(StreamWriteConstraints.builder().maxNestingDepth(maxDepth).build())
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        return mapper;
    }

    /** The scalar types the mapper reads with Jackson's standard deserializers (none a module replaced). */
    private static java.util.Set<Class<?>> standardScalars(ObjectMapper mapper) {
        java.util.Set<Class<?>> standard = new java.util.HashSet<>();
        com.fasterxml.jackson.databind.DeserializationContext context =
                ((com.fasterxml.jackson.databind.deser.DefaultDeserializationContext) mapper.getDeserializationContext())
                        .createInstance(mapper.getDeserializationConfig(), null, null);
        for (Class<?> type : List.of(String.class, Boolean.class, Integer.class, Long.class, Double.class,
                BigInteger.class, BigDecimal.class)) {
            try {
                Object deserializer = context.findRootValueDeserializer(mapper.constructType(type));
                if (deserializer.getClass().getName().startsWith("com.fasterxml.jackson.databind.deser.std.")) {
                    standard.add(type);
                }
            } catch (JacksonException | RuntimeException e) {
                // Not resolvable up front: converted by Jackson on every read, as any other type.
            }
        }
        return java.util.Set.copyOf(standard);
    }

    /**
     * The default mapper: java.time as ISO-8601 strings (with the zone id, and kept as written),
     * {@code Optional}, unknown properties ignored on typed reads, empty beans allowed.
     */
    static ObjectMapper defaultMapper(Consumer<JsonMapper.Builder> customizer) {
        JsonMapper.Builder b = JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .addModule(new Jdk8Module())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
                .enable(SerializationFeature.WRITE_DATES_WITH_ZONE_ID)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
        customizer.accept(b);
        return b.build();
    }

    @Override
    public byte[] encode(Map<String, Object> data) {
        try {
            return plain.writeValueAsBytes(data);
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
            Map<String, Object> map = mapReader.readValue(bytes);
            if (map == null) {
                throw new IllegalArgumentException("encoded session is JSON null, not an object");
            }
            narrowValues(map);
            return map;
        } catch (IOException | StackOverflowError e) {
            throw new IllegalArgumentException("encoded session is not a JSON object within bounds", e);
        }
    }

    @Override
    public Object toPlain(Object value) {
        Object plain;
        if (value instanceof String || value instanceof Boolean || value instanceof Integer || value instanceof Long
                || value instanceof Double || value instanceof BigInteger || value instanceof BigDecimal) {
            plain = value instanceof BigDecimal ? narrowDecimal((BigDecimal) value) : value;
        } else {
            byte[] bytes;
            try {
                bytes = mapper.writeValueAsBytes(value);
            } catch (JacksonException | StackOverflowError e) {
                throw new IllegalArgumentException("a value of type " + value.getClass().getName()
                        + " cannot be written as JSON: " + message(e), e);
            }
            if (bytes.length > maxBytes) {
                throw new IllegalArgumentException("a value of type " + value.getClass().getName() + " is " + bytes.length
                        + " bytes as JSON, over the codec's limit of " + maxBytes + " bytes (maxBytes)");
            }
            try {
                Object read = valueReader.readValue(bytes);
                plain = narrow(read);
            } catch (IOException e) {
                throw new IllegalArgumentException("a value of type " + value.getClass().getName()
                        + " breaks a limit of what sessions can read back: " + message(e), e);
            }
        }
        check(plain, 1);
        return plain;
    }

    @Override
    public Object toPlain(String key, Object value) {
        checkName(key);
        return toPlain(value);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T fromPlain(Object plain, Type type) {
        if (plain != null && plain.getClass() == type && asIs.contains(type)) {
            return (T) plain;
        }
        JavaType javaType = mapper.constructType(type);
        return mapper.convertValue(plain, javaType);
    }

    /**
     * Checks that a plain value, stored one level inside a session, can be read back: its depth, and the
     * length of its strings, numbers and keys.
     */
    private void check(Object value, int depth) {
        if (value instanceof Map || value instanceof List) {
            // The session's own object is one level, each container one more.
            if (depth + 1 > maxDepth) {
                throw new IllegalArgumentException("the value is nested deeper than the " + maxDepth
                        + " levels a session may have (maxDepth)");
            }
            if (value instanceof Map) {
                for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                    checkName(String.valueOf(e.getKey()));
                    check(e.getValue(), depth + 1);
                }
            } else {
                for (Object item : (List<?>) value) {
                    check(item, depth + 1);
                }
            }
        } else if (value instanceof String) {
            if (((String) value).length() > maxBytes) {
                throw new IllegalArgumentException("a string of " + ((String) value).length()
                        + " characters is longer than the " + maxBytes + " a session may read back (maxBytes)");
            }
        } else if (value instanceof Double && !Double.isFinite((Double) value)) {
            throw new IllegalArgumentException("the number " + value + " is not a JSON number");
        } else if (value instanceof BigInteger || value instanceof BigDecimal) {
            int length = value.toString().length();
            if (length > MAX_NUMBER_LENGTH) {
                throw new IllegalArgumentException("a number of " + length + " characters is longer than the "
                        + MAX_NUMBER_LENGTH + " a session may read back (maxNumberLength)");
            }
        }
    }

    /** Checks a key against the longest name a session may read back. */
    private static void checkName(String key) {
        if (key.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("a key of " + key.length() + " characters is longer than the "
                    + MAX_NAME_LENGTH + " a session may read back (maxNameLength)");
        }
    }

    /** Replaces, in place, every decimal that a double holds exactly by that double. */
    @SuppressWarnings("unchecked")
    private static void narrowValues(Map<String, Object> map) {
        for (Map.Entry<String, Object> e : map.entrySet()) {
            Object v = e.getValue();
            if (v instanceof BigDecimal || v instanceof Map || v instanceof List) {
                e.setValue(narrow(v));
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Object narrow(Object value) {
        if (value instanceof BigDecimal) {
            return narrowDecimal((BigDecimal) value);
        }
        if (value instanceof Map) {
            narrowValues((Map<String, Object>) value);
        } else if (value instanceof List) {
            List<Object> list = (List<Object>) value;
            for (int i = 0; i < list.size(); i++) {
                Object v = list.get(i);
                if (v instanceof BigDecimal || v instanceof Map || v instanceof List) {
                    list.set(i, narrow(v));
                }
            }
        }
        return value;
    }

    /** A double when it holds exactly the same value (as its shortest decimal form), else the decimal itself. */
    private static Object narrowDecimal(BigDecimal value) {
        if (Math.abs((long) value.scale()) > MAX_DOUBLE_SCALE || value.stripTrailingZeros().precision() > 17) {
            return value;
        }
        double d = value.doubleValue();
        if (Double.isInfinite(d) || Double.isNaN(d)) {
            return value;
        }
        return new BigDecimal(Double.toString(d)).compareTo(value) == 0 ? (Object) d : value;
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
