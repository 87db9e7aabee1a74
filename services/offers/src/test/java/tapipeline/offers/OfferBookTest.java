package tapipeline.offers;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import tapipeline.schemas.offers.Offer;

/** The replayed state never goes back: an older record, or a pending one after a final state, does not replace it. */
class OfferBookTest {

    private static final Instant NOW = Instant.parse("2027-01-10T12:00:00Z");

    private static Offer offer() {
        return OfferPlan.of(OfferPlanTest.approval("r1", OfferPlanTest.course("c1", OfferPlanTest.ta("a1", 10))),
                Optional.empty(), List.of(), NOW, Duration.ofDays(7)).made().get(0);
    }

    @Test
    void an_older_record_does_not_replace_a_newer_one() {
        OfferBook book = new OfferBook();
        Offer queued = offer();
        Offer sent = queued.withStatus(Offer.Status.SENT, NOW.plusSeconds(5));
        book.put(sent);
        book.put(queued); // the replay behind this instance's own write
        assertThat(book.offer(queued.offerId()).orElseThrow().status()).isEqualTo(Offer.Status.SENT);
        assertThat(book.regressed()).isEmpty();
    }

    @Test
    void a_pending_record_after_an_answer_is_kept_out_and_marked_for_repair() {
        OfferBook book = new OfferBook();
        Offer sent = offer().withStatus(Offer.Status.SENT, NOW.plusSeconds(5));
        Offer accepted = sent.withStatus(Offer.Status.ACCEPTED, NOW.plusSeconds(60));
        book.put(accepted);
        // another instance, not yet aware of the answer, wrote a reminder a moment later
        book.put(sent.withRemindedAt(NOW.plusSeconds(61)));
        assertThat(book.offer(sent.offerId()).orElseThrow().status()).isEqualTo(Offer.Status.ACCEPTED);
        assertThat(book.regressed()).containsExactly(sent.offerId());
    }
}
