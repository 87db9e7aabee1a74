package tapipeline.platform.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.apache.kafka.common.errors.RecordTooLargeException;

/**
 * The registry of every topic in the system (see docs/architecture.md): who writes it, how it is
 * kept. Services refer to topics only through these constants.
 */
public final class Topics {

    public static final String DLQ_SUFFIX = ".dlq";

    /*
     * Record size limits. Every topic sets max.message.bytes, which the broker checks against the
     * record batch as stored, i.e. after the producer's zstd compression; the producer's
     * max.request.size (MAX_RECORD_BYTES) bounds the same record before compression. A send over
     * either fails with a RecordTooLargeException that names the topic and both limits
     * (Events.send). The broker's own message.max.bytes (EmbeddedKafka: 20 MiB) only applies to
     * topics without a limit of their own, which the registry does not have.
     */

    /** The handbook PDF travels whole in one record; 16 MiB is far above a 100-page handbook (~2 MB). */
    public static final int ARTIFACT_MAX_BYTES = 16 * 1024 * 1024;
    /**
     * Whole-problem snapshots and results. A 1,500-course / 2,500-applicant problem is 3.0 MB of JSON
     * and 0.29 MB compressed; 20,000 courses / 50,000 applicants (the schema's limits) 56.5 MB and
     * 5.7 MB (DepartmentGenerator, zstd level 3, measured in docs/events.md's limits section).
     */
    public static final int SNAPSHOT_MAX_BYTES = 8 * 1024 * 1024;
    /**
     * One course's explanations of one run ({@code assignment.run.explanations}). Measured with
     * DepartmentGenerator: about 700 bytes of JSON per filled slot and 2.6 KB per empty slot with its 25
     * blockers, so even a course at the schema's 1,000 slots, all empty, is 2.6 MB before compression
     * and a fraction after; 4 MiB after compression leaves room.
     */
    public static final int EXPLANATIONS_MAX_BYTES = 4 * 1024 * 1024;
    /** A program's handbook text: the schema allows about 13 M characters of prose; 4 MiB compressed covers it. */
    public static final int CONTENT_MAX_BYTES = 4 * 1024 * 1024;
    /** Small events (progress, cancels, links, accounts, audit, rendered): Kafka's own default of 1 MiB. */
    public static final int SMALL_MAX_BYTES = 1024 * 1024;
    /**
     * Largest record before compression a producer may send (its max.request.size): the 56.5 MB of a
     * problem at the schema's limits, and a 16 MiB artifact's 22.4 MB of base64.
     */
    public static final int MAX_RECORD_BYTES = 64 * 1024 * 1024;

    public static final TopicSpec RUN_REQUESTED = TopicSpec.events("assignment.run.requested",
            "coordinator -> solver: the whole problem snapshot, keyed by runId").keptForever()
            .maxMessageBytes(SNAPSHOT_MAX_BYTES);
    public static final TopicSpec RUN_PROGRESS = TopicSpec.events("assignment.run.progress",
            "solver -> coordinator, monitor: best score so far, keyed by runId").maxMessageBytes(SMALL_MAX_BYTES);
    public static final TopicSpec RUN_COMPLETED = TopicSpec.events("assignment.run.completed",
            "solver -> coordinator: assignment, score breakdown, where its explanations are, keyed by runId").keptForever()
            .maxMessageBytes(SNAPSHOT_MAX_BYTES);
    public static final TopicSpec RUN_EXPLANATIONS = TopicSpec.compacted("assignment.run.explanations",
            "solver -> coordinator, bin/solver submit: why each slot of a run got its TA (or stayed empty), one record "
                    + "per run and course keyed \"<runId> <courseId>\", in the partition the runId hashes to; read on demand")
            .maxMessageBytes(EXPLANATIONS_MAX_BYTES);
    public static final TopicSpec RUN_CANCEL = TopicSpec.events("assignment.run.cancel",
            "coordinator -> solver: stop a run early, keyed by runId").maxMessageBytes(SMALL_MAX_BYTES);
    public static final TopicSpec RUN_CHECKPOINT = TopicSpec.compacted("assignment.run.checkpoint",
            "solver -> solver: best solution so far of a run being solved, keyed by runId; tombstoned when it completes")
            .maxMessageBytes(SNAPSHOT_MAX_BYTES);
    public static final TopicSpec RUN_STATUS = TopicSpec.compacted("assignment.run.status",
            "solver -> solver, coordinator: status, score and counts of a completed run and the offset of its full "
                    + "result, keyed by runId").maxMessageBytes(SMALL_MAX_BYTES);
    public static final TopicSpec APPROVED = TopicSpec.events("assignment.approved",
            "coordinator -> handbook, publisher: approved assignment (public fields), keyed by term").keptForever()
            .maxMessageBytes(SNAPSHOT_MAX_BYTES);
    public static final TopicSpec HANDBOOK_CONTENT = TopicSpec.compacted("handbook.content",
            "coordinator -> handbook: program text, keyed by program").maxMessageBytes(CONTENT_MAX_BYTES);
    public static final TopicSpec HANDBOOK_ARTIFACTS = TopicSpec.compacted("handbook.artifacts",
            "handbook -> publisher: PDF bytes, keyed by sha256").maxMessageBytes(ARTIFACT_MAX_BYTES);
    public static final TopicSpec HANDBOOK_RENDERED = TopicSpec.events("handbook.rendered",
            "handbook -> publisher: edition, sha256, size, pages, validation, keyed by program").keptForever()
            .maxMessageBytes(SMALL_MAX_BYTES);
    public static final TopicSpec SITE_LINKS = TopicSpec.compacted("site.links",
            "publisher -> publisher, monitor: current target of each helpful link, keyed by linkId")
            .maxMessageBytes(SMALL_MAX_BYTES);
    public static final TopicSpec DATASETS = TopicSpec.compacted("coordinator.datasets",
            "coordinator state: courses, TAs, preferences, pins of a term, keyed by term")
            .maxMessageBytes(SNAPSHOT_MAX_BYTES);
    public static final TopicSpec ACCOUNTS = TopicSpec.compacted("coordinator.accounts",
            "coordinator state: accounts, roles, password hashes, keyed by user").maxMessageBytes(SMALL_MAX_BYTES);
    public static final TopicSpec SCENARIOS = TopicSpec.compacted("coordinator.scenarios",
            "coordinator state: what-if scenarios (named copies of a term's dataset), keyed by scenarioId")
            .maxMessageBytes(SNAPSHOT_MAX_BYTES);
    public static final TopicSpec OFFERS_STATE = TopicSpec.compacted("offers.state",
            "offers state: each offer to a TA (frozen courses, deadline, where it stands), keyed by offerId")
            .maxMessageBytes(SMALL_MAX_BYTES);
    public static final TopicSpec OFFERS_ANSWERED = TopicSpec.events("offers.answered",
            "offers -> coordinator: a TA accepted or declined an offer, or it expired, keyed by term").keptForever()
            .maxMessageBytes(SMALL_MAX_BYTES);
    public static final TopicSpec AUDIT = TopicSpec.events("audit",
            "every service: who did what when, keyed by subject").keptForever().maxMessageBytes(SMALL_MAX_BYTES);

    private Topics() {
    }

    /** Every event and state topic (without dead-letter topics). */
    public static List<TopicSpec> all() {
        return List.of(RUN_REQUESTED, RUN_PROGRESS, RUN_COMPLETED, RUN_EXPLANATIONS, RUN_CANCEL, RUN_CHECKPOINT, RUN_STATUS, APPROVED, HANDBOOK_CONTENT,
                HANDBOOK_ARTIFACTS, HANDBOOK_RENDERED, SITE_LINKS, DATASETS, ACCOUNTS, SCENARIOS, OFFERS_STATE, OFFERS_ANSWERED, AUDIT);
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

    /** The registry's max.message.bytes of a topic (dead-letter topics included), if it is registered with one. */
    public static Optional<Integer> maxMessageBytes(String topic) {
        return byName(topic).map(TopicSpec::maxMessageBytes);
    }

    /**
     * A record-too-large failure of a send to {@code topic}, told in terms of this system's limits:
     * the topic, the record's size before compression, the topic's max.message.bytes (after
     * compression) and the producer's max.request.size (before). Kafka's own message names neither
     * the topic nor, when the broker refuses the record, any limit.
     */
    public static RecordTooLargeException tooLarge(String topic, int recordBytes, Throwable cause) {
        String topicLimit = maxMessageBytes(topic)
                .map(b -> String.format(Locale.ROOT, "%,d bytes after compression (Topics registry)", b))
                .orElse("the broker's message.max.bytes (not in the Topics registry)");
        RecordTooLargeException e = new RecordTooLargeException(String.format(Locale.ROOT,
                "record too large for topic %s: %,d bytes before compression; the topic's max.message.bytes is %s, "
                        + "the producer's max.request.size is %,d bytes before compression (%s)",
                topic, recordBytes, topicLimit, MAX_RECORD_BYTES,
                cause == null ? "refused" : cause.getMessage()));
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }
}
