package tapipeline.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import tapipeline.schemas.Envelope;
import tapipeline.schemas.EventCodec;
import tapipeline.schemas.EventTypes;
import tapipeline.schemas.assignment.AssignmentProblem;
import tapipeline.schemas.assignment.Course;
import tapipeline.schemas.samples.SampleEvents;

/**
 * What a run trace keeps of a record: never its value, and of its payload only the top-level values it
 * matches and summarizes on, so a search over run requests of tens of MB does not hold them.
 */
class RunTracerRecordTest {

    @Test
    void a_large_run_request_is_kept_as_its_top_level_values_only() throws Exception {
        AssignmentProblem sample = SampleEvents.problem();
        List<Course> courses = new ArrayList<>();
        Course c = sample.courses().get(0);
        for (int i = 0; i < 20_000; i++) {
            courses.add(new Course("c-" + i, c.code(), c.title(), c.section(), c.term(), c.instructor(), c.meetings(),
                    c.slots(), c.hoursPerSlot(), c.requiredSkills(), c.minTas(), c.maxTas(), c.priority(),
                    c.wantsExperienced()));
        }
        AssignmentProblem big = new AssignmentProblem(sample.runId(), sample.term(), sample.department(), courses,
                sample.applicants(), sample.preferences(), sample.instructorPreferences(), sample.pins(),
                sample.previousAssignment(), sample.settings());
        byte[] value = EventCodec.standard().encode(Envelope.of(EventTypes.RUN_REQUESTED, big));
        assertThat(value.length).isGreaterThan(4_000_000);

        ConsumerRecord<String, byte[]> record = new ConsumerRecord<>("assignment.run.requested", 0, 7L, 1L,
                org.apache.kafka.common.record.TimestampType.CREATE_TIME, big.runId().length(), value.length, big.runId(),
                value, new org.apache.kafka.common.header.internals.RecordHeaders(), java.util.Optional.empty());
        var kept = RunTracer.candidate(record, big.runId());

        assertThat(kept.record().value()).as("the value is not kept").isNull();
        assertThat(kept.record().serializedValueSize()).isEqualTo(value.length);
        JsonNode payload = kept.payload();
        assertThat(payload.get("runId").asText()).isEqualTo(big.runId());
        assertThat(payload.get("term").asText()).isEqualTo(big.term());
        assertThat(payload.has("courses")).as("lists are skipped").isFalse();
        assertThat(payload.has("settings")).isFalse();
    }

    @Test
    void another_runs_record_in_a_run_topic_is_not_parsed_and_a_result_says_where_its_explanations_are()
            throws Exception {
        byte[] lean = EventCodec.standard().encode(Envelope.of(EventTypes.RUN_COMPLETED, SampleEvents.runCompletedLean()));
        var other = RunTracer.candidate(new ConsumerRecord<>("assignment.run.completed", 1, 3L, "another-run", lean),
                SampleEvents.RUN_ID);
        assertThat(other.payload()).isNull();

        var own = RunTracer.candidate(new ConsumerRecord<>("assignment.run.completed", 1, 4L, SampleEvents.RUN_ID, lean),
                SampleEvents.RUN_ID);
        assertThat(own.payload().get("status").asText()).isEqualTo("SOLVED");
        assertThat(own.payload().get("explanations").get("courses").asInt()).isEqualTo(3);
    }
}
