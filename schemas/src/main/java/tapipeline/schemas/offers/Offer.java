package tapipeline.schemas.offers;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonInclude;

import tapipeline.schemas.support.Checks;

/**
 * The current state of one offer to one TA (payload of {@code offers.state}, keyed by offerId,
 * compacted). An approval makes one offer per TA whose assignment changed, covering all the TA's
 * courses in that plan; every change of state rewrites the whole record.
 *
 * <p>The offer's link carries a token derived from {@code offerId}; no token is stored anywhere.
 *
 * @param email         where the offer goes; {@code null} when the dataset has no address (outbox only)
 * @param approvalRunId the approved run this offer comes from
 * @param deadline      after it the offer expires, which counts as a decline
 * @param replacedBy    for WITHDRAWN: the offer that replaced it, when there is one
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Offer(
        String offerId,
        String term,
        String applicantId,
        String name,
        String email,
        String approvalRunId,
        List<OfferLine> lines,
        Instant deadline,
        Status status,
        Instant createdAt,
        Instant sentAt,
        Instant openedAt,
        Instant remindedAt,
        Instant answeredAt,
        String reason,
        String replacedBy,
        Instant updatedAt) {

    /**
     * QUEUED: made, not yet delivered (the outbox while no SMTP server is configured); SENT, OPENED:
     * waiting for the TA; ACCEPTED, DECLINED, EXPIRED (no answer by the deadline: counts as declined);
     * WITHDRAWN: a later approved plan changed this TA's assignment.
     */
    public enum Status {
        QUEUED, SENT, OPENED, ACCEPTED, DECLINED, EXPIRED, WITHDRAWN;

        private static final Set<Status> PENDING = Set.of(QUEUED, SENT, OPENED);

        /** Waiting for the TA's answer. */
        public boolean pending() {
            return PENDING.contains(this);
        }

        /** Pending or accepted: the TA holds (or may still take) the offer's slots. */
        public boolean holds() {
            return pending() || this == ACCEPTED;
        }

        /** Declined or expired: the offer's slots are free. */
        public boolean freed() {
            return this == DECLINED || this == EXPIRED;
        }
    }

    public static final int MAX_REASON = 1000;

    public Offer {
        Checks.id(offerId, "Offer.offerId");
        Checks.text(term, "Offer.term");
        Checks.id(applicantId, "Offer.applicantId");
        Checks.text(name, "Offer.name");
        Checks.optionalText(email, "Offer.email");
        Checks.id(approvalRunId, "Offer.approvalRunId");
        lines = Checks.list(lines, "Offer.lines");
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("Offer.lines must hold at least one course");
        }
        Checks.nonNull(deadline, "Offer.deadline");
        Checks.nonNull(status, "Offer.status");
        Checks.nonNull(createdAt, "Offer.createdAt");
        if (reason != null && reason.length() > MAX_REASON) {
            throw new IllegalArgumentException("Offer.reason must be at most " + MAX_REASON + " characters");
        }
        Checks.optionalId(replacedBy, "Offer.replacedBy");
        Checks.nonNull(updatedAt, "Offer.updatedAt");
    }

    /** Total weekly hours over the offer's courses. */
    public int hours() {
        return lines.stream().mapToInt(OfferLine::hours).sum();
    }

    /** This offer in another state, changed at {@code at}. */
    public Offer withStatus(Status newStatus, Instant at) {
        return new Offer(offerId, term, applicantId, name, email, approvalRunId, lines, deadline, newStatus, createdAt,
                newStatus == Status.SENT && sentAt == null ? at : sentAt,
                newStatus == Status.OPENED && openedAt == null ? at : openedAt,
                remindedAt,
                newStatus == Status.ACCEPTED || newStatus == Status.DECLINED || newStatus == Status.EXPIRED ? at : answeredAt,
                reason, replacedBy, at);
    }

    public Offer withReason(String newReason) {
        return new Offer(offerId, term, applicantId, name, email, approvalRunId, lines, deadline, status, createdAt,
                sentAt, openedAt, remindedAt, answeredAt, newReason, replacedBy, updatedAt);
    }

    public Offer withRemindedAt(Instant at) {
        return new Offer(offerId, term, applicantId, name, email, approvalRunId, lines, deadline, status, createdAt,
                sentAt, openedAt, at, answeredAt, reason, replacedBy, at);
    }

    public Offer withdrawn(String replacement, Instant at) {
        return new Offer(offerId, term, applicantId, name, email, approvalRunId, lines, deadline, Status.WITHDRAWN,
                createdAt, sentAt, openedAt, remindedAt, answeredAt, reason, replacement, at);
    }
}
