package tapipeline.schemas;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tapipeline.schemas.assignment.AssignmentApproved;
import tapipeline.schemas.assignment.AssignmentProblem;
import tapipeline.schemas.assignment.RunCancel;
import tapipeline.schemas.assignment.RunCheckpoint;
import tapipeline.schemas.assignment.RunCompleted;
import tapipeline.schemas.assignment.RunExplanations;
import tapipeline.schemas.assignment.RunProgress;
import tapipeline.schemas.assignment.RunStatus;
import tapipeline.schemas.audit.AuditEntry;
import tapipeline.schemas.coordinator.Account;
import tapipeline.schemas.coordinator.Dataset;
import tapipeline.schemas.coordinator.Scenario;
import tapipeline.schemas.offers.Offer;
import tapipeline.schemas.offers.OfferAnswered;
import tapipeline.schemas.handbook.HandbookArtifact;
import tapipeline.schemas.handbook.HandbookContent;
import tapipeline.schemas.handbook.HandbookRendered;
import tapipeline.schemas.site.SiteLink;

/** Every event type of the pipeline. The type name is also the topic name. */
public final class EventTypes {

    /**
     * Coordinator asks the solver to solve a problem. Key: runId. v2 added settings.scoreCalculationLimit,
     * v3 origin (a proposal after declined offers, or a what-if scenario).
     */
    public static final EventType<AssignmentProblem> RUN_REQUESTED =
            EventType.of("assignment.run.requested", 3, AssignmentProblem.class, AssignmentProblem::runId);
    /** Solver reports progress of a run. Key: runId. */
    public static final EventType<RunProgress> RUN_PROGRESS =
            EventType.of("assignment.run.progress", 1, RunProgress.class, RunProgress::runId);
    /**
     * Solver reports the outcome of a run. Key: runId. v2: explanations may travel on
     * {@link #RUN_EXPLANATIONS} instead of inline ({@code explanations} says where).
     */
    public static final EventType<RunCompleted> RUN_COMPLETED =
            EventType.of("assignment.run.completed", 2, RunCompleted.class, RunCompleted::runId);
    /** Solver's explanations of one course's slots in one run (compacted). Key: "runId courseId". */
    public static final EventType<RunExplanations> RUN_EXPLANATIONS =
            EventType.of("assignment.run.explanations", 1, RunExplanations.class, RunExplanations::key);
    /** Coordinator asks the solver to stop a run. Key: runId. */
    public static final EventType<RunCancel> RUN_CANCEL =
            EventType.of("assignment.run.cancel", 1, RunCancel.class, RunCancel::runId);
    /** Solver's best solution so far of a run it is solving (compacted; a tombstone once completed). Key: runId. */
    public static final EventType<RunCheckpoint> RUN_CHECKPOINT =
            EventType.of("assignment.run.checkpoint", 1, RunCheckpoint.class, RunCheckpoint::runId);
    /** Solver's summary of a completed run and where its full result is (compacted). Key: runId. */
    public static final EventType<RunStatus> RUN_STATUS =
            EventType.of("assignment.run.status", 1, RunStatus.class, RunStatus::runId);
    /** Coordinator approved an assignment (public fields only). Key: term. */
    public static final EventType<AssignmentApproved> ASSIGNMENT_APPROVED =
            EventType.of("assignment.approved", 1, AssignmentApproved.class, AssignmentApproved::term);
    /** A program's handbook text (compacted). Key: programId. */
    public static final EventType<HandbookContent> HANDBOOK_CONTENT =
            EventType.of("handbook.content", 1, HandbookContent.class, HandbookContent::programId);
    /** Rendered bytes, content-addressed (compacted). Key: sha256. */
    public static final EventType<HandbookArtifact> HANDBOOK_ARTIFACTS =
            EventType.of("handbook.artifacts", 1, HandbookArtifact.class, HandbookArtifact::sha256);
    /** A handbook edition was rendered. Key: programId. */
    public static final EventType<HandbookRendered> HANDBOOK_RENDERED =
            EventType.of("handbook.rendered", 1, HandbookRendered.class, HandbookRendered::programId);
    /** Current target of a helpful link (compacted). Key: linkId. */
    public static final EventType<SiteLink> SITE_LINKS =
            EventType.of("site.links", 1, SiteLink.class, SiteLink::linkId);
    /** A term's courses, applicants, preferences and pins (compacted). Key: term. v2 added contacts and courseDetails. */
    public static final EventType<Dataset> COORDINATOR_DATASETS =
            EventType.of("coordinator.datasets", 2, Dataset.class, Dataset::term);
    /** User accounts (compacted). Key: username. */
    public static final EventType<Account> COORDINATOR_ACCOUNTS =
            EventType.of("coordinator.accounts", 1, Account.class, Account::username);
    /** What-if scenarios: named copies of a term's dataset (compacted; a tombstone deletes one). Key: scenarioId. */
    public static final EventType<Scenario> COORDINATOR_SCENARIOS =
            EventType.of("coordinator.scenarios", 1, Scenario.class, Scenario::scenarioId);
    /** The current state of each offer to a TA (compacted). Key: offerId. */
    public static final EventType<Offer> OFFERS_STATE =
            EventType.of("offers.state", 1, Offer.class, Offer::offerId);
    /** A TA accepted or declined an offer, or it expired. Key: term. */
    public static final EventType<OfferAnswered> OFFERS_ANSWERED =
            EventType.of("offers.answered", 1, OfferAnswered.class, OfferAnswered::term);
    /** Who did what when. Key: subject. */
    public static final EventType<AuditEntry> AUDIT =
            EventType.of("audit", 1, AuditEntry.class, AuditEntry::subject);

    private static final Map<String, EventType<?>> BY_NAME;

    static {
        Map<String, EventType<?>> byName = new LinkedHashMap<>();
        for (EventType<?> type : List.of(RUN_REQUESTED, RUN_PROGRESS, RUN_COMPLETED, RUN_EXPLANATIONS, RUN_CANCEL, RUN_CHECKPOINT, RUN_STATUS,
                ASSIGNMENT_APPROVED, HANDBOOK_CONTENT, HANDBOOK_ARTIFACTS, HANDBOOK_RENDERED, SITE_LINKS,
                COORDINATOR_DATASETS, COORDINATOR_ACCOUNTS, COORDINATOR_SCENARIOS, OFFERS_STATE, OFFERS_ANSWERED, AUDIT)) {
            byName.put(type.name(), type);
        }
        BY_NAME = java.util.Collections.unmodifiableMap(byName);
    }

    private EventTypes() {
    }

    /** All types, in the order of the event catalogue. */
    public static List<EventType<?>> all() {
        return List.copyOf(BY_NAME.values());
    }

    /** The type with this name (= topic name), if there is one. */
    public static Optional<EventType<?>> byName(String name) {
        return Optional.ofNullable(name == null ? null : BY_NAME.get(name));
    }
}
