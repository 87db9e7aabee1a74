package tapipeline.coordinator.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static tapipeline.coordinator.runs.ReviewFixtures.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import tapipeline.schemas.assignment.Pin;
import tapipeline.schemas.assignment.SlotAssignment;

class ReviewTest {

    @Test
    void pinsMadeAfterTheRunOverrideItsResult() {
        Review review = new Review(problem(), result("ana", "bo", null), dataset(new Pin("OS", 0, "cy"),
                new Pin("NET", 0, "ana"), new Pin("NET", 9, "ana"), new Pin("NET", 1, "nobody")));
        assertThat(review.slot("OS", 0)).isEqualTo(new Review.Slot("OS", 0, "cy", true, true));
        assertThat(review.slot("NET", 0)).isEqualTo(new Review.Slot("NET", 0, "ana", true, false));
        assertThat(review.slot("NET", 1)).isEqualTo(new Review.Slot("NET", 1, "bo", false, false));
        assertThat(review.pins()).as("pins of slots or people this run does not have are left out").hasSize(2);
        assertThat(review.assignment()).containsExactly(new SlotAssignment("NET", 0, "ana"),
                new SlotAssignment("NET", 1, "bo"), new SlotAssignment("OS", 0, "cy"));
    }

    @Test
    void hoursOwedPutsTheShortestFirst() {
        Review review = new Review(problem(), result("cy", null, "bo"), dataset());
        List<Review.TaRow> rows = review.byTa();
        assertThat(rows.get(0).applicant().id()).isEqualTo("ana");
        assertThat(rows.get(0).shortfall()).isEqualTo(10);
        Review.TaRow bo = rows.stream().filter(r -> r.applicant().id().equals("bo")).findFirst().orElseThrow();
        assertThat(bo.assignedHours()).isEqualTo(5);
        assertThat(bo.shortfall()).isEqualTo(5);
        Review.TaRow cy = rows.stream().filter(r -> r.applicant().id().equals("cy")).findFirst().orElseThrow();
        assertThat(cy.assignedHours()).isEqualTo(10);
        assertThat(cy.shortfall()).isZero();
    }

    @Test
    void theDifferenceListsEveryMovedSlot() {
        Review before = new Review(problem(), result("ana", "bo", null), null);
        Review after = new Review(problem(), result("ana", "cy", "bo"), null);
        assertThat(after.differenceFrom(before)).containsExactly(new Review.Change("NET", 1, "bo", "cy"),
                new Review.Change("OS", 0, null, "bo"));
        assertThat(after.differenceFrom(after)).isEmpty();
    }
}
