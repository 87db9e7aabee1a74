package tapipeline.schemas.assignment;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;
import tapipeline.schemas.support.Checks;

/**
 * A whole TA-assignment problem: the payload of {@code assignment.run.requested} and the input file
 * of the solver CLI.
 *
 * <p>The record checks each field on its own (ranges, formats). It deliberately does not check
 * references between them (unknown course ids in preferences, a pin beyond a course's slots, ...):
 * the solver reports those as {@link RunCompleted.Problem}s in an {@code INVALID_INPUT} result,
 * which a coordinator can read, instead of the event going to the dead-letter topic.
 *
 * @param previousAssignment the last approved or solved assignment, for minimal change on re-solve
 * @param settings           solver settings; {@code null} is replaced by {@link SolverSettings#defaults()}
 * @param origin             (v3) why the run was requested when it is a proposal or a what-if scenario;
 *                           {@code null} for an ordinary run. The solver ignores it.
 */
public record AssignmentProblem(
        String runId,
        String term,
        String department,
        List<Course> courses,
        List<Applicant> applicants,
        List<Preference> preferences,
        List<InstructorPreference> instructorPreferences,
        List<Pin> pins,
        List<SlotAssignment> previousAssignment,
        SolverSettings settings,
        @JsonInclude(JsonInclude.Include.NON_NULL) RunOrigin origin) {

    public AssignmentProblem {
        Checks.id(runId, "AssignmentProblem.runId");
        Checks.text(term, "AssignmentProblem.term");
        Checks.text(department, "AssignmentProblem.department");
        courses = Checks.list(courses, "AssignmentProblem.courses");
        applicants = Checks.list(applicants, "AssignmentProblem.applicants");
        preferences = Checks.list(preferences, "AssignmentProblem.preferences");
        instructorPreferences = Checks.list(instructorPreferences, "AssignmentProblem.instructorPreferences");
        pins = Checks.list(pins, "AssignmentProblem.pins");
        previousAssignment = Checks.list(previousAssignment, "AssignmentProblem.previousAssignment");
        settings = settings == null ? SolverSettings.defaults() : settings;
    }

    /** An ordinary run (no origin). */
    public AssignmentProblem(String runId, String term, String department, List<Course> courses,
                             List<Applicant> applicants, List<Preference> preferences,
                             List<InstructorPreference> instructorPreferences, List<Pin> pins,
                             List<SlotAssignment> previousAssignment, SolverSettings settings) {
        this(runId, term, department, courses, applicants, preferences, instructorPreferences, pins,
                previousAssignment, settings, null);
    }

    public AssignmentProblem withOrigin(RunOrigin newOrigin) {
        return new AssignmentProblem(runId, term, department, courses, applicants, preferences,
                instructorPreferences, pins, previousAssignment, settings, newOrigin);
    }

    public AssignmentProblem withInstructorPreferences(List<InstructorPreference> newPreferences) {
        return new AssignmentProblem(runId, term, department, courses, applicants, preferences,
                newPreferences, pins, previousAssignment, settings, origin);
    }

    public AssignmentProblem withRunId(String newRunId) {
        return new AssignmentProblem(newRunId, term, department, courses, applicants, preferences,
                instructorPreferences, pins, previousAssignment, settings, origin);
    }

    public AssignmentProblem withSettings(SolverSettings newSettings) {
        return new AssignmentProblem(runId, term, department, courses, applicants, preferences,
                instructorPreferences, pins, previousAssignment, newSettings, origin);
    }

    public AssignmentProblem withPins(List<Pin> newPins) {
        return new AssignmentProblem(runId, term, department, courses, applicants, preferences,
                instructorPreferences, newPins, previousAssignment, settings, origin);
    }

    public AssignmentProblem withPreviousAssignment(List<SlotAssignment> previous) {
        return new AssignmentProblem(runId, term, department, courses, applicants, preferences,
                instructorPreferences, pins, previous, settings, origin);
    }
}
