package tapipeline.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tapipeline.schemas.RejectedEventException.Reason;
import tapipeline.schemas.assignment.AssignmentProblem;
import tapipeline.schemas.handbook.HandbookArtifact;
import tapipeline.schemas.samples.SampleEvents;

class EventCodecTest {

    private final EventCodec codec = EventCodec.standard();

    static Stream<EventType<?>> types() {
        return EventTypes.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("types")
    void sampleSerializesToSchemaValidJsonAndRoundTrips(EventType<?> type) throws IOException {
        Envelope<?> sent = SampleEvents.envelope(type);

        byte[] bytes = codec.encode(sent);
        JsonNode json = EventCodec.objectMapper().readTree(bytes);

        assertThat(codec.validateEnvelope(json)).isEmpty();
        assertThat(codec.validatePayload(type, type.currentVersion(), json.get("payload"))).isEmpty();
        assertThat(json.get("type").asText()).isEqualTo(type.name());
        assertThat(json.get("occurredAt").isTextual()).as("dates are ISO strings").isTrue();
        assertThat(codec.decode(bytes, type)).isEqualTo(sent);
        assertThat(codec.decodeAny(bytes)).isEqualTo(sent);
        assertThat(codec.encode(codec.decode(bytes, type))).as("re-encoding gives the same bytes").isEqualTo(bytes);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("types")
    void missingRequiredPayloadFieldIsSchemaInvalid(EventType<?> type) throws IOException {
        ObjectNode envelope = sampleTree(type);
        String field = requiredFields(type).get(0);
        ((ObjectNode) envelope.get("payload")).remove(field);

        assertThatThrownBy(() -> codec.decode(bytes(envelope), type))
                .isInstanceOfSatisfying(RejectedEventException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.SCHEMA_INVALID);
                    assertThat(e.eventType()).isEqualTo(type.name());
                    assertThat(e.getMessage()).contains("payload").contains(field);
                });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("types")
    void wrongJsonTypeOfEveryRequiredFieldIsSchemaInvalid(EventType<?> type) throws IOException {
        for (String field : requiredFields(type)) {
            ObjectNode envelope = sampleTree(type);
            ObjectNode payload = (ObjectNode) envelope.get("payload");
            payload.set(field, wrongTypeFor(payload.get(field)));

            assertThatThrownBy(() -> codec.decode(bytes(envelope), type))
                    .as(type.name() + "." + field)
                    .isInstanceOfSatisfying(RejectedEventException.class, e -> {
                        assertThat(e.reason()).isEqualTo(Reason.SCHEMA_INVALID);
                        assertThat(e.getMessage()).startsWith("SCHEMA_INVALID: payload." + field);
                    });
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("types")
    void unknownPropertyIsSchemaInvalid(EventType<?> type) throws IOException {
        ObjectNode envelope = sampleTree(type);
        ((ObjectNode) envelope.get("payload")).put("colour", "blue");

        assertThatThrownBy(() -> codec.decode(bytes(envelope), type))
                .isInstanceOfSatisfying(RejectedEventException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.SCHEMA_INVALID);
                    assertThat(e.getMessage()).contains("colour");
                });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("types")
    void newerVersionIsUnknownVersion(EventType<?> type) throws IOException {
        ObjectNode envelope = sampleTree(type);
        envelope.put("version", type.currentVersion() + 1);

        assertThatThrownBy(() -> codec.decode(bytes(envelope), type))
                .isInstanceOfSatisfying(RejectedEventException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_VERSION);
                    assertThat(e.getMessage()).contains("version").contains("v" + (type.currentVersion() + 1));
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{not json", "[1, 2]", "\"text\"", "null", "{\"a\": 1} trailing", "{\"a\": 1, \"a\": 2}"})
    void malformedJsonIsRejected(String text) {
        assertThatThrownBy(() -> codec.decode(text.getBytes(StandardCharsets.UTF_8), EventTypes.AUDIT))
                .isInstanceOfSatisfying(RejectedEventException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED_JSON));
    }

    @Test
    void invalidUtf8IsMalformedJson() {
        byte[] bytes = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        assertThatThrownBy(() -> codec.decodeAny(bytes))
                .isInstanceOfSatisfying(RejectedEventException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED_JSON));
    }

    @Test
    void unknownTypeIsRejected() throws IOException {
        ObjectNode envelope = sampleTree(EventTypes.AUDIT);
        envelope.put("type", "grades.posted");

        assertThatThrownBy(() -> codec.decodeAny(bytes(envelope)))
                .isInstanceOfSatisfying(RejectedEventException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_TYPE);
                    assertThat(e.eventType()).isEqualTo("grades.posted");
                    assertThat(e.getMessage()).contains("grades.posted");
                });
    }

    @Test
    void eventOfAnotherTypeIsWrongType() {
        byte[] audit = codec.encode(SampleEvents.envelope(EventTypes.AUDIT));

        assertThatThrownBy(() -> codec.decode(audit, EventTypes.RUN_CANCEL))
                .isInstanceOfSatisfying(RejectedEventException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.WRONG_TYPE);
                    assertThat(e.getMessage()).contains("assignment.run.cancel").contains("audit");
                });
    }

    @Test
    void brokenEnvelopeNamesTheField() throws IOException {
        ObjectNode missingId = sampleTree(EventTypes.AUDIT);
        missingId.remove("eventId");
        ObjectNode badId = sampleTree(EventTypes.AUDIT);
        badId.put("eventId", "not-a-uuid");
        ObjectNode badTime = sampleTree(EventTypes.AUDIT);
        badTime.put("occurredAt", "yesterday");
        ObjectNode zeroVersion = sampleTree(EventTypes.AUDIT);
        zeroVersion.put("version", 0);

        assertRejected(missingId, Reason.SCHEMA_INVALID, "eventId");
        assertRejected(badId, Reason.SCHEMA_INVALID, "eventId");
        assertRejected(badTime, Reason.SCHEMA_INVALID, "occurredAt");
        assertRejected(zeroVersion, Reason.SCHEMA_INVALID, "version");
    }

    @Test
    void messageNamesTheNestedPath() throws IOException {
        ObjectNode envelope = sampleTree(EventTypes.RUN_REQUESTED);
        ((ObjectNode) envelope.at("/payload/courses/2")).put("slots", 0);

        assertThatThrownBy(() -> codec.decode(bytes(envelope), EventTypes.RUN_REQUESTED))
                .isInstanceOfSatisfying(RejectedEventException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.SCHEMA_INVALID);
                    assertThat(e.getMessage()).startsWith("SCHEMA_INVALID: payload.courses[2].slots: ");
                    assertThat(e.details()).hasSize(1);
                });
    }

    @Test
    void everyProblemIsListedInTheDetails() throws IOException {
        ObjectNode envelope = sampleTree(EventTypes.RUN_REQUESTED);
        ((ObjectNode) envelope.at("/payload/courses/0")).put("priority", 9);
        ((ObjectNode) envelope.at("/payload/applicants/1")).remove("name");
        ((ObjectNode) envelope.at("/payload/preferences/0")).put("rating", 0);

        assertThatThrownBy(() -> codec.decode(bytes(envelope), EventTypes.RUN_REQUESTED))
                .isInstanceOfSatisfying(RejectedEventException.class, e -> {
                    assertThat(e.details()).hasSize(3);
                    assertThat(e.details()).anySatisfy(d -> assertThat(d).startsWith("payload.courses[0].priority: "));
                    assertThat(e.details()).anySatisfy(d -> assertThat(d).startsWith("payload.applicants[1]").contains("name"));
                    assertThat(e.details()).anySatisfy(d -> assertThat(d).startsWith("payload.preferences[0].rating: "));
                    assertThat(e.getMessage()).contains("(and 2 more)");
                });
    }

    @Test
    void ruleOnlyTheRecordKnowsIsSchemaInvalidWithTheRecordMessage() throws IOException {
        ObjectNode envelope = sampleTree(EventTypes.RUN_REQUESTED);
        ((ObjectNode) envelope.at("/payload/courses/1")).put("minTas", 2).put("slots", 1).put("maxTas", 2);

        assertThatThrownBy(() -> codec.decode(bytes(envelope), EventTypes.RUN_REQUESTED))
                .isInstanceOfSatisfying(RejectedEventException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.SCHEMA_INVALID);
                    assertThat(e.getMessage()).startsWith("SCHEMA_INVALID: payload.courses[1]")
                            .contains("Course.minTas (2) must not exceed Course.slots (1)");
                });
    }

    @Test
    void meetingMustEndAfterItStarts() throws IOException {
        ObjectNode envelope = sampleTree(EventTypes.RUN_REQUESTED);
        ((ObjectNode) envelope.at("/payload/courses/0/meetings/0")).put("end", "09:00");

        assertThatThrownBy(() -> codec.decode(bytes(envelope), EventTypes.RUN_REQUESTED))
                .isInstanceOfSatisfying(RejectedEventException.class,
                        e -> assertThat(e.getMessage()).contains("Meeting.end (09:00) must be after Meeting.start (10:00)"));
    }

    @Test
    void badFormatsAreRejected() throws IOException {
        ObjectNode badTime = sampleTree(EventTypes.RUN_REQUESTED);
        ((ObjectNode) badTime.at("/payload/courses/0/meetings/0")).put("start", "9:00");
        ObjectNode badDay = sampleTree(EventTypes.RUN_REQUESTED);
        ((ObjectNode) badDay.at("/payload/courses/0/meetings/0")).put("day", "Monday");
        ObjectNode badWeight = sampleTree(EventTypes.RUN_REQUESTED);
        ((ObjectNode) badWeight.at("/payload/settings/constraintWeights")).put("Fair load", "heavy");
        ObjectNode badDate = sampleTree(EventTypes.AUDIT);
        ((ObjectNode) badDate.get("payload")).put("at", "2027-13-45T00:00:00Z");

        assertRejected(badTime, Reason.SCHEMA_INVALID, "payload.courses[0].meetings[0].start");
        assertRejected(badDay, Reason.SCHEMA_INVALID, "payload.courses[0].meetings[0].day");
        assertRejected(badWeight, Reason.SCHEMA_INVALID, "payload.settings.constraintWeights");
        assertRejected(badDate, Reason.SCHEMA_INVALID, "payload.at");
    }

    @Test
    void absentOptionalListsBecomeEmptyLists() {
        String json = """
                {"runId":"r1","term":"2027W1","department":"Physics",
                 "courses":[{"id":"c1","code":"PHYS 101","title":"Mechanics","section":"A","term":"2027W1",
                             "instructor":"","slots":1,"hoursPerSlot":10,"minTas":1,"maxTas":1,"priority":3}],
                 "applicants":[{"id":"a1","name":"Ада Лавлейс","program":"PhD Physics","year":2,
                                "minHours":0,"maxHours":12,"targetHours":10}]}
                """;
        AssignmentProblem problem = codec.decodePayload(json.getBytes(StandardCharsets.UTF_8), EventTypes.RUN_REQUESTED);

        assertThat(problem.preferences()).isEmpty();
        assertThat(problem.pins()).isEmpty();
        assertThat(problem.courses().get(0).meetings()).isEmpty();
        assertThat(problem.applicants().get(0).conflicts()).isEmpty();
        assertThat(problem.settings()).isEqualTo(tapipeline.schemas.assignment.SolverSettings.defaults());
    }

    @Test
    void bareProblemFileRoundTripsAndIsValidated() {
        AssignmentProblem problem = SampleEvents.problem();
        byte[] file = codec.encodePayload(problem);

        assertThat(codec.decodePayload(file, EventTypes.RUN_REQUESTED)).isEqualTo(problem);
        assertThatThrownBy(() -> codec.decodePayload("{\"runId\":\"r1\"}".getBytes(StandardCharsets.UTF_8), EventTypes.RUN_REQUESTED))
                .isInstanceOfSatisfying(RejectedEventException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.SCHEMA_INVALID);
                    assertThat(e.getMessage()).contains("payload").contains("term");
                });
    }

    @Test
    void encodeCheckedRefusesWhatAConsumerWouldReject() {
        Envelope<?> wrongVersion = new Envelope<>(java.util.UUID.randomUUID(), EventTypes.AUDIT.name(), 7,
                java.time.Instant.now(), "x", SampleEvents.auditEntry());

        assertThat(codec.encodeChecked(SampleEvents.envelope(EventTypes.AUDIT))).isNotEmpty();
        assertThatThrownBy(() -> codec.encodeChecked(wrongVersion))
                .isInstanceOfSatisfying(RejectedEventException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_VERSION));
    }

    @Test
    void offsetTimestampsAreAcceptedAndNormalizedToUtc() throws IOException {
        ObjectNode envelope = sampleTree(EventTypes.AUDIT);
        envelope.put("occurredAt", "2027-08-16T10:30:00-07:00");

        Envelope<?> decoded = codec.decodeAny(bytes(envelope));

        assertThat(decoded.occurredAt()).isEqualTo(java.time.Instant.parse("2027-08-16T17:30:00Z"));
    }

    @Test
    void artifactLargerThanJacksonsDefaultStringLimitRoundTrips() {
        byte[] pdf = new byte[16 * 1024 * 1024]; // base64 is ~22 M characters
        new java.util.Random(7).nextBytes(pdf);
        Envelope<HandbookArtifact> sent = Envelope.of(EventTypes.HANDBOOK_ARTIFACTS, HandbookArtifact.of(HandbookArtifact.PDF, pdf));

        assertThat(codec.decode(codec.encode(sent), EventTypes.HANDBOOK_ARTIFACTS)).isEqualTo(sent);
    }

    @Test
    void manyProblemsAreCountedButOnlyTheFirstTwentyListed() throws IOException {
        ObjectNode envelope = sampleTree(EventTypes.RUN_REQUESTED);
        ArrayNode preferences = (ArrayNode) envelope.at("/payload/preferences");
        for (int i = 0; i < 30; i++) {
            preferences.addObject().put("applicantId", "a-001").put("courseId", "cpsc110-101").put("rating", 9);
        }

        assertThatThrownBy(() -> codec.decode(bytes(envelope), EventTypes.RUN_REQUESTED))
                .isInstanceOfSatisfying(RejectedEventException.class, e -> {
                    assertThat(e.details()).hasSize(20);
                    assertThat(e.getMessage()).endsWith("(and 29 more)");
                });
    }

    @Test
    void oneCodecServesManyThreads() throws Exception {
        List<byte[]> events = EventTypes.all().stream().map(t -> codec.encode(SampleEvents.envelope(t))).toList();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<Integer>> results = new java.util.ArrayList<>();
            for (int t = 0; t < 4; t++) {
                results.add(pool.submit(() -> {
                    int decoded = 0;
                    for (int round = 0; round < 50; round++) {
                        for (byte[] event : events) {
                            assertThat(codec.encode(codec.decodeAny(event))).isEqualTo(event);
                            decoded++;
                        }
                    }
                    return decoded;
                }));
            }
            for (var result : results) {
                assertThat(result.get(60, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(50 * events.size());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void linksMayBeSiteRelativeOrInternationalButNotBroken() throws IOException {
        ObjectNode relative = sampleTree(EventTypes.SITE_LINKS);
        ((ObjectNode) relative.get("payload")).put("target", "/handbooks/msc-cs/2027-2028.pdf");
        ObjectNode international = sampleTree(EventTypes.SITE_LINKS);
        ((ObjectNode) international.get("payload")).put("target", "https://例え.jp/大学院/案内");
        ObjectNode broken = sampleTree(EventTypes.SITE_LINKS);
        ((ObjectNode) broken.get("payload")).put("target", "https://cs.example.edu/a b");

        assertThat(codec.decode(bytes(relative), EventTypes.SITE_LINKS).payload().target()).startsWith("/handbooks");
        assertThat(codec.decode(bytes(international), EventTypes.SITE_LINKS).payload().target()).contains("大学院");
        assertRejected(broken, Reason.SCHEMA_INVALID, "payload.target");
    }

    // ---------------------------------------------------------------- helpers

    private void assertRejected(ObjectNode envelope, Reason reason, String where) {
        assertThatThrownBy(() -> codec.decodeAny(bytes(envelope)))
                .isInstanceOfSatisfying(RejectedEventException.class, e -> {
                    assertThat(e.reason()).isEqualTo(reason);
                    assertThat(e.getMessage()).contains(where);
                });
    }

    static ObjectNode sampleTree(EventType<?> type) throws IOException {
        byte[] bytes = EventCodec.standard().encode(SampleEvents.envelope(type));
        return (ObjectNode) EventCodec.objectMapper().readTree(bytes);
    }

    static byte[] bytes(JsonNode node) throws IOException {
        return EventCodec.objectMapper().writeValueAsBytes(node);
    }

    static List<String> requiredFields(EventType<?> type) throws IOException {
        try (InputStream in = EventCodecTest.class.getClassLoader().getResourceAsStream(type.schemaResource(type.currentVersion()))) {
            ArrayNode required = (ArrayNode) EventCodec.objectMapper().readTree(in).get("required");
            return java.util.stream.StreamSupport.stream(required.spliterator(), false).map(JsonNode::asText).toList();
        }
    }

    private static JsonNode wrongTypeFor(JsonNode value) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (value == null || value.isTextual()) {
            return f.numberNode(42);
        }
        if (value.isNumber() || value.isBoolean() || value.isArray()) {
            return f.textNode("oops");
        }
        return f.numberNode(7);
    }
}
