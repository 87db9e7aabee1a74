package tapipeline.offers;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tapipeline.platform.kafka.Events;
import tapipeline.platform.kafka.TransactionalPublisher;
import tapipeline.schemas.EventTypes;
import tapipeline.schemas.assignment.AssignmentApproved;
import tapipeline.schemas.audit.AuditEntry;
import tapipeline.schemas.offers.Offer;
import tapipeline.schemas.offers.OfferAnswered;
import tapipeline.schemas.offers.OfferLine;
import tapipeline.offers.OfferViews.OutboxEntry;

/**
 * Every change of an offer, made on one thread per instance: the new state, its {@code offers.answered}
 * event when there is one, and its audit entry go out in one Kafka transaction (never one without the
 * others), and only then is the local view updated and any e-mail sent. Decisions read only the
 * replayed {@link OfferBook}; the scheduler's work (sending queued offers, reminders, expiry) is done
 * only for offers whose {@code offers.state} partition this instance holds ({@code owns}).
 */
final class OfferEngine implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OfferEngine.class);

    /** What became of an answer given through a link. */
    enum Outcome { ANSWERED, NOT_FOUND, ALREADY_ANSWERED, WITHDRAWN, EXPIRED }

    /** E-mails one pass sends before it yields the engine thread to the answers waiting for it. */
    static final int MAILS_PER_PASS = 20;

    private final OfferBook book;
    private final OfferTokens tokens;
    private final Mailer mailer;
    private final Supplier<String> publicUrl;
    private final Duration response;
    private final Duration reminder;
    private final Duration maxApprovalAge;
    private final Clock clock;
    private final TransactionalPublisher publisher;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "offers-engine");
        t.setDaemon(true);
        return t;
    });
    private volatile Predicate<String> owns = id -> false;
    private volatile java.util.function.BooleanSupplier ready = () -> false;
    private volatile String lastSendFailure = "";

    OfferEngine(OfferBook book, OfferTokens tokens, Mailer mailer, Supplier<String> publicUrl, Duration response,
                Duration reminder, Duration maxApprovalAge, Clock clock, TransactionalPublisher publisher) {
        this.book = book;
        this.tokens = tokens;
        this.mailer = mailer;
        this.publicUrl = publicUrl;
        this.response = response;
        this.reminder = reminder;
        this.maxApprovalAge = maxApprovalAge;
        this.clock = clock;
        this.publisher = publisher;
    }

    /** Which offers this instance's scheduler acts on (the partitions of offers.state it holds). */
    void owns(Predicate<String> owns) {
        this.owns = owns;
    }

    /** Whether the replayed state is complete: the schedule decides nothing before. */
    void ready(java.util.function.BooleanSupplier ready) {
        this.ready = ready;
    }

    boolean smtp() {
        return mailer != null;
    }

    String lastSendFailure() {
        return lastSendFailure;
    }

    String link(String offerId) {
        String base = publicUrl.get();
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/offer/" + tokens.token(offerId);
    }

    // ---- approvals ------------------------------------------------------------------------------

    /** Makes and withdraws the offers an approved plan calls for; returns the plan (made, withdrawn, unchanged). */
    OfferPlan approved(AssignmentApproved approval) {
        return call(() -> {
            Instant now = clock.instant();
            if (!maxApprovalAge.isZero() && approval.approvedAt().isBefore(now.minus(maxApprovalAge))) {
                // a past term's record (the demo's earlier term) or a system the service joined late: its TAs
                // were settled long ago, and e-mailing them now would be wrong
                log.info("approval {} of {} was approved at {}, more than OFFERS_MAX_APPROVAL_AGE_HOURS ({} h) ago: "
                        + "history, no offers made", approval.runId(), approval.term(), approval.approvedAt(),
                        maxApprovalAge.toHours());
                return new OfferPlan(List.of(), List.of(), 0);
            }
            OfferPlan plan = OfferPlan.of(approval, book.dataset(approval.term()), book.ofTerm(approval.term()), now,
                    response);
            if (plan.made().isEmpty() && plan.withdrawn().isEmpty()) {
                log.info("approval {} of {}: no TA's assignment changed ({} unchanged); no offer made",
                        approval.runId(), approval.term(), plan.unchanged());
                return plan;
            }
            List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
            for (Offer w : plan.withdrawn()) {
                records.add(state(w));
                records.add(audit(w.offerId(), "offers", "offer.withdraw", w.replacedBy() != null
                        ? "replaced by " + w.replacedBy() + " (approved run " + approval.runId() + ")"
                        : "no longer in the plan approved in run " + approval.runId(), now));
            }
            for (Offer m : plan.made()) {
                records.add(state(m));
                records.add(audit(m.offerId(), "offers", "offer.make", m.applicantId() + ": " + m.lines().size()
                        + " course(s), " + m.hours() + " h/week, approved run " + approval.runId(), now));
            }
            publisher.publish(records);
            plan.withdrawn().forEach(book::put);
            plan.made().forEach(book::put);
            log.info("approval {} of {}: {} offer(s) made, {} withdrawn, {} TA(s) unchanged", approval.runId(),
                    approval.term(), plan.made().size(), plan.withdrawn().size(), plan.unchanged());
            for (Offer w : plan.withdrawn()) {
                // a TA who knew of the offer and has no replacement hears that it is gone (at most once)
                if (w.replacedBy() == null && w.sentAt() != null && w.email() != null && mailer != null) {
                    trySend(OfferMail.withdrawn(w), w.offerId());
                }
            }
            tickNow();
            return plan;
        });
    }

    // ---- the TA's link --------------------------------------------------------------------------

    /** The offer behind a link, marked OPENED the first time a pending offer is opened before its deadline. */
    Optional<Offer> open(String offerId) {
        return call(() -> {
            Optional<Offer> found = book.offer(offerId);
            if (found.isEmpty()) {
                return found;
            }
            Offer o = found.get();
            Instant now = clock.instant();
            if ((o.status() == Offer.Status.QUEUED || o.status() == Offer.Status.SENT) && now.isBefore(o.deadline())) {
                Offer opened = o.withStatus(Offer.Status.OPENED, now);
                publisher.publish(List.of(state(opened), audit(o.offerId(), "ta:" + o.applicantId(), "offer.open",
                        "opened the offer's link", now)));
                book.put(opened);
                return Optional.of(opened);
            }
            return found;
        });
    }

    /** Accepts or declines (with an optional reason) an offer that is still pending and before its deadline. */
    Outcome answer(String offerId, boolean accept, String reason) {
        return call(() -> {
            Optional<Offer> found = book.offer(offerId);
            if (found.isEmpty()) {
                return Outcome.NOT_FOUND;
            }
            Offer o = found.get();
            Instant now = clock.instant();
            Outcome refused = refusal(o, now);
            if (refused != null) {
                return refused;
            }
            String why = accept || reason == null || reason.isBlank() ? null : reason.strip();
            Offer answered = o.withStatus(accept ? Offer.Status.ACCEPTED : Offer.Status.DECLINED, now).withReason(why);
            OfferAnswered event = answeredEvent(answered, accept ? OfferAnswered.Answer.ACCEPTED
                    : OfferAnswered.Answer.DECLINED, why, "ta", now);
            // the reason is the TA's own words: it stays in the offer's state and its answer, not in the audit log
            publisher.publish(List.of(state(answered), answerRecord(event),
                    audit(o.offerId(), "ta:" + o.applicantId(), accept ? "offer.accept" : "offer.decline",
                            accept ? "accepted " + courses(o) : "declined " + courses(o)
                                    + (why == null ? " (no reason given)" : " (a reason was given)"), now)));
            book.put(answered);
            return Outcome.ANSWERED;
        });
    }

    /** Why a link may no longer answer this offer, or null while it may. */
    static Outcome refusal(Offer o, Instant now) {
        return switch (o.status()) {
            case ACCEPTED, DECLINED -> Outcome.ALREADY_ANSWERED;
            case WITHDRAWN -> Outcome.WITHDRAWN;
            case EXPIRED -> Outcome.EXPIRED;
            default -> now.isBefore(o.deadline()) ? null : Outcome.EXPIRED;
        };
    }

    // ---- the coordinator's outbox -----------------------------------------------------------------

    /** The messages waiting to be sent by hand, oldest first. */
    List<OutboxEntry> outbox() {
        Instant now = clock.instant();
        List<OutboxEntry> out = new ArrayList<>();
        for (Offer o : book.all()) {
            if (!o.status().pending() || !now.isBefore(o.deadline()) || (mailer != null && o.email() != null)) {
                continue;
            }
            if (o.status() == Offer.Status.QUEUED) {
                out.add(entry(o, "offer", OfferMail.offer(o, link(o.offerId()), replaces(o))));
            } else if (reminderDue(o, now)) {
                out.add(entry(o, "reminder", OfferMail.reminder(o, link(o.offerId()))));
            }
        }
        out.sort(Comparator.comparing((OutboxEntry e) -> e.offer().createdAt()).thenComparing(e -> e.offer().offerId()));
        return out;
    }

    private OutboxEntry entry(Offer o, String kind, Mailer.Mail mail) {
        return new OutboxEntry(o, kind, mail.to(), mail.subject(), mail.text(), link(o.offerId()));
    }

    /** The coordinator sent an outbox message by hand: an offer becomes SENT, a reminder sets remindedAt. */
    boolean markSent(String offerId, String kind, String username) {
        return call(() -> {
            Optional<Offer> found = book.offer(offerId);
            Instant now = clock.instant();
            if (found.isEmpty() || !found.get().status().pending() || !now.isBefore(found.get().deadline())) {
                return false;
            }
            Offer o = found.get();
            Offer next;
            String action;
            if ("offer".equals(kind) && o.status() == Offer.Status.QUEUED) {
                next = o.withStatus(Offer.Status.SENT, now);
                action = "offer.send";
            } else if ("reminder".equals(kind) && o.status() != Offer.Status.QUEUED && o.remindedAt() == null) {
                next = o.withRemindedAt(now);
                action = "offer.remind";
            } else {
                return false;
            }
            publisher.publish(List.of(state(next), audit(offerId, username, action, "sent by hand from the outbox", now)));
            book.put(next);
            return true;
        });
    }

    // ---- the schedule ------------------------------------------------------------------------------

    /** Asks for a pass of the schedule soon (e.g. after an approval made offers). */
    void tickNow() {
        if (!thread.isShutdown()) {
            thread.execute(this::tick);
        }
    }

    /**
     * One pass over the replayed offers this instance holds: past the deadline, a pending offer expires
     * (counts as declined); with SMTP, a queued offer is sent and a due reminder is sent once.
     */
    void tick() {
        if (!ready.getAsBoolean()) {
            return; // an offer answered in a record not yet replayed must not expire
        }
        Instant now = clock.instant();
        for (String id : List.copyOf(book.regressed())) {
            if (owns.test(id)) {
                book.offer(id).ifPresent(o -> {
                    publisher.publish(List.of(state(o)));
                    log.warn("offer {}: a later record made it pending again after it was {}; its final state is"
                            + " written again", id, o.status());
                });
                book.regressed().remove(id);
            }
        }
        List<Offer> mine = book.all().stream().filter(o -> o.status().pending() && owns.test(o.offerId()))
                .sorted(Comparator.comparing(Offer::createdAt)).toList();
        int mailed = 0;
        for (Offer o : mine) {
            if (mailed >= MAILS_PER_PASS) {
                tickNow(); // the rest in another pass, after the TAs' answers waiting for this thread
                return;
            }
            try {
                if (!now.isBefore(o.deadline())) {
                    expire(o, now);
                } else if (mailer != null && o.email() != null) {
                    if (o.status() == Offer.Status.QUEUED) {
                        mailed++;
                        if (trySend(OfferMail.offer(o, link(o.offerId()), replaces(o)), o.offerId())) {
                            Offer sent = o.withStatus(Offer.Status.SENT, clock.instant());
                            publisher.publish(List.of(state(sent), audit(o.offerId(), "offers", "offer.send",
                                    "e-mailed to the TA", sent.updatedAt())));
                            book.put(sent);
                        }
                    } else if (reminderDue(o, now)) {
                        mailed++;
                        if (trySend(OfferMail.reminder(o, link(o.offerId())), o.offerId())) {
                            Offer reminded = o.withRemindedAt(clock.instant());
                            publisher.publish(List.of(state(reminded), audit(o.offerId(), "offers", "offer.remind",
                                    "reminder e-mailed to the TA", reminded.updatedAt())));
                            book.put(reminded);
                        }
                    }
                }
            } catch (RuntimeException e) {
                log.warn("offer {}: the scheduled step failed; it is tried again at the next check: {}", o.offerId(),
                        e.toString());
            }
        }
    }

    private void expire(Offer o, Instant now) {
        Offer expired = o.withStatus(Offer.Status.EXPIRED, now);
        publisher.publish(List.of(state(expired),
                answerRecord(answeredEvent(expired, OfferAnswered.Answer.EXPIRED, null, "offers", now)),
                audit(o.offerId(), "offers", "offer.expire", "no answer by " + o.deadline() + ": counts as declined", now)));
        book.put(expired);
        log.info("offer {} of {} expired (no answer by its deadline)", o.offerId(), o.term());
    }

    /**
     * A reminder is due once the offer is within OFFERS_REMINDER of its deadline, was delivered before
     * that point (a reminder right after the offer itself says nothing new), and had none yet.
     */
    private boolean reminderDue(Offer o, Instant now) {
        Instant remindFrom = o.deadline().minus(reminder);
        return o.remindedAt() == null && o.status() != Offer.Status.QUEUED && !now.isBefore(remindFrom)
                && o.sentAt() != null && o.sentAt().isBefore(remindFrom);
    }

    /** Whether this offer replaced an earlier one (the e-mail then says so). */
    private boolean replaces(Offer o) {
        return book.all().stream().anyMatch(p -> o.offerId().equals(p.replacedBy()));
    }

    private boolean trySend(Mailer.Mail mail, String offerId) {
        try {
            mailer.send(mail);
            lastSendFailure = "";
            return true;
        } catch (jakarta.mail.MessagingException | RuntimeException e) {
            lastSendFailure = "the last e-mail (offer " + offerId + ") could not be sent: " + e.getClass().getSimpleName();
            log.warn("offer {}: e-mail not sent, tried again at the next check: {}", offerId, e.toString());
            return false;
        }
    }

    // ---- records --------------------------------------------------------------------------------------

    private static OfferAnswered answeredEvent(Offer o, OfferAnswered.Answer answer, String reason, String by, Instant at) {
        return new OfferAnswered(o.offerId(), o.term(), o.applicantId(), answer, reason,
                o.lines().stream().map(OfferLine::courseId).toList(), o.approvalRunId(), by, at);
    }

    private static ProducerRecord<String, byte[]> state(Offer o) {
        return Events.record(EventTypes.OFFERS_STATE, o.offerId(), o);
    }

    private static ProducerRecord<String, byte[]> answerRecord(OfferAnswered a) {
        return Events.record(EventTypes.OFFERS_ANSWERED, a.offerId(), a);
    }

    private static ProducerRecord<String, byte[]> audit(String subject, String actor, String action, String detail,
                                                        Instant at) {
        return Events.record(EventTypes.AUDIT, subject, new AuditEntry(subject, actor, action, detail, at));
    }

    private static String courses(Offer o) {
        return String.join(", ", o.lines().stream().map(OfferLine::code).toList());
    }

    /** Runs on the engine thread and waits (all changes are serialized there). */
    private <T> T call(Callable<T> work) {
        Future<T> f = thread.submit(work);
        try {
            return f.get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the offers engine", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the offers engine did not answer within 60 s", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    @Override
    public void close() {
        thread.shutdown();
        try {
            thread.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        publisher.close();
    }
}
