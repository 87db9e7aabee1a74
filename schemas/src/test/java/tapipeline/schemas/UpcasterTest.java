package tapipeline.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import tapipeline.schemas.RejectedEventException.Reason;
import tapipeline.schemas.assignment.AssignmentProblem;
import tapipeline.schemas.samples.SampleEvents;

/**
 * Proves the upcasting path with a made-up type whose two versions live in test resources:
 * v1 {@code {noteId, text}} became v2 {@code {noteId, message, severity}}.
 */
class UpcasterTest {

    record Note(String noteId, String message, String severity) {
    }

    static final EventType<Note> NOTE = EventType.of("test.note", 2, Note.class, Note::noteId);

    /** v1 -> v2: rename text to message; notes written before severities existed were informational. */
    static final Upcaster NOTE_V1_TO_V2 = payload -> {
        ObjectNode note = (ObjectNode) payload;
        note.set("message", note.remove("text"));
        note.put("severity", "INFO");
        return note;
    };

    private final EventCodec withUpcaster =
            new EventCodec(List.of(NOTE), Upcasters.builder().register(NOTE, 1, NOTE_V1_TO_V2).build());
    private final EventCodec withoutUpcaster = new EventCodec(List.of(NOTE), Upcasters.none());

    @Test
    void olderVersionIsUpcastToTheCurrentRecord() {
        Envelope<Note> decoded = withUpcaster.decode(v1("{\"noteId\":\"n-1\",\"text\":\"Room changed to ICCS 005\"}"), NOTE);

        assertThat(decoded.payload()).isEqualTo(new Note("n-1", "Room changed to ICCS 005", "INFO"));
        assertThat(decoded.version()).as("the envelope reports the version of the record it holds").isEqualTo(2);
        assertThat(decoded.eventId()).hasToString("6f1c1e7a-0d44-4d0b-8c55-2f3b9f0a7e11");
    }

    @Test
    void aVersionOneRunRequestIsReadAsTheCurrentVersion() throws Exception {
        AssignmentProblem problem =
                SampleEvents.payload(EventTypes.RUN_REQUESTED);
        ObjectNode envelope = (ObjectNode) EventCodec.objectMapper().readTree(
                EventCodec.standard().encode(Envelope.of(EventTypes.RUN_REQUESTED, problem)));
        envelope.put("version", 1);
        byte[] v1 = EventCodec.objectMapper().writeValueAsBytes(envelope);

        Envelope<AssignmentProblem> decoded =
                EventCodec.standard().decode(v1, EventTypes.RUN_REQUESTED);

        assertThat(decoded.version()).isEqualTo(3);
        assertThat(decoded.payload()).isEqualTo(problem);
        assertThat(decoded.payload().settings().scoreCalculationLimit()).isNull();
        assertThat(decoded.payload().origin()).isNull();
    }

    @Test
    void aVersionTwoRunRequestIsReadAsVersionThreeAndAProposalKeepsItsOrigin() throws Exception {
        AssignmentProblem problem = SampleEvents.payload(EventTypes.RUN_REQUESTED);
        ObjectNode envelope = (ObjectNode) EventCodec.objectMapper().readTree(
                EventCodec.standard().encode(Envelope.of(EventTypes.RUN_REQUESTED, problem)));
        envelope.put("version", 2);
        Envelope<AssignmentProblem> decoded = EventCodec.standard()
                .decode(EventCodec.objectMapper().writeValueAsBytes(envelope), EventTypes.RUN_REQUESTED);
        assertThat(decoded.version()).isEqualTo(3);
        assertThat(decoded.payload()).isEqualTo(problem);

        AssignmentProblem proposal = SampleEvents.proposalProblem();
        byte[] bytes = EventCodec.standard().encode(Envelope.of(EventTypes.RUN_REQUESTED, proposal));
        assertThat(EventCodec.standard().decode(bytes, EventTypes.RUN_REQUESTED).payload().origin())
                .isEqualTo(proposal.origin());
        ObjectNode asV2 = (ObjectNode) EventCodec.objectMapper().readTree(bytes);
        asV2.put("version", 2);
        assertThatThrownBy(() -> EventCodec.standard().decode(EventCodec.objectMapper().writeValueAsBytes(asV2),
                EventTypes.RUN_REQUESTED)).as("v2 has no origin: a v2 record holding one is refused")
                .hasMessageContaining("origin");
    }

    @Test
    void aVersionOneDatasetIsReadAsVersionTwoWithoutContacts() throws Exception {
        tapipeline.schemas.coordinator.Dataset d = SampleEvents.payload(EventTypes.COORDINATOR_DATASETS);
        tapipeline.schemas.coordinator.Dataset v1Shape = new tapipeline.schemas.coordinator.Dataset(d.term(), d.version(),
                d.courses(), d.applicants(), d.preferences(), d.instructorPreferences(), d.pins());
        ObjectNode envelope = (ObjectNode) EventCodec.objectMapper().readTree(
                EventCodec.standard().encode(Envelope.of(EventTypes.COORDINATOR_DATASETS, v1Shape)));
        envelope.put("version", 1);
        ((ObjectNode) envelope.get("payload")).remove(List.of("contacts", "courseDetails")); // a v1 record has neither
        Envelope<tapipeline.schemas.coordinator.Dataset> decoded = EventCodec.standard()
                .decode(EventCodec.objectMapper().writeValueAsBytes(envelope), EventTypes.COORDINATOR_DATASETS);
        assertThat(decoded.version()).isEqualTo(2);
        assertThat(decoded.payload()).isEqualTo(v1Shape);
        assertThat(decoded.payload().contacts()).isEmpty();
    }

    @Test
    void currentVersionIsNotTouched() {
        Envelope<Note> sent = Envelope.of(NOTE, new Note("n-2", "Office hours moved", "WARNING"));

        assertThat(withUpcaster.decode(withUpcaster.encode(sent), NOTE)).isEqualTo(sent);
    }

    @Test
    void olderVersionWithoutAnUpcasterIsUnknownVersion() {
        assertThatThrownBy(() -> withoutUpcaster.decode(v1("{\"noteId\":\"n-1\",\"text\":\"hello\"}"), NOTE))
                .isInstanceOfSatisfying(RejectedEventException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_VERSION);
                    assertThat(e.getMessage()).contains("no upcaster from test.note v1 to v2");
                });
    }

    @Test
    void olderVersionIsValidatedAgainstItsOwnSchemaFirst() {
        assertThatThrownBy(() -> withUpcaster.decode(v1("{\"noteId\":\"n-1\",\"message\":\"already new\"}"), NOTE))
                .isInstanceOfSatisfying(RejectedEventException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.SCHEMA_INVALID);
                    assertThat(e.details()).anySatisfy(d -> assertThat(d).startsWith("payload").contains("text"));
                });
    }

    @Test
    void upcastResultMustMatchTheCurrentSchema() {
        Upcaster forgetful = payload -> payload; // leaves 'text' in place and adds nothing
        EventCodec broken = new EventCodec(List.of(NOTE), Upcasters.builder().register(NOTE, 1, forgetful).build());

        assertThatThrownBy(() -> broken.decode(v1("{\"noteId\":\"n-1\",\"text\":\"hello\"}"), NOTE))
                .isInstanceOfSatisfying(RejectedEventException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.SCHEMA_INVALID));
    }

    @Test
    void newerVersionIsUnknownVersionEvenWithUpcasters() {
        byte[] v3 = envelope(3, "{\"noteId\":\"n-1\",\"message\":\"hi\",\"severity\":\"INFO\",\"tags\":[]}");

        assertThatThrownBy(() -> withUpcaster.decode(v3, NOTE))
                .isInstanceOfSatisfying(RejectedEventException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_VERSION);
                    assertThat(e.getMessage()).contains("v3 is newer than the supported v2");
                });
    }

    @Test
    void aStepCanBeRegisteredOnlyOnce() {
        Upcasters.Builder builder = Upcasters.builder().register(NOTE, 1, NOTE_V1_TO_V2);

        assertThatThrownBy(() -> builder.register("test.note", 1, NOTE_V1_TO_V2))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(builder.build().find("test.note", 1)).containsSame(NOTE_V1_TO_V2);
        assertThat(builder.build().find("test.note", 2)).isEmpty();
    }

    private static byte[] v1(String payload) {
        return envelope(1, payload);
    }

    private static byte[] envelope(int version, String payload) {
        return ("{\"eventId\":\"6f1c1e7a-0d44-4d0b-8c55-2f3b9f0a7e11\",\"type\":\"test.note\",\"version\":" + version
                + ",\"occurredAt\":\"2026-03-02T09:15:00Z\",\"correlationId\":\"n-1\",\"payload\":" + payload + "}")
                .getBytes(StandardCharsets.UTF_8);
    }
}
