package tapipeline.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import tapipeline.schemas.assignment.RunCompleted;
import tapipeline.schemas.assignment.RunExplanations;
import tapipeline.schemas.samples.SampleEvents;

/**
 * assignment.run.completed v2 and assignment.run.explanations v1: a result split into a lean result
 * and one explanations record per course is put back together exactly, both shapes pass their schemas,
 * and a v1 result with explanations inline (records already on the topic) is still read.
 */
class RunExplanationsTest {

    private final RunCompleted full = SampleEvents.runCompleted();

    @Test
    void a_result_splits_into_one_record_per_course_and_joins_back_unchanged() {
        List<RunExplanations> courses = RunExplanations.split(full);

        assertThat(courses).extracting(RunExplanations::courseId)
                .containsExactly("cpsc110-101", "cpsc221-201", "cpsc340-101");
        assertThat(courses).allSatisfy(c -> assertThat(c.runId()).isEqualTo(full.runId()));
        assertThat(courses.stream().mapToInt(c -> c.assignments().size()).sum()).isEqualTo(full.assignments().size());
        RunExplanations cpsc221 = courses.get(1);
        assertThat(cpsc221.explanationOf(0).summary()).startsWith("محمد الأحمد");
        assertThat(cpsc221.unassignedOf(1).blockers()).hasSize(3);
        assertThat(cpsc221.unassignedOf(0)).isNull();

        RunCompleted lean = full.withExplanationsAt(new RunCompleted.ExplanationsRef(2, 10, 12, 3, 6));
        assertThat(lean.hasInlineExplanations()).isFalse();
        assertThat(lean.assignments()).allSatisfy(a -> assertThat(a.explanation()).isNull());
        assertThat(lean.unassigned()).singleElement().satisfies(u -> {
            assertThat(u.summary()).isEqualTo("No qualified TA with free hours");
            assertThat(u.blockers()).isEmpty();
        });
        assertThat(lean.explanations().partition()).isEqualTo(2);

        assertThat(lean.withExplanationsInline(courses)).isEqualTo(full);
    }

    @Test
    void the_key_is_run_and_course_so_compaction_keeps_one_record_per_slot_group() {
        RunExplanations e = SampleEvents.runExplanations();
        assertThat(EventTypes.RUN_EXPLANATIONS.keyOf(e)).isEqualTo(SampleEvents.RUN_ID + " cpsc221-201");
        // ids have no whitespace, so "a b" + "c" and "a" + "b c" cannot both exist
        assertThat(RunExplanations.key("run-1", "c-2")).isNotEqualTo(RunExplanations.key("run-1 c", "2"));
        assertThatThrownBy(() -> new RunExplanations("run-1", "c-1", List.of(full.assignments().get(0)), List.of()))
                .hasMessageContaining("slot of course cpsc110-101 in the record of course c-1");
    }

    @Test
    void the_lean_result_and_an_explanations_record_pass_their_schemas() {
        RunCompleted lean = SampleEvents.runCompletedLean();
        byte[] bytes = EventCodec.standard().encodeChecked(Envelope.of(EventTypes.RUN_COMPLETED, lean));
        assertThat(EventCodec.standard().decode(bytes, EventTypes.RUN_COMPLETED).payload()).isEqualTo(lean);
        assertThat(new String(bytes, java.nio.charset.StandardCharsets.UTF_8)).doesNotContain("\"explanation\"")
                .contains("\"explanations\"");

        RunExplanations e = SampleEvents.runExplanations();
        byte[] record = EventCodec.standard().encodeChecked(Envelope.of(EventTypes.RUN_EXPLANATIONS, SampleEvents.RUN_ID, e));
        assertThat(EventCodec.standard().decode(record, EventTypes.RUN_EXPLANATIONS).payload()).isEqualTo(e);
    }

    @Test
    void a_version_one_result_with_explanations_inline_is_still_read() throws Exception {
        ObjectNode envelope = (ObjectNode) EventCodec.objectMapper().readTree(
                EventCodec.standard().encode(Envelope.of(EventTypes.RUN_COMPLETED, full)));
        envelope.put("version", 1);
        byte[] v1 = EventCodec.objectMapper().writeValueAsBytes(envelope);

        Envelope<RunCompleted> decoded = EventCodec.standard().decode(v1, EventTypes.RUN_COMPLETED);

        assertThat(decoded.version()).isEqualTo(2);
        assertThat(decoded.payload()).isEqualTo(full);
        assertThat(decoded.payload().hasInlineExplanations()).isTrue();
        assertThat(decoded.payload().explanations()).isNull();
    }

    @Test
    void a_version_one_result_without_an_explanation_is_still_refused_as_v1_demanded() throws Exception {
        ObjectNode envelope = (ObjectNode) EventCodec.objectMapper().readTree(
                EventCodec.standard().encode(Envelope.of(EventTypes.RUN_COMPLETED, SampleEvents.runCompletedLean())));
        envelope.put("version", 1);
        byte[] v1 = EventCodec.objectMapper().writeValueAsBytes(envelope);

        assertThatThrownBy(() -> EventCodec.standard().decode(v1, EventTypes.RUN_COMPLETED))
                .isInstanceOf(RejectedEventException.class)
                .hasMessageContaining("SCHEMA_INVALID");
    }
}
