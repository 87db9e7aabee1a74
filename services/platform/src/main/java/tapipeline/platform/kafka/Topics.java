package tapipeline.platform.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The registry of every topic in the system (see docs/architecture.md): who writes it, how it is
 * kept. Services refer to topics only through these constants.
 */
public final class Topics {

    public static final String DLQ_SUFFIX = ".dlq";

    /** The handbook PDF travels whole in one record; 16 MiB is far above a 100-page handbook (~2 MB). */
    public static final int ARTIFACT_MAX_BYTES = 16 * 1024 * 1024;
    /** A 1,500-course university snapshot is a few MB of JSON before compression. */
    public static final int SNAPSHOT_MAX_BYTES = 8 * 1024 * 1024;

    public static final TopicSpec RUN_REQUESTED = TopicSpec.events("assignment.run.requested",
            "coordinator -> solver: the whole problem snapshot, keyed by runId").keptForever()
            .maxMessageBytes(SNAPSHOT_MAX_BYTES);
    public static final TopicSpec RUN_PROGRESS = TopicSpec.events("assignment.run.progress",
            "solver -> coordinator, monitor: best score so far, keyed by runId");
    public static final TopicSpec RUN_COMPLETED = TopicSpec.events("assignment.run.completed",
            "solver -> coordinator: assignment, score breakdown, explanations, keyed by runId").keptForever()
            .maxMessageBytes(SNAPSHOT_MAX_BYTES);
    public static final TopicSpec RUN_CANCEL = TopicSpec.events("assignment.run.cancel",
            "coordinator -> solver: stop a run early, keyed by runId");
    public static final TopicSpec RUN_CHECKPOINT = TopicSpec.compacted("assignment.run.checkpoint",
            "solver -> solver: best solution so far of a run being solved, keyed by runId; tombstoned when it completes")
            .maxMessageBytes(SNAPSHOT_MAX_BYTES);
    public static final TopicSpec RUN_STATUS = TopicSpec.compacted("assignment.run.status",
            "solver -> solver, coordinator: status, score and counts of a completed run and the offset of its full "
                    + "result, keyed by runId");
    public static final TopicSpec APPROVED = TopicSpec.events("assignment.approved",
            "coordinator -> handbook, publisher: approved assignment (public fields), keyed by term").keptForever()
            .maxMessageBytes(SNAPSHOT_MAX_BYTES);
    public static final TopicSpec HANDBOOK_CONTENT = TopicSpec.compacted("handbook.content",
            "coordinator -> handbook: program text, keyed by program");
    public static final TopicSpec HANDBOOK_ARTIFACTS = TopicSpec.compacted("handbook.artifacts",
            "handbook -> publisher: PDF bytes, keyed by sha256").maxMessageBytes(ARTIFACT_MAX_BYTES);
    public static final TopicSpec HANDBOOK_RENDERED = TopicSpec.events("handbook.rendered",
            "handbook -> publisher: edition, sha256, size, pages, validation, keyed by program").keptForever();
    public static final TopicSpec SITE_LINKS = TopicSpec.compacted("site.links",
            "publisher -> publisher, monitor: current target of each helpful link, keyed by linkId");
    public static final TopicSpec DATASETS = TopicSpec.compacted("coordinator.datasets",
            "coordinator state: courses, TAs, preferences, pins of a term, keyed by term")
            .maxMessageBytes(SNAPSHOT_MAX_BYTES);
    public static final TopicSpec ACCOUNTS = TopicSpec.compacted("coordinator.accounts",
            "coordinator state: accounts, roles, password hashes, keyed by user");
    public static final TopicSpec AUDIT = TopicSpec.events("audit",
            "every service: who did what when, keyed by subject").keptForever();

    private Topics() {
    }

    /** Every event and state topic (without dead-letter topics). */
    public static List<TopicSpec> all() {
        return List.of(RUN_REQUESTED, RUN_PROGRESS, RUN_COMPLETED, RUN_CANCEL, RUN_CHECKPOINT, RUN_STATUS, APPROVED, HANDBOOK_CONTENT,
                HANDBOOK_ARTIFACTS, HANDBOOK_RENDERED, SITE_LINKS, DATASETS, ACCOUNTS, AUDIT);
    }

    /** Every topic with its dead-letter topic: what the admin step creates. */
    public static List<TopicSpec> allWithDeadLetters() {
        List<TopicSpec> out = new ArrayList<>();
        for (TopicSpec t : all()) {
            out.add(t);
            out.add(t.deadLetters());
        }
        return out;
    }

    public static Optional<TopicSpec> byName(String name) {
        return allWithDeadLetters().stream().filter(t -> t.name().equals(name)).findFirst();
    }

    public static String deadLetterTopicOf(String topic) {
        return topic + DLQ_SUFFIX;
    }
}
