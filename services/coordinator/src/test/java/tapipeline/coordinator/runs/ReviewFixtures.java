package tapipeline.coordinator.runs;

import java.util.List;
import tapipeline.schemas.assignment.Applicant;
import tapipeline.schemas.assignment.AssignmentProblem;
import tapipeline.schemas.assignment.Course;
import tapipeline.schemas.assignment.Day;
import tapipeline.schemas.assignment.Meeting;
import tapipeline.schemas.assignment.Pin;
import tapipeline.schemas.assignment.RunCompleted;
import tapipeline.schemas.assignment.SolverSettings;
import tapipeline.schemas.coordinator.Dataset;

/** A two-course, three-applicant term and a run result over it. */
final class ReviewFixtures {

    static final String SCRIPT = "<script>alert(1)</script>";

    static final Course NET = new Course("NET", "=CMD|' /C calc'!A0", "Networks", "101", "T", "@Prof",
            List.of(new Meeting(Day.MON, "09:00", "10:00")), 2, 10, List.of("C"), 1, 2, 3, false);
    static final Course OS = new Course("OS", "OS 1", "Systems", "101", "T", "Prof",
            List.of(new Meeting(Day.TUE, "09:00", "10:00")), 1, 5, List.of(), 1, 1, 3, false);
    static final Applicant ANA = applicant("ana", SCRIPT, 10);
    static final Applicant BO = applicant("bo", "+Bo", 10);
    static final Applicant CY = applicant("cy", "Cy", 0);

    static Applicant applicant(String id, String name, int min) {
        return new Applicant(id, name, "MSc", 1, min, 20, 15, List.of(), List.of("C"), List.of(), List.of(), List.of());
    }

    static AssignmentProblem problem() {
        return new AssignmentProblem("run-1", "T", "D", List.of(NET, OS), List.of(ANA, BO, CY), List.of(), List.of(),
                List.of(), List.of(), SolverSettings.defaults());
    }

    static RunCompleted result(String net0, String net1, String os0) {
        RunCompleted.Explanation why = new RunCompleted.Explanation("because", List.of(), List.of());
        return new RunCompleted("run-1", RunCompleted.Status.SOLVED, "0hard/0medium/0soft", List.of(), List.of(
                new RunCompleted.Assignment("NET", 0, net0, false, why),
                new RunCompleted.Assignment("NET", 1, net1, false, why),
                new RunCompleted.Assignment("OS", 0, os0, false, why)), List.of(), List.of(), 10, 1);
    }

    static Dataset dataset(Pin... pins) {
        return new Dataset("T", 1, List.of(NET, OS), List.of(ANA, BO, CY), List.of(), List.of(), List.of(pins));
    }

    private ReviewFixtures() {
    }
}
