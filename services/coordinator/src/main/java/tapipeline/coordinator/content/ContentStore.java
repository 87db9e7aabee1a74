package tapipeline.coordinator.content;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import tapipeline.coordinator.audit.AuditLog;
import tapipeline.platform.kafka.Events;
import tapipeline.platform.kafka.ReplayLoop;
import tapipeline.platform.service.ServiceRuntime;
import tapipeline.schemas.Envelope;
import tapipeline.schemas.EventTypes;
import tapipeline.schemas.handbook.HandbookContent;

/**
 * The programs' handbook text (overview, outcomes, curriculum, policies, helpful links) from the
 * compacted {@code handbook.content} (key: program id), which the handbook service renders and the
 * publisher shows. A coordinator's edit is written as the program's new content, stamped with the
 * time, after an audit entry saying who and why; an edit made against content that changed
 * meanwhile (its {@code updatedAt} is not the current one) is refused.
 */
public final class ContentStore {

    /** The content changed since the editor loaded it. */
    public static final class StaleEditException extends RuntimeException {
        public StaleEditException(String message) {
            super(message);
        }
    }

    private final ServiceRuntime runtime;
    private final AuditLog audit;
    private final Clock clock;
    private final Map<String, HandbookContent> byProgram = new ConcurrentHashMap<>();
    private final ReplayLoop<Envelope<HandbookContent>> replay;
    private final tapipeline.coordinator.datasets.LockedWriter writer;

    /** The transactional id every coordinator instance uses for content writes (see {@code LockedWriter}). */
    public static final String WRITER_ID = "coordinator-content-writer";

    public ContentStore(ServiceRuntime runtime, AuditLog audit, Clock clock) {
        this.runtime = runtime;
        this.audit = audit;
        this.clock = clock;
        this.replay = runtime.startReplayLoop("content", Events.decoder(EventTypes.HANDBOOK_CONTENT),
                (event, record) -> byProgram.put(event.payload().programId(), event.payload()), () -> { },
                EventTypes.HANDBOOK_CONTENT.topic());
        this.writer = new tapipeline.coordinator.datasets.LockedWriter(runtime, WRITER_ID, EventTypes.HANDBOOK_CONTENT.topic(), replay);
    }

    public List<String> programs() {
        return byProgram.keySet().stream().sorted().toList();
    }

    public Optional<HandbookContent> current(String programId) {
        return Optional.ofNullable(byProgram.get(programId));
    }

    /**
     * Writes the program's new content (its {@code updatedAt} set to now).
     *
     * @param basedOn the {@code updatedAt} of the content the editor started from; null for a new program
     */
    public HandbookContent save(HandbookContent edited, java.time.Instant basedOn, String actor, String reason) {
        String id = edited.programId();
        HandbookContent[] entryBefore = new HandbookContent[1];
        tapipeline.schemas.audit.AuditEntry[] entry = new tapipeline.schemas.audit.AuditEntry[1];
        HandbookContent saved = writer.write(id, retry -> {
            HandbookContent now = byProgram.get(id);
            if (retry && entry[0] != null && now != null && now.updatedAt().equals(entryBefore[0].updatedAt())
                    && now.equals(entryBefore[0])) {
                return new tapipeline.coordinator.datasets.LockedWriter.Plan<>(now, List.of()); // an earlier attempt committed
            }
            if (now != null && (basedOn == null || !now.updatedAt().equals(basedOn))) {
                throw new StaleEditException("the content of " + id + " changed at " + now.updatedAt()
                        + " since you opened it: reload and make your change again");
            }
            HandbookContent stamped = new HandbookContent(id, edited.name(), edited.degree(), edited.campus(),
                    edited.edition(), edited.totalUnits(), edited.semesters(), edited.overview(), edited.outcomes(),
                    edited.curriculum(), edited.policies(), edited.contacts(), edited.links(), clock.instant());
            entryBefore[0] = stamped;
            entry[0] = audit.entry("program:" + id, actor, "content.edit", reason, changedParts(now, stamped));
            return new tapipeline.coordinator.datasets.LockedWriter.Plan<>(stamped, List.of(
                    Events.record(EventTypes.HANDBOOK_CONTENT, id, stamped), tapipeline.coordinator.audit.AuditLog.recordOf(entry[0])));
        });
        if (entry[0] != null && saved == entryBefore[0]) {
            audit.added(entry[0]);
        }
        return saved;
    }

    /** Which parts an edit changed, for the audit entry. */
    static String changedParts(HandbookContent before, HandbookContent after) {
        if (before == null) {
            return "new program content";
        }
        StringBuilder sb = new StringBuilder("changed:");
        if (!before.overview().equals(after.overview())) sb.append(" overview");
        if (!before.outcomes().equals(after.outcomes())) sb.append(" outcomes");
        if (!before.curriculum().equals(after.curriculum())) sb.append(" curriculum");
        if (!before.policies().equals(after.policies())) sb.append(" policies");
        if (!before.links().equals(after.links())) sb.append(" links");
        if (!before.contacts().equals(after.contacts())) sb.append(" contacts");
        if (!before.name().equals(after.name()) || !before.edition().equals(after.edition())
                || !before.degree().equals(after.degree()) || !before.campus().equals(after.campus())) sb.append(" details");
        return sb.toString().equals("changed:") ? "saved without changes" : sb.toString();
    }

    public boolean awaitReady(Duration timeout) throws InterruptedException {
        return replay.awaitCaughtUp(timeout);
    }
}
