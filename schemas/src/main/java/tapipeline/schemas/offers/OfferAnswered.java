package tapipeline.schemas.offers;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import tapipeline.schemas.support.Checks;

/**
 * A TA answered an offer, or its deadline passed (payload of {@code offers.answered}, keyed by term,
 * kept forever). A DECLINED or EXPIRED answer frees the offer's courses: the coordinator proposes a
 * minimal-change re-solve for it.
 *
 * @param by who answered: {@code ta} (through the offer's link) or {@code offers} (the deadline)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OfferAnswered(String offerId, String term, String applicantId, Answer answer, String reason,
                            List<String> courseIds, String approvalRunId, String by, Instant at) {

    public enum Answer {
        ACCEPTED, DECLINED, EXPIRED;

        /** Declined or expired: the courses are free again. */
        public boolean frees() {
            return this != ACCEPTED;
        }
    }

    public OfferAnswered {
        Checks.id(offerId, "OfferAnswered.offerId");
        Checks.text(term, "OfferAnswered.term");
        Checks.id(applicantId, "OfferAnswered.applicantId");
        Checks.nonNull(answer, "OfferAnswered.answer");
        if (reason != null && reason.length() > Offer.MAX_REASON) {
            throw new IllegalArgumentException("OfferAnswered.reason must be at most " + Offer.MAX_REASON + " characters");
        }
        courseIds = Checks.ids(courseIds, "OfferAnswered.courseIds");
        Checks.id(approvalRunId, "OfferAnswered.approvalRunId");
        Checks.text(by, "OfferAnswered.by");
        Checks.nonNull(at, "OfferAnswered.at");
    }
}
