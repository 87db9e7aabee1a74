package tapipeline.publisher.links;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tapipeline.platform.kafka.Events;
import tapipeline.platform.kafka.Outbox;
import tapipeline.platform.kafka.TransactionalLoop;
import tapipeline.publisher.SiteState;
import tapipeline.publisher.artifacts.ArtifactSource;
import tapipeline.publisher.artifacts.ArtifactStore;
import tapipeline.publisher.artifacts.Verification;
import tapipeline.schemas.Envelope;
import tapipeline.schemas.EventTypes;
import tapipeline.schemas.assignment.AssignmentApproved;
import tapipeline.schemas.audit.AuditEntry;
import tapipeline.schemas.handbook.HandbookArtifact;
import tapipeline.schemas.handbook.HandbookContent;
import tapipeline.schemas.handbook.HandbookRendered;
import tapipeline.schemas.site.SiteLink;

/**
 * The publisher's one writer of automatic link changes, run in a {@link TransactionalLoop} over
 * {@code handbook.content}, {@code handbook.rendered} and {@code assignment.approved}: each input's
 * link records ({@code site.links}) and their {@code audit} entries are committed in one transaction
 * with the input's offset, so a crash leaves either the whole change or none of it, and the group
 * gives each input to one instance. Every change is also idempotent, keyed by what it points at:
 * a link already pointing at an edition (or term page) is not moved again, so a redelivered input
 * changes nothing.
 *
 * <ul>
 * <li>content: links the registry does not have yet are seeded (version 1) from its {@code links};</li>
 * <li>rendered: the edition is verified ({@link Verification}; bytes fetched from
 * {@code handbook.artifacts} and stored on disk first); only then does the handbook link move to the
 * edition's immutable URL. A refused edition leaves the link and is reported (audit, metrics, health);</li>
 * <li>approved: the TA-assignments link moves to the term's page if this is the latest approval.</li>
 * </ul>
 */
public final class LinkFlipper implements TransactionalLoop.Processor<Envelope<?>> {

    private static final Logger log = LoggerFactory.getLogger(LinkFlipper.class);
    public static final String ACTOR = "publisher";
    private static final Duration FENCE_TIMEOUT = Duration.ofSeconds(10);
    /** How long an edition's bytes are awaited from the artifact follower before they are read from the topic by key. */
    static final Duration FOLLOWER_GRACE = Duration.ofMillis(1500);

    /** What happened to an edition, for metrics and health. */
    public enum Outcome { PUBLISHED, UNCHANGED, REFUSED, OTHER_PROGRAM }

    private final SiteState state;
    private final ArtifactStore store;
    private final ArtifactSource source;
    private final RegistryFence fence;
    private final Clock clock;
    private final Listener listener;

    /** Told about each edition's outcome (after the transaction's records are in the outbox). */
    public interface Listener {
        void edition(HandbookRendered rendered, Outcome outcome, String reason);

        void flipped(SiteLink link);

        /** How long reading (when not on disk) and checking an edition's bytes took. */
        default void verified(long nanos) {
        }
    }

    public LinkFlipper(SiteState state, ArtifactStore store, ArtifactSource source, RegistryFence fence, Clock clock,
                       Listener listener) {
        this.state = state;
        this.store = store;
        this.source = source;
        this.fence = fence;
        this.clock = clock;
        this.listener = listener;
    }

    @Override
    public void process(Envelope<?> event, ConsumerRecord<String, byte[]> record, Outbox out) {
        Object payload = event.payload();
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        if (payload instanceof HandbookContent content) {
            fence.await(FENCE_TIMEOUT);
            seed(content, event, records);
        } else if (payload instanceof HandbookRendered rendered) {
            fence.await(FENCE_TIMEOUT);
            onRendered(rendered, event, record, records);
        } else if (payload instanceof AssignmentApproved approved) {
            fence.await(FENCE_TIMEOUT);
            onApproved(approved, event, records);
        }
        records.forEach(out::send);
    }

    private void seed(HandbookContent content, Envelope<?> event, List<ProducerRecord<String, byte[]>> out) {
        @SuppressWarnings("unchecked")
        Envelope<HandbookContent> e = (Envelope<HandbookContent>) event;
        state.onContent(e);
        for (HandbookContent.Link l : content.links()) {
            if (state.link(l.id()).isEmpty()) {
                SiteLink link = new SiteLink(l.id(), l.label(), l.url(), 1, null, ACTOR, clock.instant());
                out.add(Events.record(EventTypes.SITE_LINKS, l.id(), link));
                out.add(audit(link, "link.seed", "seeded from handbook.content of " + content.programId()
                        + " (event " + event.eventId() + "): " + link.target()));
            }
        }
    }

    private void onRendered(HandbookRendered r, Envelope<?> event, ConsumerRecord<String, byte[]> record,
                            List<ProducerRecord<String, byte[]>> out) {
        Optional<String> siteProgram = state.siteProgram();
        state.onRendered(r, event.eventId(), event.occurredAt(), record.timestamp());
        if (siteProgram.isPresent() && !siteProgram.get().equals(r.programId())) {
            listener.edition(r, Outcome.OTHER_PROGRAM, "not this site's program");
            return;
        }
        long start = System.nanoTime();
        Verification v = verify(r, record.timestamp());
        listener.verified(System.nanoTime() - start);
        state.verdict(r.programId(), r.sha256(), v);
        String cause = "handbook.rendered " + event.eventId() + " (program " + r.programId() + ", edition "
                + r.edition() + ", sha256 " + r.sha256() + ")";
        if (!v.ok()) {
            SiteLink current = state.link(SiteState.HANDBOOK_LINK).orElse(null);
            out.add(auditRecord(SiteState.HANDBOOK_LINK, "edition.refused", v.reason() + "; the link stays at "
                    + (current == null ? "(none yet)" : current.target()) + "; cause: " + cause));
            log.warn("edition {} of {} refused: {}", r.sha256(), r.programId(), v.reason());
            listener.edition(r, Outcome.REFUSED, v.reason());
            return;
        }
        String label = state.content(r.programId()).flatMap(c -> c.links().stream()
                .filter(l -> l.id().equals(SiteState.HANDBOOK_LINK)).findFirst().map(HandbookContent.Link::label))
                .orElse("Program handbook (PDF)");
        boolean moved = move(SiteState.HANDBOOK_LINK, label, SiteState.editionUrl(r.sha256()),
                "edition " + r.edition() + ", " + r.pages() + " pages, " + r.size() + " bytes; cause: " + cause
                        + (r.renderedFrom().approvalRunId() == null ? ""
                        : ", with the approval of run " + r.renderedFrom().approvalRunId()), out);
        listener.edition(r, moved ? Outcome.PUBLISHED : Outcome.UNCHANGED, moved ? "published" : "already published");
    }

    /** The artifact's bytes from disk, or from handbook.artifacts (then stored), checked against the event. */
    private Verification verify(HandbookRendered r, long recordTimestamp) {
        Verification event = Verification.ofEvent(r);
        if (!event.ok()) {
            return event;
        }
        Optional<byte[]> local;
        try {
            // written in the same transaction as the rendered event: the follower usually stores it within ms
            local = store.await(r.sha256(), FOLLOWER_GRACE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for artifact " + r.sha256(), e);
        }
        if (local.isPresent()) {
            return Verification.of(r, new HandbookArtifact(r.sha256(), HandbookArtifact.PDF, local.get().length,
                    local.get()));
        }
        ArtifactSource.Fetched fetched = source.fetch(r.sha256(), recordTimestamp);
        if (fetched instanceof ArtifactSource.Fetched.Missing) {
            return Verification.failed("artifact " + r.sha256() + " is missing from handbook.artifacts");
        }
        if (fetched instanceof ArtifactSource.Fetched.Corrupt c) {
            return Verification.failed("artifact " + r.sha256() + " is corrupt: " + c.reason());
        }
        HandbookArtifact artifact = ((ArtifactSource.Fetched.Found) fetched).artifact();
        Verification v = Verification.of(r, artifact);
        if (v.ok()) {
            store.put(r.sha256(), artifact.bytes());
        }
        return v;
    }

    private void onApproved(AssignmentApproved a, Envelope<?> event, List<ProducerRecord<String, byte[]>> out) {
        state.onApproved(a);
        AssignmentApproved latest = state.latestApproval().orElse(a);
        if (a.approvedAt().isBefore(latest.approvedAt())) {
            return; // an older approval arriving late: the link shows the latest one
        }
        String label = state.siteProgram().flatMap(state::content).flatMap(c -> c.links().stream()
                .filter(l -> l.id().equals(SiteState.TA_LINK)).findFirst().map(HandbookContent.Link::label))
                .orElse("Teaching assistant assignments");
        move(SiteState.TA_LINK, label, SiteState.termUrl(a.term()), "term " + a.term() + ", " + a.courses().size()
                + " courses; cause: assignment.approved " + event.eventId() + " (run " + a.runId() + ", approved by "
                + a.approvedBy() + " at " + a.approvedAt() + ")", out);
    }

    /** Moves a link unless it points there already (the idempotent flip); returns whether it moved. */
    private boolean move(String linkId, String label, String target, String why,
                         List<ProducerRecord<String, byte[]>> out) {
        Optional<SiteLink> current = state.link(linkId);
        if (current.isPresent() && current.get().target().equals(target)) {
            return false;
        }
        Instant now = clock.instant();
        SiteLink next = current.map(l -> l.retarget(target, ACTOR, now))
                .orElseGet(() -> new SiteLink(linkId, label, target, 1, null, ACTOR, now));
        out.add(Events.record(EventTypes.SITE_LINKS, linkId, next));
        out.add(audit(next, "link.flip", (next.previousTarget() == null ? "" : "from " + next.previousTarget() + " ")
                + "to " + next.target() + " (version " + next.version() + "); " + why));
        listener.flipped(next);
        return true;
    }

    static ProducerRecord<String, byte[]> audit(SiteLink link, String action, String detail) {
        return auditRecord(link.linkId(), action, detail);
    }

    static ProducerRecord<String, byte[]> auditRecord(String linkId, String action, String detail) {
        String d = detail.length() > 4000 ? detail.substring(0, 4000) + "..." : detail;
        return auditRecord(linkId, ACTOR, action, d);
    }

    static ProducerRecord<String, byte[]> auditRecord(String linkId, String actor, String action, String detail) {
        AuditEntry entry = new AuditEntry(subject(linkId), actor, action, detail, Instant.now());
        return Events.record(EventTypes.AUDIT, entry.subject(), entry);
    }

    /** The audit subject of a link. */
    public static String subject(String linkId) {
        return "site.links/" + linkId;
    }

    /** A no-op listener. */
    public static Listener quiet() {
        return new Listener() {
            @Override
            public void edition(HandbookRendered rendered, Outcome outcome, String reason) {
            }

            @Override
            public void flipped(SiteLink link) {
            }
        };
    }
}
