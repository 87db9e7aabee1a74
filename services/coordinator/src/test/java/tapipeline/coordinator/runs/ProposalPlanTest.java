package tapipeline.coordinator.runs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import tapipeline.schemas.assignment.AssignmentApproved;
import tapipeline.schemas.assignment.AssignmentApproved.ApprovedCourse;
import tapipeline.schemas.assignment.AssignmentApproved.ApprovedTa;
import tapipeline.schemas.assignment.InstructorPreference;
import tapipeline.schemas.assignment.Pin;
import tapipeline.schemas.assignment.SlotAssignment;
import tapipeline.schemas.coordinator.Dataset;
import tapipeline.schemas.offers.Offer;
import tapipeline.schemas.offers.OfferLine;

/** What a proposal after declined or expired offers keeps, frees and bans. */
class ProposalPlanTest {

    private static final Instant T0 = Instant.parse("2027-05-01T12:00:00Z");

    /** NET: ana, bo; OS: cy. */
    private static AssignmentApproved approval() {
        return new AssignmentApproved("T", "run-1", "kim", T0, List.of(
                new ApprovedCourse("NET", "NET 1", "Networks", "101", "Prof", List.of(
                        new ApprovedTa("ana", "Ana", 10), new ApprovedTa("bo", "Bo", 10))),
                new ApprovedCourse("OS", "OS 1", "Systems", "101", "Prof", List.of(new ApprovedTa("cy", "Cy", 5)))));
    }

    private static Offer offer(String applicant, String course, Offer.Status status, int minutesAfter) {
        Instant at = T0.plusSeconds(60L * minutesAfter);
        return new Offer("o-" + applicant + "-" + minutesAfter, "T", applicant, applicant, null, "run-1",
                List.of(new OfferLine(course, course + " 1", course, "101", "Prof", 10, "")), at.plusSeconds(86_400),
                status, at, null, null, null, null, null, null, at);
    }

    private static Dataset dataset(Pin... pins) {
        return ReviewFixtures.dataset(pins);
    }

    @Test
    void aDeclineFreesOnlyTheDeclinersSlotsAndBansThemFromThatCourse() {
        ProposalPlan plan = ProposalPlan.of(approval(), List.of(
                offer("ana", "NET", Offer.Status.ACCEPTED, 1),
                offer("bo", "NET", Offer.Status.DECLINED, 1),
                offer("cy", "OS", Offer.Status.OPENED, 1)), dataset());

        assertThat(plan.previous()).containsExactly(new SlotAssignment("NET", 0, "ana"),
                new SlotAssignment("NET", 1, "bo"), new SlotAssignment("OS", 0, "cy"));
        assertThat(plan.pins()).as("accepted and pending offers keep their slots")
                .containsExactlyInAnyOrder(new Pin("NET", 0, "ana"), new Pin("OS", 0, "cy"));
        assertThat(plan.bans()).containsExactly(InstructorPreference.ban("NET", "bo"));
        assertThat(plan.freedBy()).containsExactly("o-bo-1");
        assertThat(plan.freedSlots()).isEqualTo(1);
        assertThat(plan.empty()).isFalse();
    }

    @Test
    void anExpiredOfferBansItsTaFromEveryCourseAndATaWithoutAnOfferKeepsTheirSlot() {
        ProposalPlan plan = ProposalPlan.of(approval(), List.of(
                offer("ana", "NET", Offer.Status.EXPIRED, 1),
                offer("bo", "NET", Offer.Status.SENT, 1)), dataset());

        assertThat(plan.pins()).containsExactlyInAnyOrder(new Pin("NET", 1, "bo"), new Pin("OS", 0, "cy"));
        assertThat(plan.bans()).containsExactlyInAnyOrder(InstructorPreference.ban("NET", "ana"),
                InstructorPreference.ban("OS", "ana"));
        assertThat(plan.freedSlots()).isEqualTo(1);
    }

    @Test
    void theNewestOfferThatIsNotWithdrawnCountsForEachTa() {
        ProposalPlan plan = ProposalPlan.of(approval(), List.of(
                offer("bo", "NET", Offer.Status.DECLINED, 1),
                offer("bo", "NET", Offer.Status.SENT, 5),
                offer("cy", "OS", Offer.Status.DECLINED, 9).withdrawn("o-other", T0)), dataset());

        assertThat(plan.empty()).as("bo's newer offer is pending and cy's decline was withdrawn").isTrue();
        assertThat(plan.pins()).contains(new Pin("NET", 1, "bo"), new Pin("OS", 0, "cy"));
    }

    @Test
    void aTaDeclinedInAnEarlierRoundStaysBannedAndTheDatasetsPinsStayWhereTheyDoNotClash() {
        ProposalPlan plan = ProposalPlan.of(approval(), List.of(
                offer("ana", "NET", Offer.Status.DECLINED, 1),
                offer("dee", "OS", Offer.Status.DECLINED, 0)),    // declined before; no longer in the plan
                dataset(new Pin("NET", 1, "cy"),                   // clashes with bo's held slot: dropped
                        new Pin("NET", 0, "ana"),                  // pins the decliner: dropped
                        new Pin("OS", 0, "cy")));                  // the same as cy's held slot: not twice

        assertThat(plan.bans()).containsExactlyInAnyOrder(InstructorPreference.ban("NET", "ana"),
                InstructorPreference.ban("OS", "dee"));
        assertThat(plan.pins()).containsExactlyInAnyOrder(new Pin("NET", 1, "bo"), new Pin("OS", 0, "cy"));
    }

    @Test
    void aBannedRequestGivesWayToTheBan() {
        Dataset d = new Dataset("T", 1, dataset().courses(), dataset().applicants(), List.of(),
                List.of(InstructorPreference.request("NET", "bo", 1), InstructorPreference.request("OS", "ana", 1)),
                List.of());
        ProposalPlan plan = ProposalPlan.of(approval(), List.of(offer("bo", "NET", Offer.Status.DECLINED, 1)), d);

        assertThat(plan.instructorPreferences(d)).containsExactly(InstructorPreference.request("OS", "ana", 1),
                InstructorPreference.ban("NET", "bo"));
    }
}
