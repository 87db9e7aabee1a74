package tapipeline.coordinator.runs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tapipeline.platform.config.Key;
import tapipeline.platform.kafka.Events;
import tapipeline.platform.kafka.ReplayLoop;
import tapipeline.platform.kafka.Topics;
import tapipeline.platform.service.ServiceRuntime;
import tapipeline.schemas.Envelope;
import tapipeline.schemas.EventTypes;
import tapipeline.schemas.offers.Offer;
import tapipeline.schemas.offers.OfferAnswered;

/**
 * Closes the loop from offers back to the solver: when a TA declines an offer, or an offer expires
 * ({@code offers.answered}), the coordinator requests a minimal-change re-solve of the term's
 * approved plan ({@link ProposalPlan}: accepted and pending offers pinned, the freed TA banned from
 * the freed courses) as a PROPOSAL run. The coordinator reviews it like any run and approves it; the
 * offers service then sends new offers only to the TAs whose assignment changed.
 *
 * <p>The answers are read in the consumer group {@code coordinator-proposals} (at-least-once); the
 * proposal's run id is derived from the answered offer, so an answer read twice (a restart, a second
 * instance) asks for one run: a run already on the board is not requested again. The offers' state
 * comes from a replay of {@code offers.state}.
 */
public final class Proposals {

    private static final Logger log = LoggerFactory.getLogger(Proposals.class);

    public static final Key<Integer> SECONDS = Key.integer("COORDINATOR_PROPOSAL_SECONDS", 30, 1, RunControl.MAX_SECONDS,
            "Time limit of the re-solve proposed after an offer is declined or expires (seconds).");
    public static final Key<Integer> UNIMPROVED_SECONDS = Key.integer("COORDINATOR_PROPOSAL_UNIMPROVED_SECONDS", 1, 0,
            RunControl.MAX_SECONDS, "A proposal's solve stops once its score has not improved for this long (0: the whole limit); "
                    + "everything but the freed slots is pinned, so it settles fast.");
    /** Who requests a proposal, in the audit and on the run. */
    public static final String ACTOR = "offers (coordinator)";

    private final Map<String, Offer> offers = new ConcurrentHashMap<>();
    private final RunBoard board;
    private final RunControl control;
    private final RunControl.Settings settings;
    private ReplayLoop<Envelope<Offer>> offersReplay;
    private ReplayLoop<?> boardReplay;
    private java.util.function.BooleanSupplier dataReady = () -> true;

    Proposals(RunBoard board, RunControl control, RunControl.Settings settings) {
        this.board = board;
        this.control = control;
        this.settings = settings;
    }

    public static List<Key<?>> configKeys() {
        return List.of(SECONDS, UNIMPROVED_SECONDS);
    }

    /** Starts the offers' replay and the answers' loop. */
    static Proposals start(ServiceRuntime runtime, RunBoard board, RunControl control, ReplayLoop<?> boardReplay,
                           java.util.function.BooleanSupplier datasetsReady) {
        Proposals p = new Proposals(board, control, new RunControl.Settings(runtime.config().get(SECONDS),
                runtime.config().get(UNIMPROVED_SECONDS), 0));
        p.boardReplay = boardReplay;
        p.dataReady = datasetsReady;
        p.offersReplay = runtime.startReplayLoop("offers", Events.decoder(EventTypes.OFFERS_STATE),
                (event, record) -> p.apply(event, record), () -> { }, Topics.OFFERS_STATE.name());
        runtime.startConsumerLoop("proposals", Events.decoder(EventTypes.OFFERS_ANSWERED),
                (event, record) -> p.answered(event.payload()), Topics.OFFERS_ANSWERED.name());
        return p;
    }

    private void apply(Envelope<Offer> event, ConsumerRecord<String, byte[]> record) {
        if (event == null) {
            offers.remove(record.key());
        } else {
            offers.put(event.payload().offerId(), event.payload());
        }
    }

    /** Every known offer of a term (for pages and tests). */
    public List<Offer> offers(String term) {
        List<Offer> out = new ArrayList<>();
        for (Offer o : offers.values()) {
            if (o.term().equals(term)) {
                out.add(o);
            }
        }
        out.sort(Comparator.comparing(Offer::createdAt));
        return out;
    }

    /**
     * Handles one answer: nothing for an acceptance; for a decline or an expiry, a proposal unless one
     * was already requested for this answer or no TA of the approved plan is freed any more.
     *
     * @return the proposal's run id, if one was requested
     */
    Optional<String> answered(OfferAnswered a) throws InterruptedException {
        if (!a.answer().frees()) {
            return Optional.empty();
        }
        awaitReplays();
        // the answer is written with the offer's new state in one transaction: wait until the replay shows it
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (Optional.ofNullable(offers.get(a.offerId())).map(o -> !o.status().freed()).orElse(true)) {
            if (System.nanoTime() > until) {
                log.warn("offer {} answered {} but its state does not say so after 30 s; proposing from what is known",
                        a.offerId(), a.answer());
                break;
            }
            Thread.sleep(50);
        }
        String runId = runIdFor(a);
        if (board.get(runId).isPresent()) {
            log.info("proposal {} for offer {} was already requested", runId, a.offerId());
            return Optional.empty();
        }
        Optional<RunBoard.Run> approved = latestApproved(a.term());
        if (approved.isEmpty()) {
            log.warn("offer {} of term {} was {} but the term has no approved plan on the board: no proposal",
                    a.offerId(), a.term(), a.answer());
            return Optional.empty();
        }
        if (!control.hasDataset(a.term())) {
            log.warn("offer {} of term {} was {} but the term has no dataset: no proposal", a.offerId(), a.term(), a.answer());
            return Optional.empty();
        }
        ProposalPlan plan = ProposalPlan.of(approved.get().approval(), offers(a.term()), control.dataset(a.term()));
        if (plan.empty()) {
            log.info("offer {} of term {} was {}, but no TA of the approved plan {} is freed any more: no proposal",
                    a.offerId(), a.term(), a.answer(), plan.approvedRunId());
            return Optional.empty();
        }
        control.propose(runId, plan, settings, ACTOR, a.answer().name().toLowerCase(java.util.Locale.ROOT) + " offer "
                + a.offerId() + " (" + a.applicantId() + ", " + String.join(", ", a.courseIds()) + ")");
        log.info("proposal {} requested for term {}: {} freed slots of {} offers, {} pins, {} bans", runId, a.term(),
                plan.freedSlots(), plan.freedBy().size(), plan.pins().size(), plan.bans().size());
        return Optional.of(runId);
    }

    private void awaitReplays() throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!(offersReplay == null || offersReplay.caughtUp()) || !(boardReplay == null || boardReplay.caughtUp())
                || !dataReady.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new IllegalStateException("the coordinator's state is not replayed after 60 s: the answer is retried");
            }
            Thread.sleep(100);
        }
    }

    private Optional<RunBoard.Run> latestApproved(String term) {
        return board.list(term).stream().filter(r -> r.approval() != null && r.problem() != null)
                .max(Comparator.comparing(r -> r.approval().approvedAt()));
    }

    /** The proposal's run id: the answered offer's, so reading the answer twice asks for one run. */
    static String runIdFor(OfferAnswered a) {
        String safe = a.term().replaceAll("[^A-Za-z0-9_.-]", "_");
        if (safe.length() > 40) {
            safe = safe.substring(0, 40);
        }
        String offer = a.offerId().replaceAll("[^A-Za-z0-9_.-]", "_");
        if (offer.length() > 70) {
            offer = offer.substring(offer.length() - 70);
        }
        return safe + "-proposal-" + offer;
    }
}
