package tapipeline.offers;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import tapipeline.schemas.assignment.AssignmentApproved;
import tapipeline.schemas.assignment.AssignmentApproved.ApprovedCourse;
import tapipeline.schemas.assignment.AssignmentApproved.ApprovedTa;
import tapipeline.schemas.coordinator.ApplicantContact;
import tapipeline.schemas.coordinator.CourseDetail;
import tapipeline.schemas.coordinator.Dataset;
import tapipeline.schemas.offers.Offer;

/** Which TAs an approved plan gives a new offer, which offers it withdraws, and that a redelivery makes nothing. */
class OfferPlanTest {

    private static final Instant NOW = Instant.parse("2027-01-10T12:00:00Z");
    private static final Duration WEEK = Duration.ofDays(7);

    static AssignmentApproved approval(String runId, ApprovedCourse... courses) {
        return new AssignmentApproved("2027W1", runId, "cora", NOW, List.of(courses));
    }

    static ApprovedCourse course(String id, ApprovedTa... tas) {
        return new ApprovedCourse(id, id.toUpperCase(), "Title of " + id, "A", "Prof " + id, List.of(tas));
    }

    static ApprovedTa ta(String id, int hours) {
        return new ApprovedTa(id, "Name " + id, hours);
    }

    static final Dataset DATA = new Dataset("2027W1", 2, List.of(), List.of(), List.of(), List.of(), List.of(),
            List.of(new ApplicantContact("a1", "a1@example.edu"), new ApplicantContact("b2", "b2@example.edu")),
            List.of(new CourseDetail("c1", "Grade the weekly labs.", List.of())));

    @Test
    void one_offer_per_ta_covering_all_their_courses_with_duties_and_email() {
        OfferPlan plan = OfferPlan.of(approval("r1", course("c1", ta("a1", 10), ta("b2", 5)), course("c2", ta("b2", 5))),
                Optional.of(DATA), List.of(), NOW, WEEK);
        assertThat(plan.made()).hasSize(2);
        Offer b = plan.made().stream().filter(o -> o.applicantId().equals("b2")).findFirst().orElseThrow();
        assertThat(b.lines()).extracting(l -> l.courseId()).containsExactly("c1", "c2");
        assertThat(b.hours()).isEqualTo(10);
        assertThat(b.email()).isEqualTo("b2@example.edu");
        assertThat(b.lines().get(0).duties()).isEqualTo("Grade the weekly labs.");
        assertThat(b.lines().get(1).duties()).isEmpty();
        assertThat(b.deadline()).isEqualTo(NOW.plus(WEEK));
        assertThat(b.status()).isEqualTo(Offer.Status.QUEUED);
        assertThat(b.offerId()).isEqualTo(OfferPlan.offerId("2027W1", "r1", "b2")).matches(OfferTokens.OFFER_ID);
        assertThat(plan.withdrawn()).isEmpty();
    }

    @Test
    void only_changed_tas_get_new_offers_and_their_old_ones_are_withdrawn() {
        List<Offer> state = new ArrayList<>(OfferPlan.of(approval("r1", course("c1", ta("a1", 10), ta("b2", 5)),
                course("c2", ta("c3", 8))), Optional.of(DATA), List.of(), NOW, WEEK).made());
        // a1 the same; b2 more hours; c3 dropped; d4 new
        OfferPlan second = OfferPlan.of(approval("r2", course("c1", ta("a1", 10), ta("b2", 8)), course("c2", ta("d4", 8))),
                Optional.of(DATA), state, NOW.plusSeconds(60), WEEK);
        assertThat(second.unchanged()).isEqualTo(1);
        assertThat(second.made()).extracting(Offer::applicantId).containsExactlyInAnyOrder("b2", "d4");
        assertThat(second.withdrawn()).extracting(Offer::applicantId).containsExactlyInAnyOrder("b2", "c3");
        Offer oldB = second.withdrawn().stream().filter(o -> o.applicantId().equals("b2")).findFirst().orElseThrow();
        assertThat(oldB.status()).isEqualTo(Offer.Status.WITHDRAWN);
        assertThat(oldB.replacedBy()).isEqualTo(OfferPlan.offerId("2027W1", "r2", "b2"));
        Offer oldC = second.withdrawn().stream().filter(o -> o.applicantId().equals("c3")).findFirst().orElseThrow();
        assertThat(oldC.replacedBy()).isNull();
    }

    @Test
    void a_redelivered_approval_makes_nothing_even_after_answers() {
        AssignmentApproved r1 = approval("r1", course("c1", ta("a1", 10), ta("b2", 5)));
        List<Offer> state = new ArrayList<>(OfferPlan.of(r1, Optional.of(DATA), List.of(), NOW, WEEK).made());
        // b2 declined meanwhile: no live offer, but this approval's offer for b2 exists
        state.replaceAll(o -> o.applicantId().equals("b2") ? o.withStatus(Offer.Status.DECLINED, NOW) : o);
        OfferPlan again = OfferPlan.of(r1, Optional.of(DATA), state, NOW.plusSeconds(5), WEEK);
        assertThat(again.made()).isEmpty();
        assertThat(again.withdrawn()).isEmpty();
    }

    @Test
    void an_earlier_approval_read_again_after_a_later_one_undoes_nothing() {
        AssignmentApproved r1 = approval("r1", course("c1", ta("a1", 10), ta("b2", 5)));
        List<Offer> state = new ArrayList<>(OfferPlan.of(r1, Optional.of(DATA), List.of(), NOW, WEEK).made());
        OfferPlan r2 = OfferPlan.of(approval("r2", course("c1", ta("a1", 10), ta("c3", 5))), Optional.of(DATA), state,
                NOW.plusSeconds(60), WEEK);
        state.replaceAll(o -> r2.withdrawn().stream().filter(w -> w.offerId().equals(o.offerId())).findFirst().orElse(o));
        state.addAll(r2.made());
        OfferPlan again = OfferPlan.of(r1, Optional.of(DATA), state, NOW.plusSeconds(120), WEEK);
        assertThat(again.made()).isEmpty();
        assertThat(again.withdrawn()).isEmpty();
    }

    @Test
    void a_declined_ta_placed_again_by_a_new_plan_gets_a_new_offer() {
        List<Offer> state = new ArrayList<>(OfferPlan.of(approval("r1", course("c1", ta("a1", 10))), Optional.of(DATA),
                List.of(), NOW, WEEK).made());
        state.replaceAll(o -> o.withStatus(Offer.Status.DECLINED, NOW));
        OfferPlan next = OfferPlan.of(approval("r2", course("c2", ta("a1", 6))), Optional.of(DATA), state, NOW, WEEK);
        assertThat(next.made()).extracting(Offer::applicantId).containsExactly("a1");
        assertThat(next.withdrawn()).isEmpty();
    }

    @Test
    void without_a_dataset_offers_have_no_address_and_no_duties() {
        OfferPlan plan = OfferPlan.of(approval("r1", course("c1", ta("a1", 10))), Optional.empty(), List.of(), NOW, WEEK);
        assertThat(plan.made().get(0).email()).isNull();
        assertThat(plan.made().get(0).lines().get(0).duties()).isEmpty();
    }

    @Test
    void the_link_refuses_after_the_deadline_even_before_the_schedule_marks_the_offer_expired() {
        Offer o = OfferPlan.of(approval("r1", course("c1", ta("a1", 10))), Optional.of(DATA), List.of(), NOW, WEEK)
                .made().get(0).withStatus(Offer.Status.OPENED, NOW);
        assertThat(OfferEngine.refusal(o, NOW.plus(WEEK).minusMillis(1))).isNull();
        assertThat(OfferEngine.refusal(o, NOW.plus(WEEK))).isEqualTo(OfferEngine.Outcome.EXPIRED);
        assertThat(OfferEngine.refusal(o.withStatus(Offer.Status.ACCEPTED, NOW), NOW))
                .isEqualTo(OfferEngine.Outcome.ALREADY_ANSWERED);
        assertThat(OfferEngine.refusal(o.withdrawn(null, NOW), NOW)).isEqualTo(OfferEngine.Outcome.WITHDRAWN);
    }
}
