package tapipeline.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tapipeline.schemas.RejectedEventException.Reason;
import tapipeline.schemas.samples.SampleEvents;

/**
 * Every list and every free-text string in every schema has an upper bound, and an event just over
 * a bound is rejected with a message that names the field and the limit, while one at the bound
 * passes.
 */
class SchemaLimitsTest {

    private final EventCodec codec = EventCodec.standard();

    /** A pattern bounds a string's length when it is anchored and repeats nothing without an upper count. */
    private static final Pattern UNBOUNDED_REPEAT = Pattern.compile("(?<!\\\\)[+*]|\\{\\d+,}");
    private static final Set<String> BOUNDED_FORMATS = Set.of("uuid", "date-time");

    @Test
    void everyListStringAndMapInEverySchemaHasAnUpperBound() throws Exception {
        // the main schemas only (test resources hold made-up types)
        Path root = Path.of(SchemaLimitsTest.class.getClassLoader().getResource(SchemaCatalog.ENVELOPE_RESOURCE).toURI())
                .getParent();
        List<String> unbounded = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                JsonNode schema = EventCodec.objectMapper().readTree(file.toFile());
                walk(schema, root.relativize(file) + "#", unbounded);
            }
        }
        assertThat(unbounded).as("lists without maxItems, strings without maxLength, maps without maxProperties")
                .isEmpty();
    }

    private static void walk(JsonNode node, String where, List<String> unbounded) {
        if (node.isObject()) {
            // "type" may be one name or a list of them
            List<String> types = new ArrayList<>();
            if (node.path("type").isArray()) {
                node.get("type").forEach(t -> types.add(t.asText()));
            } else if (node.path("type").isTextual()) {
                types.add(node.get("type").asText());
            }
            if (types.contains("array") && !node.has("maxItems")) {
                unbounded.add(where);
            }
            if (types.contains("string") && !node.has("maxLength") && !boundedByPattern(node)
                    && !BOUNDED_FORMATS.contains(node.path("format").asText(""))) {
                unbounded.add(where);
            }
            if (types.contains("object") && node.path("additionalProperties").isObject() && !node.has("maxProperties")) {
                unbounded.add(where);
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getKey().equals("errorMessage")) {
                    walk(e.getValue(), where + "/" + e.getKey(), unbounded);
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(node.get(i), where + "/" + i, unbounded);
            }
        }
    }

    private static boolean boundedByPattern(JsonNode node) {
        String pattern = node.path("pattern").asText("");
        return pattern.startsWith("^") && pattern.endsWith("$") && !UNBOUNDED_REPEAT.matcher(pattern).find();
    }

    @Test
    void theCheckFindsAnUnboundedList() throws IOException {
        JsonNode schema = EventCodec.objectMapper().readTree(
                "{\"properties\": {\"a\": {\"type\": \"array\"}, \"b\": {\"type\": \"string\", \"pattern\": \"^x+$\"},"
                        + " \"c\": {\"type\": \"string\", \"pattern\": \"^\\\\S{1,128}$\"},"
                        + " \"d\": {\"type\": [\"string\", \"null\"]},"
                        + " \"e\": {\"type\": \"object\", \"additionalProperties\": {\"type\": \"integer\"}}}}");
        List<String> unbounded = new ArrayList<>();
        walk(schema, "t#", unbounded);
        assertThat(unbounded).containsExactly("t#/properties/a", "t#/properties/b", "t#/properties/d", "t#/properties/e");
    }

    // ------------------------------------------------------------ lists: at the limit passes, one more fails

    @Test
    void twentyThousandCoursesPassAndOneMoreIsRejectedNamingTheLimit() throws IOException {
        ObjectNode envelope = EventCodecTest.sampleTree(EventTypes.RUN_REQUESTED);
        fill((ArrayNode) envelope.at("/payload/courses"), 20_000);
        assertThat(codec.decode(EventCodecTest.bytes(envelope), EventTypes.RUN_REQUESTED).payload().courses())
                .hasSize(20_000);

        fill((ArrayNode) envelope.at("/payload/courses"), 20_001);
        assertRejected(envelope, EventTypes.RUN_REQUESTED, "payload.courses: must have at most 20,000 items but found 20,001");
    }

    @Test
    void fiftyThousandApplicantsPassAndOneMoreIsRejectedNamingTheLimit() throws IOException {
        ObjectNode envelope = EventCodecTest.sampleTree(EventTypes.RUN_REQUESTED);
        fill((ArrayNode) envelope.at("/payload/applicants"), 50_000);
        assertThat(codec.decode(EventCodecTest.bytes(envelope), EventTypes.RUN_REQUESTED).payload().applicants())
                .hasSize(50_000);

        fill((ArrayNode) envelope.at("/payload/applicants"), 50_001);
        assertRejected(envelope, EventTypes.RUN_REQUESTED,
                "payload.applicants: must have at most 50,000 items but found 50,001");
    }

    @Test
    void nestedListLimitNamesItsPath() throws IOException {
        ObjectNode envelope = EventCodecTest.sampleTree(EventTypes.RUN_REQUESTED);
        ArrayNode skills = (ArrayNode) envelope.at("/payload/applicants/1/skills");
        skills.removeAll();
        for (int i = 0; i < 100; i++) {
            skills.add("skill " + i);
        }
        codec.decode(EventCodecTest.bytes(envelope), EventTypes.RUN_REQUESTED);

        skills.add("one skill too many");
        assertRejected(envelope, EventTypes.RUN_REQUESTED,
                "payload.applicants[1].skills: must have at most 100 items but found 101");
    }

    /** Makes the list {@code size} long by copying its first element under fresh ids. */
    private static void fill(ArrayNode list, int size) {
        ObjectNode first = (ObjectNode) list.get(0).deepCopy();
        list.removeAll();
        for (int i = 0; i < size; i++) {
            list.add(first.deepCopy().put("id", "id-" + i));
        }
    }

    // ------------------------------------------------------------ strings

    @Test
    void aNameAtFiveHundredCharactersPassesAndOneMoreIsRejectedNamingTheLimit() throws IOException {
        ObjectNode envelope = EventCodecTest.sampleTree(EventTypes.RUN_REQUESTED);
        ((ObjectNode) envelope.at("/payload/applicants/0")).put("name", "é".repeat(500));
        codec.decode(EventCodecTest.bytes(envelope), EventTypes.RUN_REQUESTED);

        ((ObjectNode) envelope.at("/payload/applicants/0")).put("name", "é".repeat(501));
        assertRejected(envelope, EventTypes.RUN_REQUESTED,
                "payload.applicants[0].name: must be at most 500 characters long");
    }

    @Test
    void aHandbookPolicyBodyMayBeFiftyThousandCharactersButNoMore() throws IOException {
        ObjectNode envelope = EventCodecTest.sampleTree(EventTypes.HANDBOOK_CONTENT);
        ((ObjectNode) envelope.at("/payload/policies/0")).put("body", "x".repeat(50_000));
        codec.decode(EventCodecTest.bytes(envelope), EventTypes.HANDBOOK_CONTENT);

        ((ObjectNode) envelope.at("/payload/policies/0")).put("body", "x".repeat(50_001));
        assertRejected(envelope, EventTypes.HANDBOOK_CONTENT,
                "payload.policies[0].body: must be at most 50,000 characters long");
    }

    @Test
    void aLinkUrlIsAtMost8192Characters() throws IOException {
        ObjectNode envelope = EventCodecTest.sampleTree(EventTypes.HANDBOOK_CONTENT);
        String base = "https://example.edu/";
        ((ObjectNode) envelope.at("/payload/links/0")).put("url", base + "a".repeat(8192 - base.length()));
        codec.decode(EventCodecTest.bytes(envelope), EventTypes.HANDBOOK_CONTENT);

        ((ObjectNode) envelope.at("/payload/links/0")).put("url", base + "a".repeat(8193 - base.length()));
        assertRejected(envelope, EventTypes.HANDBOOK_CONTENT, "payload.links[0].url: must be at most 8,192 characters long");
    }

    @Test
    void constraintWeightDigitsAreBounded() throws IOException {
        ObjectNode envelope = EventCodecTest.sampleTree(EventTypes.RUN_REQUESTED);
        ObjectNode settings = (ObjectNode) envelope.at("/payload/settings");
        settings.putObject("constraintWeights").put("Preferred courses", "0hard/0medium/" + "9".repeat(18) + "soft");
        codec.decode(EventCodecTest.bytes(envelope), EventTypes.RUN_REQUESTED);

        settings.putObject("constraintWeights").put("Preferred courses", "0hard/0medium/" + "9".repeat(19) + "soft");
        assertRejected(envelope, EventTypes.RUN_REQUESTED, "payload.settings.constraintWeights['Preferred courses']: does not match");
    }

    @Test
    void aSeedBeyondALongIsRejectedNamingTheBound() throws IOException {
        ObjectNode envelope = EventCodecTest.sampleTree(EventTypes.RUN_REQUESTED);
        ObjectNode settings = (ObjectNode) envelope.at("/payload/settings");
        settings.put("randomSeed", Long.MAX_VALUE);
        codec.decode(EventCodecTest.bytes(envelope), EventTypes.RUN_REQUESTED);

        settings.put("randomSeed", new java.math.BigInteger("9223372036854775808"));
        assertRejected(envelope, EventTypes.RUN_REQUESTED,
                "payload.settings.randomSeed: must have a maximum value of 9223372036854775807");
    }

    // ------------------------------------------------------------ correlation id

    @ParameterizedTest
    @ValueSource(strings = {"run-1\nINFO forged line", "run-1\r", "tab\there", "nul\u0000", "c1\u0085", "sep\u2028x"})
    void correlationIdWithAControlCharacterIsRejectedInPlainWords(String correlationId) throws IOException {
        ObjectNode envelope = EventCodecTest.sampleTree(EventTypes.AUDIT);
        envelope.put("correlationId", correlationId);

        assertRejected(envelope, EventTypes.AUDIT,
                "correlationId: must not be blank and must not contain control characters or line breaks");
        assertThatThrownBy(() -> Envelope.of(EventTypes.AUDIT, correlationId, SampleEvents.payload(EventTypes.AUDIT)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Envelope.correlationId must not contain control characters or line breaks");
    }

    @ParameterizedTest
    @ValueSource(strings = {"run-2027W1-0001", "Études 2027 — programme ü", "词典-项目", "a b"})
    void correlationIdWithoutControlCharactersPasses(String correlationId) throws IOException {
        ObjectNode envelope = EventCodecTest.sampleTree(EventTypes.AUDIT);
        envelope.put("correlationId", correlationId);

        assertThat(codec.decode(EventCodecTest.bytes(envelope), EventTypes.AUDIT).correlationId()).isEqualTo(correlationId);
    }

    @Test
    void blankCorrelationIdIsStillRejected() throws IOException {
        ObjectNode envelope = EventCodecTest.sampleTree(EventTypes.AUDIT);
        envelope.put("correlationId", "   ");
        assertRejected(envelope, EventTypes.AUDIT, "correlationId: must not be blank");
    }

    @Test
    void correlationIdAtTwoHundredCharactersPassesAndOneMoreIsRejected() throws IOException {
        ObjectNode envelope = EventCodecTest.sampleTree(EventTypes.AUDIT);
        envelope.put("correlationId", "c".repeat(200));
        codec.decode(EventCodecTest.bytes(envelope), EventTypes.AUDIT);

        envelope.put("correlationId", "c".repeat(201));
        assertRejected(envelope, EventTypes.AUDIT, "correlationId: must be at most 200 characters long");
    }

    private void assertRejected(ObjectNode envelope, EventType<?> type, String message) {
        assertThatThrownBy(() -> codec.decode(EventCodecTest.bytes(envelope), type))
                .isInstanceOfSatisfying(RejectedEventException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.SCHEMA_INVALID);
                    assertThat(e.getMessage()).startsWith("SCHEMA_INVALID: " + message);
                });
    }
}
