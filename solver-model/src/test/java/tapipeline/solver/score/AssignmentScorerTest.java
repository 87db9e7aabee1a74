package tapipeline.solver.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import tapipeline.schemas.assignment.Applicant;
import tapipeline.schemas.assignment.AssignmentProblem;
import tapipeline.schemas.assignment.Course;
import tapipeline.schemas.assignment.Day;
import tapipeline.schemas.assignment.InstructorPreference;
import tapipeline.schemas.assignment.Meeting;
import tapipeline.schemas.assignment.Preference;
import tapipeline.schemas.assignment.RunCompleted.ConstraintScore;
import tapipeline.schemas.assignment.SlotAssignment;
import tapipeline.schemas.assignment.SolverSettings;

/** Scoring a given assignment with the constraint model, as the coordinator's override check does. */
class AssignmentScorerTest {

    private static final Meeting MON9 = new Meeting(Day.MON, "09:00", "10:00");
    private final Course net = new Course("NET", "NET", "Networks", "101", "T", "Prof", List.of(MON9), 1, 10,
            List.of("C"), 1, 1, 3, false);
    private final Course os = new Course("OS", "OS", "Systems", "101", "T", "Prof",
            List.of(new Meeting(Day.TUE, "09:00", "10:00")), 1, 10, List.of(), 1, 1, 3, false);
    private final Applicant ana = new Applicant("ana", "Ana", "MSc", 1, 0, 20, 20, List.of(), List.of("C"), List.of(),
            List.of(), List.of());
    private final Applicant bo = new Applicant("bo", "Bo", "MSc", 1, 0, 20, 10, List.of(), List.of(), List.of(),
            List.of(), List.of());
    private final AssignmentProblem problem = new AssignmentProblem("r", "T", "D", List.of(net, os), List.of(ana, bo),
            List.of(new Preference("ana", "NET", 5, false)), List.of(InstructorPreference.ban("OS", "bo")),
            List.of(), List.of(), SolverSettings.defaults());

    @Test
    void aFeasibleAssignmentScoresWithoutHardPenalty() {
        AssignmentScorer.Scored s = AssignmentScorer.score(problem,
                List.of(new SlotAssignment("NET", 0, "ana"), new SlotAssignment("OS", 0, "ana")));
        assertThat(s.feasible()).isTrue();
        assertThat(s.hardViolations()).isEmpty();
        assertThat(s.breakdown()).extracting(ConstraintScore::constraint).contains("Required skills", "Unfilled slot");
        assertThat(s.explainer().assignments()).hasSize(2);
        assertThat(s.explainer().assignment("NET", 0)).isEqualTo(s.explainer().assignments().get(0));
        assertThat(s.explainer().assignment("NET", 0).explanation().summary()).startsWith("Ana: ");
        assertThat(s.explainer().assignment("NET", 5)).isNull();
    }

    @Test
    void aRuleBreakingOverrideShowsTheRuleAndTheHardScore() {
        AssignmentScorer.Scored s = AssignmentScorer.score(problem,
                List.of(new SlotAssignment("NET", 0, "bo"), new SlotAssignment("OS", 0, "bo")));
        assertThat(s.score().hardScore()).isEqualTo(-2);
        assertThat(s.breakdown()).filteredOn(c -> c.constraint().equals("Required skills"))
                .singleElement().satisfies(c -> assertThat(c.score()).startsWith("-1hard"));
        assertThat(s.breakdown()).filteredOn(c -> c.constraint().equals("No instructor ban"))
                .singleElement().satisfies(c -> assertThat(c.matches()).isEqualTo(1));
        assertThat(s.hardViolations()).contains("bo lacks skill C for NET", "bo is banned from OS");
    }

    @Test
    void anEmptySlotCostsMedium() {
        AssignmentScorer.Scored full = AssignmentScorer.score(problem,
                List.of(new SlotAssignment("NET", 0, "ana"), new SlotAssignment("OS", 0, "ana")));
        AssignmentScorer.Scored gap = AssignmentScorer.score(problem, List.of(new SlotAssignment("NET", 0, "ana")));
        assertThat(gap.score().mediumScore()).isLessThan(full.score().mediumScore());
        assertThat(gap.explainer().unassigned()).singleElement()
                .satisfies(u -> assertThat(u.courseId()).isEqualTo("OS"));
    }

    @Test
    void unknownIdsAreNamed() {
        assertThatThrownBy(() -> AssignmentScorer.score(problem, List.of(new SlotAssignment("NET", 0, "zed"))))
                .hasMessageContaining("zed");
        assertThatThrownBy(() -> AssignmentScorer.score(problem, List.of(new SlotAssignment("NET", 4, "ana"))))
                .hasMessageContaining("slot 4 of course NET");
    }
}
