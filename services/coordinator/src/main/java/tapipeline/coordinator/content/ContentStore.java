package tapipeline.coordinator.content;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

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

    public ContentStore(ServiceRuntime runtime, AuditLog audit, Clock clock) {
        this.runtime = runtime;
        this.audit = audit;
        this.clock = clock;
        this.replay = runtime.startReplayLoop("content", Events.decoder(EventTypes.HANDBOOK_CONTENT),
                (event, record) -> byProgram.put(event.payload().programId(), event.payload()), () -> { },
                EventTypes.HANDBOOK_CONTENT.topic());
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
    public synchronized HandbookContent save(HandbookContent edited, java.time.Instant basedOn, String actor, String reason) {
        HandbookContent now = byProgram.get(edited.programId());
        if (now != null && (basedOn == null || !now.updatedAt().equals(basedOn))) {
            throw new StaleEditException("the content of " + edited.programId() + " changed at " + now.updatedAt()
                    + " since you opened it: reload and make your change again");
        }
        HandbookContent stamped = new HandbookContent(edited.programId(), edited.name(), edited.degree(), edited.campus(),
                edited.edition(), edited.totalUnits(), edited.semesters(), edited.overview(), edited.outcomes(),
                edited.curriculum(), edited.policies(), edited.contacts(), edited.links(), clock.instant());
        audit.record("program:" + edited.programId(), actor, "content.edit", reason, changedParts(now, stamped));
        try {
            Events.send(runtime.producer(), EventTypes.HANDBOOK_CONTENT, edited.programId(), stamped).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (Exception e) {
            throw new IllegalStateException("the content could not be written: " + e.getMessage(), e);
        }
        byProgram.put(stamped.programId(), stamped);
        return stamped;
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
