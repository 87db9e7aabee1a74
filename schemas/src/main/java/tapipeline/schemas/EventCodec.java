package tapipeline.schemas;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.networknt.schema.Schema;
import java.io.IOException;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tapipeline.schemas.RejectedEventException.Reason;

/**
 * Turns envelopes into JSON bytes and back, validating what it reads.
 *
 * <p>Decoding checks, in order: the bytes are a JSON object ({@code MALFORMED_JSON}); the envelope
 * matches {@code envelope.schema.json} ({@code SCHEMA_INVALID}); the type is known
 * ({@code UNKNOWN_TYPE}) and is the expected one ({@code WRONG_TYPE}); the version is not newer than
 * the type's current version ({@code UNKNOWN_VERSION}); an older version is validated against its own
 * schema (when that file still exists) and upcast step by step; the payload matches the current
 * schema and binds to the record ({@code SCHEMA_INVALID}). Every failure is a
 * {@link RejectedEventException} whose message starts with where the problem is.
 *
 * <p>Encoding does not validate (records check themselves when built); use {@link #encodeChecked}
 * in producer tests. Instances are immutable and thread-safe; schemas are compiled once per JVM, so
 * creating a codec is cheap after the first.
 */
public final class EventCodec {

    /**
     * Longest JSON string accepted: the base64 of a handbook PDF is one string, and Jackson's default
     * limit (20 M characters) is below what {@code handbook.artifacts} allows.
     */
    public static final int MAX_STRING_LENGTH = 200_000_000;
    /** Used by the codec only, so nobody can change how events are read by reconfiguring a shared mapper. */
    private static final ObjectMapper MAPPER = newObjectMapper();
    private static final ObjectMapper SHARED = newObjectMapper();

    private final Map<String, EventType<?>> types;
    private final Upcasters upcasters;
    private final SchemaCatalog catalog = SchemaCatalog.shared();
    private final Schema envelopeSchema;
    private final Map<String, Schema> currentSchemas;

    /** A codec for {@link EventTypes#all()} with {@link Upcasters#standard()}. */
    public EventCodec() {
        this(EventTypes.all(), Upcasters.standard());
    }

    /** A codec for {@link EventTypes#all()} with the given upcasters. */
    public EventCodec(Upcasters upcasters) {
        this(EventTypes.all(), upcasters);
    }

    /**
     * A codec for the given types (their schemas must be on the class path) with the given upcasters.
     *
     * @throws IllegalStateException when a current schema is missing
     */
    public EventCodec(Collection<? extends EventType<?>> types, Upcasters upcasters) {
        Map<String, EventType<?>> byName = new LinkedHashMap<>();
        Map<String, Schema> schemas = new LinkedHashMap<>();
        for (EventType<?> type : types) {
            byName.put(type.name(), type);
            schemas.put(type.name(), catalog.require(type.schemaResource(type.currentVersion())));
        }
        this.types = Map.copyOf(byName);
        this.currentSchemas = Map.copyOf(schemas);
        this.upcasters = upcasters;
        this.envelopeSchema = catalog.require(SchemaCatalog.ENVELOPE_RESOURCE);
    }

    /** The shared codec for the standard types. */
    public static EventCodec standard() {
        return Standard.INSTANCE;
    }

    /** Built on first use, so a missing schema file shows up where the codec is used. */
    private static final class Standard {
        static final EventCodec INSTANCE = new EventCodec();
    }

    /**
     * A shared mapper configured like the codec's own (Java time as ISO-8601 strings, strict parsing),
     * for code that reads or writes records outside envelopes. Do not reconfigure it; use
     * {@link #newObjectMapper()} for a private one. The codec itself does not use this instance.
     */
    public static ObjectMapper objectMapper() {
        return SHARED;
    }

    /** A new mapper configured like {@link #objectMapper()}. */
    public static ObjectMapper newObjectMapper() {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(MAX_STRING_LENGTH).build())
                .build();
        return JsonMapper.builder(factory)
                .addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
    }

    // ---------------------------------------------------------------- encoding

    /** The envelope as UTF-8 JSON bytes. */
    public byte[] encode(Envelope<?> envelope) {
        try {
            return MAPPER.writeValueAsBytes(envelope);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot encode " + envelope.type() + " event: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Encodes and then validates the result against the schemas, as a consumer would.
     *
     * @throws RejectedEventException when the event would be rejected by a consumer
     */
    public byte[] encodeChecked(Envelope<?> envelope) {
        byte[] bytes = encode(envelope);
        decodeAny(bytes);
        return bytes;
    }

    /** A bare payload (no envelope) as UTF-8 JSON bytes, e.g. the solver CLI's problem file. */
    public byte[] encodePayload(Object payload) {
        try {
            return MAPPER.writeValueAsBytes(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot encode " + payload.getClass().getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }

    // ---------------------------------------------------------------- decoding

    /**
     * Decodes an event that must be of type {@code expected}.
     *
     * @throws RejectedEventException when the event is not acceptable; see the class comment
     */
    public <T> Envelope<T> decode(byte[] bytes, EventType<T> expected) {
        ObjectNode root = parseEnvelope(bytes);
        EventType<?> actual = typeOf(root);
        if (!actual.equals(expected)) {
            throw new RejectedEventException(Reason.WRONG_TYPE, actual.name(),
                    "type: expected " + expected.name() + " but was " + actual.name());
        }
        return bind(root, expected);
    }

    /** Decodes an event of any known type (for generic consumers such as the monitor). */
    public Envelope<?> decodeAny(byte[] bytes) {
        ObjectNode root = parseEnvelope(bytes);
        return bind(root, typeOf(root));
    }

    /**
     * Decodes a bare payload of the type's current version (no envelope), validating it against the
     * schema, e.g. the solver CLI's problem file. Paths in messages start with {@code payload}.
     */
    public <T> T decodePayload(byte[] bytes, EventType<T> type) {
        JsonNode payload = parse(bytes, type.name());
        validateOrThrow(schemaOf(type), payload, "payload", type.name());
        return toRecord(payload, type);
    }

    /**
     * Checks a bare payload tree against the schema of one version of a type; returns the problems
     * (empty when valid), each starting with its location under {@code payload}.
     *
     * @throws IllegalArgumentException when there is no schema for that version
     */
    public List<String> validatePayload(EventType<?> type, int version, JsonNode payload) {
        Schema schema = catalog.find(type.schemaResource(version))
                .orElseThrow(() -> new IllegalArgumentException("no schema for " + type.name() + " v" + version));
        return SchemaCatalog.validate(schema, payload, "payload");
    }

    /** Checks an envelope tree against {@code envelope.schema.json} only (the payload is not checked). */
    public List<String> validateEnvelope(JsonNode envelope) {
        return SchemaCatalog.validate(envelopeSchema, envelope, "");
    }

    // ---------------------------------------------------------------- internals

    private ObjectNode parseEnvelope(byte[] bytes) {
        JsonNode root = parse(bytes, null);
        validateOrThrow(envelopeSchema, root, "", textOrNull(root.get("type")));
        return (ObjectNode) root;
    }

    private static JsonNode parse(byte[] bytes, String typeName) {
        if (bytes == null || bytes.length == 0) {
            throw new RejectedEventException(Reason.MALFORMED_JSON, typeName, "(root): empty record value");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(bytes);
        } catch (IOException e) {
            String message = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
            String where = e instanceof JsonProcessingException jpe && jpe.getLocation() != null
                    ? "line " + jpe.getLocation().getLineNr() + ", column " + jpe.getLocation().getColumnNr()
                    : "(root)";
            throw new RejectedEventException(Reason.MALFORMED_JSON, typeName, where + ": " + message, e);
        }
        if (root == null || !root.isObject()) {
            throw new RejectedEventException(Reason.MALFORMED_JSON, typeName,
                    "(root): expected a JSON object but found " + (root == null ? "nothing" : root.getNodeType()));
        }
        return root;
    }

    private EventType<?> typeOf(ObjectNode root) {
        String name = root.get("type").asText();
        EventType<?> type = types.get(name);
        if (type == null) {
            throw new RejectedEventException(Reason.UNKNOWN_TYPE, name, "type: unknown event type '" + name + "'");
        }
        return type;
    }

    private <T> Envelope<T> bind(ObjectNode root, EventType<T> type) {
        int version = root.get("version").asInt();
        JsonNode payload = root.get("payload");
        if (version > type.currentVersion()) {
            throw new RejectedEventException(Reason.UNKNOWN_VERSION, type.name(),
                    "version: " + type.name() + " v" + version + " is newer than the supported v" + type.currentVersion());
        }
        if (version < type.currentVersion()) {
            var oldSchema = catalog.find(type.schemaResource(version));
            if (oldSchema.isPresent()) {
                validateOrThrow(oldSchema.get(), payload, "payload", type.name());
            }
            payload = upcasters.apply(type.name(), version, type.currentVersion(), payload);
        }
        validateOrThrow(schemaOf(type), payload, "payload", type.name());
        T record = toRecord(payload, type);
        try {
            return new Envelope<>(
                    UUID.fromString(root.get("eventId").asText()),
                    type.name(),
                    type.currentVersion(),
                    Instant.parse(root.get("occurredAt").asText()),
                    root.get("correlationId").asText(),
                    record);
        } catch (RuntimeException e) {
            // The envelope schema checks formats, so this only happens with unusual but schema-valid values.
            throw new RejectedEventException(Reason.SCHEMA_INVALID, type.name(), "(root): " + e.getMessage(), e);
        }
    }

    private Schema schemaOf(EventType<?> type) {
        Schema schema = currentSchemas.get(type.name());
        return schema != null ? schema : catalog.require(type.schemaResource(type.currentVersion()));
    }

    private static void validateOrThrow(Schema schema, JsonNode node, String prefix, String typeName) {
        SchemaCatalog.Problems problems = SchemaCatalog.check(schema, node, prefix);
        if (!problems.isEmpty()) {
            throw new RejectedEventException(Reason.SCHEMA_INVALID, typeName, problems.summary(), problems.listed());
        }
    }

    private static <T> T toRecord(JsonNode payload, EventType<T> type) {
        try {
            return MAPPER.treeToValue(payload, type.payloadClass());
        } catch (JsonMappingException e) {
            String where = "payload" + jsonPath(e.getPath());
            throw new RejectedEventException(Reason.SCHEMA_INVALID, type.name(), where + ": " + rootMessage(e), e);
        } catch (JsonProcessingException e) {
            throw new RejectedEventException(Reason.SCHEMA_INVALID, type.name(), "payload: " + e.getOriginalMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new RejectedEventException(Reason.SCHEMA_INVALID, type.name(), "payload: " + rootMessage(e), e);
        }
    }

    private static String jsonPath(List<JsonMappingException.Reference> path) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference ref : path) {
            if (ref.getFieldName() != null) {
                out.append('.').append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                out.append('[').append(ref.getIndex()).append(']');
            }
        }
        return out.toString();
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        if (cause instanceof JsonProcessingException jpe) {
            return jpe.getOriginalMessage();
        }
        return cause.getMessage();
    }

    private static String textOrNull(JsonNode node) {
        return node != null && node.isTextual() ? node.asText() : null;
    }

}
