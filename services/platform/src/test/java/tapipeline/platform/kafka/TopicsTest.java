package tapipeline.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void the_registry_holds_every_topic_of_the_design_once() {
        assertThat(Topics.all()).extracting(TopicSpec::name).containsExactlyInAnyOrder(
                "assignment.run.requested", "assignment.run.progress", "assignment.run.completed",
                "assignment.run.explanations", "assignment.run.cancel", "assignment.run.checkpoint", "assignment.run.status", "assignment.approved", "handbook.content", "handbook.artifacts",
                "handbook.rendered", "site.links", "coordinator.datasets", "coordinator.accounts",
                "coordinator.scenarios", "offers.state", "offers.answered", "audit");
    }

    @Test
    void state_topics_are_compacted_and_history_is_kept_forever() {
        for (TopicSpec t : List.of(Topics.HANDBOOK_CONTENT, Topics.HANDBOOK_ARTIFACTS, Topics.SITE_LINKS,
                Topics.DATASETS, Topics.ACCOUNTS, Topics.RUN_CHECKPOINT, Topics.RUN_STATUS, Topics.RUN_EXPLANATIONS,
                Topics.SCENARIOS, Topics.OFFERS_STATE)) {
            assertThat(t.configs()).containsEntry("cleanup.policy", "compact");
        }
        for (TopicSpec t : List.of(Topics.RUN_COMPLETED, Topics.APPROVED, Topics.HANDBOOK_RENDERED, Topics.AUDIT,
                Topics.OFFERS_ANSWERED)) {
            assertThat(t.configs()).containsEntry("retention.ms", "-1");
        }
        assertThat(Topics.HANDBOOK_ARTIFACTS.configs()).containsEntry("max.message.bytes",
                Integer.toString(Topics.ARTIFACT_MAX_BYTES));
    }

    @Test
    void explanations_are_compacted_one_record_per_run_and_course_without_a_time_limit() {
        // compaction keeps the latest record per key: the key is "<runId> <courseId>", so nothing of a run is lost
        // while a re-solved run's second copy replaces its first
        assertThat(Topics.RUN_EXPLANATIONS.configs()).containsEntry("cleanup.policy", "compact")
                .doesNotContainKey("retention.ms")
                .containsEntry("max.message.bytes", Integer.toString(Topics.EXPLANATIONS_MAX_BYTES));
        assertThat(Topics.RUN_EXPLANATIONS.name()).isEqualTo(tapipeline.schemas.EventTypes.RUN_EXPLANATIONS.topic());
    }

    @Test
    void every_topic_has_a_dead_letter_topic_kept_forever() {
        assertThat(Topics.allWithDeadLetters()).hasSize(2 * Topics.all().size());
        TopicSpec dlq = Topics.byName("handbook.content.dlq").orElseThrow();
        assertThat(dlq.configs()).containsEntry("cleanup.policy", "delete").containsEntry("retention.ms", "-1");
    }
}
