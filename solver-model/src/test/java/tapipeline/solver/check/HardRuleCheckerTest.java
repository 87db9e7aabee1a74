package tapipeline.solver.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tapipeline.schemas.assignment.Applicant;
import tapipeline.schemas.assignment.AssignmentProblem;
import tapipeline.schemas.assignment.ConflictOfInterest;
import tapipeline.schemas.assignment.Course;
import tapipeline.schemas.assignment.Day;
import tapipeline.schemas.assignment.InstructorPreference;
import tapipeline.schemas.assignment.Meeting;
import tapipeline.schemas.assignment.Pin;
import tapipeline.schemas.assignment.Preference;
import tapipeline.schemas.assignment.SlotAssignment;
import tapipeline.schemas.assignment.SolverSettings;

class HardRuleCheckerTest {

    private static final Meeting MON9 = new Meeting(Day.MON, "09:00", "10:00");
    private final Course net = course("NET", 2, 10, List.of("C"), MON9);
    private final Course os = course("OS", 1, 10, List.of(), new Meeting(Day.MON, "09:30", "10:30"));
    private final Course db = course("DB", 1, 5, List.of(), new Meeting(Day.FRI, "09:00", "10:00"));
    private final Applicant ana = new Applicant("ana", "Ana", "MSc", 1, 0, 20, 20, List.of(), List.of("C"), List.of(),
            List.of(), List.of(new ConflictOfInterest("DB", "enrolled in the course")));
    private final Applicant bo = new Applicant("bo", "Bo", "MSc", 1, 0, 10, 10, List.of(MON9), List.of(), List.of(),
            List.of(), List.of());

    private AssignmentProblem problem(List<Pin> pins) {
        return new AssignmentProblem("r", "T", "D", List.of(net, os, db), List.of(ana, bo),
                List.of(new Preference("bo", "DB", 1, true)),
                List.of(InstructorPreference.ban("OS", "bo")), pins, List.of(), SolverSettings.defaults());
    }

    @Test
    void aFeasibleAssignmentHasNoViolations() {
        assertThat(HardRuleChecker.violations(problem(List.of()),
                List.of(new SlotAssignment("NET", 0, "ana")))).isEmpty();
    }

    @Test
    void everyHardRuleIsCheckedOnItsOwn() {
        List<String> v = HardRuleChecker.violations(problem(List.of(new Pin("DB", 0, "ana"))), List.of(
                new SlotAssignment("NET", 0, "ana"),
                new SlotAssignment("NET", 1, "ana"),   // twice in one course
                new SlotAssignment("OS", 0, "ana"),    // overlaps NET, 30 h > 20 h
                new SlotAssignment("NET", 0, "bo"),    // slot filled twice, lacks C, unavailable
                new SlotAssignment("DB", 0, "bo"),     // will not, pin not kept
                new SlotAssignment("OS", 3, "bo")));   // no such slot
        assertThat(v).anyMatch(s -> s.contains("holds two slots of NET"));
        assertThat(v).anyMatch(s -> s.contains("which meet at the same time"));
        assertThat(v).anyMatch(s -> s.contains("ana has 30 h, above the maximum 20 h"));
        assertThat(v).anyMatch(s -> s.contains("NET slot 0 is filled twice"));
        assertThat(v).anyMatch(s -> s.contains("bo lacks skill C for NET"));
        assertThat(v).anyMatch(s -> s.contains("bo is unavailable"));
        assertThat(v).anyMatch(s -> s.contains("bo will not TA DB"));
        assertThat(v).anyMatch(s -> s.contains("pin of ana to DB slot 0 was not kept"));
        assertThat(v).anyMatch(s -> s.contains("OS slot 3 does not exist"));
    }

    @Test
    void conflictsOfInterestAndBansAreViolations() {
        List<String> v = HardRuleChecker.violations(problem(List.of()), List.of(
                new SlotAssignment("DB", 0, "ana"), new SlotAssignment("OS", 0, "bo")));
        assertThat(v).contains("ana has a conflict of interest with DB", "bo is banned from OS");
    }

    private static Course course(String id, int slots, int hours, List<String> skills, Meeting meeting) {
        return new Course(id, id, id, "101", "T", "Prof", List.of(meeting), slots, hours, skills, 0, slots, 3, false);
    }
}
